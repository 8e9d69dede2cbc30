"""The web pages. Names are global (no namespace): settings' LOGIN_URL and
LOGIN_REDIRECT_URL name "login" and "home"."""

from django.contrib.auth import views as auth_views
from django.urls import path

from movierec_site.web.forms import LoginForm
from movierec_site.web.views import (
    accounts,
    home,
    marks,
    movies,
    onboarding,
    popularity,
    ratings,
    training,
)

urlpatterns = [
    path("", home.home_view, name="home"),
    path("home/picks/", home.home_picks_view, name="home_picks"),
    path("home/popularity/", popularity.popularity_dial_view, name="popularity_dial"),
    path("onboarding/picks/", onboarding.onboarding_picks_view, name="onboarding_picks"),
    path("accounts/signup/", accounts.sign_up_view, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", accounts.profile_edit_view, name="profile"),
    path(
        "accounts/password/", accounts.AccountPasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="web/accounts/password_reset_form.html",
            email_template_name="web/accounts/password_reset_email.txt",
            subject_template_name="web/accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="web/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("movies/", movies.movie_list_view, name="movie_list"),
    path("movies/suggest/", movies.movie_suggest_view, name="movie_suggest"),
    path("movies/<int:movie_id>/", movies.movie_detail_view, name="movie_detail"),
    path("movies/<int:movie_id>/rating/", ratings.rating_set_view, name="rating_set"),
    path("movies/<int:movie_id>/rating/remove/", ratings.rating_remove_view, name="rating_remove"),
    path("movies/<int:movie_id>/marks/", marks.movie_marks_view, name="movie_marks"),
    path("ratings/", ratings.my_ratings_view, name="my_ratings"),
    path("hidden/", marks.hidden_list_view, name="hidden_movies"),
    path("watchlist/", marks.watchlist_view, name="watchlist"),
    path("staff/training/", training.training_run_list_view, name="training_runs"),
    path("staff/training/retrain/", training.training_retrain_view, name="training_retrain"),
    path(
        "staff/training/runs/<int:run_id>/", training.training_run_detail_view, name="training_run"
    ),
    path(
        "staff/training/runs/<int:run_id>/progress/",
        training.training_run_progress_view,
        name="training_run_progress",
    ),
    path(
        "staff/training/runs/<int:run_id>/loss.png",
        training.training_run_loss_png_view,
        name="training_run_loss_png",
    ),
    path(
        "staff/training/versions/<int:version_id>/activate/",
        training.model_version_activate_view,
        name="model_version_activate",
    ),
]
