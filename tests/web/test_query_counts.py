"""Queries per view, pinned: a view that starts asking the database more (a query per card,
a lost select_related) fails here before it shows in the load benchmark. Counts are for a
warm cache, the common path; each says what its queries are."""

import pytest
from django.test import Client

from catalog.services.steering import movie_hide, watchlist_add
from recommender.services.feedback import rating_submit
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db

SESSION_AND_USER = 1  # every signed-in page: the user (the session comes from Redis)


@pytest.fixture
def reader(newcomer, trained, django_capture_on_commit_callbacks, refresh_calls):
    """A person with a model list (ten ratings), signed in, whose pages were viewed once."""
    with django_capture_on_commit_callbacks(execute=True):
        for movie_id in range(1, 11):
            rating_submit(user=newcomer, movie_id=movie_id, stars=5)
    client = Client()
    client.force_login(newcomer)
    assert client.get("/").status_code == 200  # warms the list and the picks fragment
    return client


def _count(django_assert_num_queries, client, path: str, queries: int) -> None:
    client.get(path)  # warm
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_visitor_home(client, catalog, django_assert_num_queries):
    _count(django_assert_num_queries, client, "/", 0)  # the popular grid is cached


def test_signed_in_home_from_the_cached_page(reader, django_assert_num_queries):
    # + the list state (profile and active version in one); the state implies the rating
    # count and onboarding cards, so a cached page asks for neither
    _count(django_assert_num_queries, reader, "/", SESSION_AND_USER + 1)


def test_picks_fragment_from_the_cache(reader, django_assert_num_queries):
    _count(django_assert_num_queries, reader, "/home/picks/", SESSION_AND_USER + 1)  # + state


def test_movie_list(client, catalog, django_assert_num_queries):
    _count(django_assert_num_queries, client, "/movies/", 2)  # the count, the page


def test_movie_detail_for_a_visitor(client, trained, django_assert_num_queries):
    _count(django_assert_num_queries, client, "/movies/1/", 0)  # a visitor's page is cached


def test_movie_detail_for_a_signed_in_person(reader, django_assert_num_queries):
    # the user, the movie, the active version (its neighbours are cached per version),
    # their rows, my stars, my marks (hidden, watchlisted)
    _count(django_assert_num_queries, reader, "/movies/30/", SESSION_AND_USER + 5)


def test_my_ratings(reader, django_assert_num_queries):
    _count(django_assert_num_queries, reader, "/ratings/", SESSION_AND_USER + 2)


def test_api_recommendations_from_the_cached_list(reader, newcomer, django_assert_num_queries):
    api = client_for(newcomer)
    # the user (token), then the list state: the profile and active version in one query
    _count(django_assert_num_queries, api, "/api/v1/recommendations/?limit=10", 2)


def test_api_recommendations_with_a_one_off_dial(reader, newcomer, django_assert_num_queries):
    # the same two: another dial is another cached answer, not another query
    path = "/api/v1/recommendations/?limit=10&popularity=-2"
    _count(django_assert_num_queries, client_for(newcomer), path, 2)


def test_api_preferences(reader, newcomer, django_assert_num_queries):
    # the user (token), the profile
    _count(django_assert_num_queries, client_for(newcomer), "/api/v1/me/preferences/", 2)


def test_title_suggestions(client, catalog, django_assert_num_queries):
    _count(django_assert_num_queries, client, "/movies/suggest/?q=the", 2)  # threshold, match


def test_api_movie_list(client, catalog, django_assert_num_queries):
    _count(django_assert_num_queries, client_for(), "/api/v1/movies/", 2)  # count, page


def test_api_movie_detail_with_my_predicted_stars(reader, newcomer, django_assert_num_queries):
    # the user, the movie, my rating, then my vector's inputs: profile and active version
    _count(django_assert_num_queries, client_for(newcomer), "/api/v1/movies/20/", 5)


def test_api_my_ratings(reader, newcomer, django_assert_num_queries):
    # the user, the count, the page with its movies
    _count(django_assert_num_queries, client_for(newcomer), "/api/v1/ratings/", 3)


def test_staff_training_runs(staff_client, finished_run, django_assert_num_queries):
    # the user, the runs' count and page, the versions, their activations, the live run
    _count(django_assert_num_queries, staff_client, "/staff/training/", SESSION_AND_USER + 5)


@pytest.fixture
def marker(reader, newcomer):
    """The reader with two movies on their watchlist and two hidden."""
    for movie_id in (20, 21):
        watchlist_add(user=newcomer, movie_id=movie_id)
    for movie_id in (22, 23):
        movie_hide(user=newcomer, movie_id=movie_id)
    return reader


def test_hidden_movies(marker, django_assert_num_queries):
    _count(django_assert_num_queries, marker, "/hidden/", SESSION_AND_USER + 2)  # count, page


def test_watchlist_by_predicted_stars(marker, django_assert_num_queries):
    # the entries with their movies, then the person's vector's inputs: profile and the
    # active version (the vector itself is cached), for all the entries at once
    _count(django_assert_num_queries, marker, "/watchlist/?sort=predicted", SESSION_AND_USER + 3)


def test_api_watchlist(marker, newcomer, django_assert_num_queries):
    # the user (token), the entries with their movies, profile, active version
    _count(django_assert_num_queries, client_for(newcomer), "/api/v1/watchlist/", 4)


def test_api_hidden(marker, newcomer, django_assert_num_queries):
    # the user (token), the count, the page with its movies
    _count(django_assert_num_queries, client_for(newcomer), "/api/v1/hidden/", 3)
