"""People on every side of each permission: anonymous, a user, another user, staff; each
with an API client carrying their JWT, plus a small catalog for tests that need no model."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import Movie
from movielens.titles import movie_title_fields
from tests.api.helpers import client_for
from tests.people import person_create


def person(django_user_model, username: str, *, staff: bool = False):
    return person_create(django_user_model, username, age=25, zip_code="10001", is_staff=staff)


@pytest.fixture
def user(django_user_model):
    return person(django_user_model, "ada")


@pytest.fixture
def other_user(django_user_model):
    return person(django_user_model, "bob")


@pytest.fixture
def staff(django_user_model):
    return person(django_user_model, "carol", staff=True)


@pytest.fixture
def anonymous():
    return client_for(None)


@pytest.fixture
def as_user(user):
    return client_for(user)


@pytest.fixture
def as_other(other_user):
    return client_for(other_user)


@pytest.fixture
def as_staff(staff):
    return client_for(staff)


@pytest.fixture
def movies(db):
    """Five movies with rating totals, no ratings rows: enough for the catalog routes."""
    rows = [
        (1, "Toy Story", 1995, ["Animation", "Children's", "Comedy"], 10, 42),
        (2, "Jumanji", 1995, ["Adventure", "Children's", "Fantasy"], 4, 12),
        (3, "Heat", 1995, ["Action", "Crime", "Thriller"], 6, 27),
        (4, "Alien", 1979, ["Horror", "Sci-Fi"], 8, 36),
        (5, "Casablanca", 1942, ["Drama", "Romance"], 0, 0),
    ]
    return Movie.objects.bulk_create(
        Movie(id=i, **movie_title_fields(t), year=y, genres=g, rating_count=c, rating_sum=s)
        for i, t, y, g, c, s in rows
    )


@pytest.fixture
def throttle_rates(monkeypatch):
    """Set throttle rates for a test. DRF reads the rates into a class attribute at import,
    so overriding settings would not reach them."""

    def set_rates(**rates):
        merged = {**SimpleRateThrottle.THROTTLE_RATES, **rates}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", merged)

    return set_rates
