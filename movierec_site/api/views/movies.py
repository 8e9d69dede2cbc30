"""The catalog, as anyone may browse it; a signed-in person also sees their own stars."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Movie
from catalog.selectors import movies_by_id, rating_get
from movierec_site.api.filters import MovieFilter
from movierec_site.api.pagination import ApiPagination
from movierec_site.api.serializers import (
    MovieDetailSerializer,
    MovieSerializer,
    SimilarQuerySerializer,
)
from movierec_site.api.views.common import id_parameter, object_id
from recommender.serving import movie_similar_list, predicted_stars_get

MOVIE_ID = id_parameter("movie_id", "MovieLens movie id")


@extend_schema(tags=["movies"], summary="Search and browse movies")
class MovieListView(ListAPIView):
    permission_classes = [AllowAny]
    queryset = Movie.objects.all()  # narrowed by MovieFilter, which calls movie_list
    serializer_class = MovieSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MovieFilter
    pagination_class = ApiPagination


def movie_or_404(movie_id: str) -> Movie:
    movie = movies_by_id(ids=[object_id(movie_id, "movie")]).get(int(movie_id))
    if movie is None:
        raise NotFound(f"There is no movie with id {movie_id}.")
    return movie


@extend_schema(tags=["movies"])
class MovieDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A movie, with my stars and my predicted stars when signed in",
        parameters=[MOVIE_ID],
        responses=MovieDetailSerializer,
    )
    def get(self, request, movie_id: str):
        movie = movie_or_404(movie_id)
        movie.my_stars = movie.predicted_stars = None
        if request.user.is_authenticated:
            rating = rating_get(user=request.user, movie_id=movie.pk)
            movie.my_stars = rating.stars if rating else None
            movie.predicted_stars = predicted_stars_get(user=request.user, movie_id=movie.pk)
        return Response(MovieDetailSerializer(movie).data)


@extend_schema(tags=["movies"])
class SimilarMoviesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Movies like this one",
        description="Nearest by the active model's movie vectors; the most popular movies of "
        "its first genre when no model index can answer. Signed in, never a movie I marked "
        '"Not interested".',
        parameters=[MOVIE_ID, SimilarQuerySerializer],
        responses=MovieSerializer(many=True),
    )
    def get(self, request, movie_id: str):
        movie = movie_or_404(movie_id)
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        similar = movie_similar_list(
            movie_id=movie.pk, limit=query.validated_data["limit"], user=request.user
        )
        return Response(MovieSerializer(similar, many=True).data)
