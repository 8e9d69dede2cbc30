"""A signed-in person's own ratings. Every query is by request.user: no route or parameter
names another person, so nobody can read or change someone else's ratings."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Rating
from catalog.selectors import rating_get, rating_list
from movierec_site.api.errors import application_errors_as
from movierec_site.api.pagination import ApiPagination
from movierec_site.api.schema import error_response
from movierec_site.api.serializers import (
    RatingCreateSerializer,
    RatingSerializer,
    StarsSerializer,
)
from movierec_site.api.views.common import id_parameter, object_id
from recommender.services.feedback import rating_submit, rating_withdraw

MOVIE_ID = id_parameter("movie_id", "The rated movie's id")


def _submitted(user, movie_id: int, stars: int) -> Response:
    # The service tells a missing movie apart inside its transaction: answer it as a 404.
    with application_errors_as(status.HTTP_404_NOT_FOUND, "not_found"):
        rating, created = rating_submit(user=user, movie_id=movie_id, stars=stars)
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(RatingSerializer(rating).data, status=code)


@extend_schema(tags=["ratings"])
class RatingListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RatingSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: nobody signed in
            return Rating.objects.none()
        return rating_list(user=self.request.user)

    @extend_schema(summary="My ratings, newest first")
    def get(self, request):
        return super().get(request)

    @extend_schema(
        summary="Rate a movie (or change my rating of it)",
        request=RatingCreateSerializer,
        responses={201: RatingSerializer, 200: RatingSerializer, 404: error_response(404)},
    )
    def post(self, request):
        serializer = RatingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _submitted(request.user, **serializer.validated_data)


@extend_schema(tags=["ratings"], parameters=[MOVIE_ID])
class RatingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My rating of a movie", responses=RatingSerializer)
    def get(self, request, movie_id: str):
        rating = rating_get(user=request.user, movie_id=object_id(movie_id, "movie"))
        if rating is None:
            raise NotFound(f"You have not rated movie {movie_id}.")
        return Response(RatingSerializer(rating).data)

    @extend_schema(
        summary="Set my rating of a movie (idempotent)",
        request=StarsSerializer,
        responses={201: RatingSerializer, 200: RatingSerializer},
    )
    def put(self, request, movie_id: str):
        movie_id = object_id(movie_id, "movie")
        serializer = StarsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _submitted(request.user, movie_id, serializer.validated_data["stars"])

    @extend_schema(summary="Withdraw my rating of a movie", responses={204: None})
    def delete(self, request, movie_id: str):
        movie_id = object_id(movie_id, "movie")
        if not rating_withdraw(user=request.user, movie_id=movie_id):
            raise NotFound(f"You have not rated movie {movie_id}.")
        return Response(status=status.HTTP_204_NO_CONTENT)
