from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from movierec_site.api.views import (
    accounts,
    movies,
    onboarding,
    preferences,
    ratings,
    recommendations,
    steering,
    training,
)
from movierec_site.api.views.common import RouteNotFoundView

# Ids in routes are <str:...>: the views answer a malformed id with the API's JSON 404.
v1 = [
    path("auth/register/", accounts.RegisterView.as_view(), name="register"),
    path("auth/token/", accounts.TokenObtainThrottledView.as_view(), name="token"),
    path("auth/token/refresh/", accounts.TokenRefreshThrottledView.as_view(), name="token-refresh"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("me/preferences/", preferences.PreferencesView.as_view(), name="preferences"),
    path("movies/", movies.MovieListView.as_view(), name="movies"),
    path("movies/<str:movie_id>/", movies.MovieDetailView.as_view(), name="movie"),
    path(
        "movies/<str:movie_id>/similar/",
        movies.SimilarMoviesView.as_view(),
        name="movie-similar",
    ),
    path("ratings/", ratings.RatingListView.as_view(), name="ratings"),
    path("ratings/<str:movie_id>/", ratings.RatingDetailView.as_view(), name="rating"),
    path("hidden/", steering.HiddenMovieListView.as_view(), name="hidden-movies"),
    path("hidden/<str:movie_id>/", steering.HiddenMovieDetailView.as_view(), name="hidden-movie"),
    path("watchlist/", steering.WatchlistView.as_view(), name="watchlist"),
    path("onboarding/groups/", onboarding.OnboardingGroupsView.as_view(), name="onboarding-groups"),
    path("onboarding/picks/", onboarding.OnboardingPicksView.as_view(), name="onboarding-picks"),
    path(
        "watchlist/<str:movie_id>/",
        steering.WatchlistEntryView.as_view(),
        name="watchlist-entry",
    ),
    path(
        "recommendations/",
        recommendations.RecommendationListView.as_view(),
        name="recommendations",
    ),
    path("training/runs/", training.TrainingRunListView.as_view(), name="training-runs"),
    path(
        "training/runs/<str:run_id>/",
        training.TrainingRunDetailView.as_view(),
        name="training-run",
    ),
    path("model-versions/", training.ModelVersionListView.as_view(), name="model-versions"),
    path(
        "model-versions/activations/",
        training.ModelVersionActivationListView.as_view(),
        name="model-version-activations",
    ),
    path(
        "model-versions/<str:version_id>/activate/",
        training.ModelVersionActivateView.as_view(),
        name="model-version-activate",
    ),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", RouteNotFoundView.as_view()),
]
