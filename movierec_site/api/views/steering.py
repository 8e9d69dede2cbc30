"""A signed-in person's "Not interested" movies and watchlist. Every query is by
request.user: no route or parameter names another person.

PUT and DELETE are idempotent: PUT answers 201 with the entry when it adds it and 200 when
it was already there (as a rating's PUT does); DELETE answers 204 whether or not the movie
was marked, since either way it no longer is. An unknown movie is a 404 for both."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import HiddenMovie, WatchlistEntry
from catalog.selectors import hidden_movie_list, watchlist_entry_list
from movierec_site.api.errors import application_errors_as
from movierec_site.api.pagination import ApiPagination
from movierec_site.api.schema import error_response
from movierec_site.api.serializers import (
    HiddenMovieSerializer,
    WatchlistEntrySerializer,
    WatchlistEntryStarsSerializer,
    WatchlistQuerySerializer,
)
from movierec_site.api.views.common import id_parameter, object_id
from movierec_site.api.views.movies import movie_or_404
from recommender.services.feedback import hidden_movie_set, watchlist_entry_set
from recommender.serving import watchlist_with_stars

MOVIE_ID = id_parameter("movie_id", "The movie's id")


def _marked(set_mark, selector, serializer_class, request, movie_id: str) -> Response:
    movie_id = object_id(movie_id, "movie")
    # The service tells a missing movie apart inside its transaction: answer it as a 404.
    with application_errors_as(status.HTTP_404_NOT_FOUND, "not_found"):
        changed = set_mark(request.user, movie_id, True)
    entry = selector(user=request.user).get(movie_id=movie_id)
    code = status.HTTP_201_CREATED if changed else status.HTTP_200_OK
    return Response(serializer_class(entry).data, status=code)


def _unmarked(set_mark, request, movie_id: str) -> Response:
    movie_or_404(movie_id)
    set_mark(request.user, int(movie_id), False)
    return Response(status=status.HTTP_204_NO_CONTENT)


def _hide(user, movie_id: int, hidden: bool) -> bool:
    return hidden_movie_set(user=user, movie_id=movie_id, hidden=hidden)


def _list(user, movie_id: int, listed: bool) -> bool:
    return watchlist_entry_set(user=user, movie_id=movie_id, listed=listed)


@extend_schema(tags=["hidden"])
class HiddenMovieListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HiddenMovieSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: nobody signed in
            return HiddenMovie.objects.none()
        return hidden_movie_list(user=self.request.user)

    @extend_schema(
        summary='My "Not interested" movies, most recently hidden first',
        description="None of them is ever recommended to me until I undo it.",
    )
    def get(self, request):
        return super().get(request)


@extend_schema(tags=["hidden"], parameters=[MOVIE_ID])
class HiddenMovieDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary='Mark a movie "Not interested" (idempotent)',
        description="It leaves my recommendations at once (and my watchlist, if it was on it).",
        request=None,
        responses={
            201: HiddenMovieSerializer,
            200: HiddenMovieSerializer,
            404: error_response(404),
        },
    )
    def put(self, request, movie_id: str):
        return _marked(_hide, hidden_movie_list, HiddenMovieSerializer, request, movie_id)

    @extend_schema(
        summary='Undo "Not interested" (idempotent)',
        responses={204: None, 404: error_response(404)},
    )
    def delete(self, request, movie_id: str):
        return _unmarked(_hide, request, movie_id)


@extend_schema(tags=["watchlist"])
class WatchlistView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WatchlistEntryStarsSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: nobody signed in
            return WatchlistEntry.objects.none()
        query = WatchlistQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        # A list, scored and sorted: the paginator slices it as it would a queryset.
        return watchlist_with_stars(user=self.request.user, order=query.validated_data["ordering"])

    @extend_schema(
        summary="My watchlist",
        description="Newest first, or highest predicted stars first with "
        "`ordering=predicted`. Movies on it are left out of my recommendations.",
        parameters=[WatchlistQuerySerializer],
    )
    def get(self, request):
        return super().get(request)


@extend_schema(tags=["watchlist"], parameters=[MOVIE_ID])
class WatchlistEntryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Put a movie on my watchlist (idempotent)",
        description="It leaves my recommendations (I have chosen it already) and, if I had "
        'marked it "Not interested", that is undone.',
        request=None,
        responses={
            201: WatchlistEntrySerializer,
            200: WatchlistEntrySerializer,
            404: error_response(404),
        },
    )
    def put(self, request, movie_id: str):
        return _marked(_list, watchlist_entry_list, WatchlistEntrySerializer, request, movie_id)

    @extend_schema(
        summary="Take a movie off my watchlist (idempotent)",
        responses={204: None, 404: error_response(404)},
    )
    def delete(self, request, movie_id: str):
        return _unmarked(_list, request, movie_id)
