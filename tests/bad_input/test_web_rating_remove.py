"""Removing a rating through the web form or htmx, given a movie that does not exist."""

import pytest
from django.test import Client

from catalog.models import Rating
from catalog.services.ratings import rating_set

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("movie_id", [999, 2**31 - 1, 2**31, 10**20])
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "form"])
def test_removing_the_rating_of_a_missing_movie_is_a_404(user, movies, movie_id, headers):
    response = _web(user).post(f"/movies/{movie_id}/rating/remove/", **headers)

    assert response.status_code == 404


def test_removing_an_existing_rating_still_works(user, movies):
    rating_set(user=user, movie_id=1, stars=4)

    response = _web(user).post("/movies/1/rating/remove/", **HTMX)

    assert response.status_code == 200
    assert not Rating.objects.filter(user=user).exists()
