"""movie_hide and movie_unhide: idempotent, per person, exclusive with the watchlist, and
stamping the person's exclusions so their cached lists retire."""

import pytest

from catalog.models import HiddenMovie, Movie, Profile, WatchlistEntry
from catalog.services.steering import movie_hide, movie_unhide, watchlist_add
from core.exceptions import ApplicationError
from movielens.titles import movie_title_fields
from tests.people import person_create


@pytest.fixture
def movie(db) -> Movie:
    return Movie.objects.create(id=7, **movie_title_fields("Heat (1995)"))


@pytest.fixture
def ada(django_user_model):
    return person_create(django_user_model, "ada", age=25)


@pytest.fixture
def bob(django_user_model):
    return person_create(django_user_model, "bob", age=35)


def _stamp(user):
    return Profile.objects.get(user=user).exclusions_changed_at


def test_hiding_twice_keeps_one_row_and_stamps_once(ada, movie):
    _, created = movie_hide(user=ada, movie_id=movie.pk)
    first = _stamp(ada)
    _, again = movie_hide(user=ada, movie_id=movie.pk)
    assert (created, again) == (True, False)
    assert HiddenMovie.objects.filter(user=ada, movie=movie).count() == 1
    assert first is not None
    assert _stamp(ada) == first


def test_unhiding_removes_the_row_and_is_false_the_second_time(ada, movie):
    movie_hide(user=ada, movie_id=movie.pk)
    hidden_at = _stamp(ada)
    assert movie_unhide(user=ada, movie_id=movie.pk) is True
    assert _stamp(ada) > hidden_at
    assert movie_unhide(user=ada, movie_id=movie.pk) is False
    assert not HiddenMovie.objects.exists()


def test_it_refuses_a_movie_that_does_not_exist(ada, db):
    with pytest.raises(ApplicationError, match="no movie with id 99"):
        movie_hide(user=ada, movie_id=99)
    assert _stamp(ada) is None


def test_hiding_takes_the_movie_off_the_watchlist(ada, movie):
    watchlist_add(user=ada, movie_id=movie.pk)
    movie_hide(user=ada, movie_id=movie.pk)
    assert not WatchlistEntry.objects.exists()
    assert HiddenMovie.objects.filter(user=ada).count() == 1


def test_one_persons_mark_is_not_anothers(ada, bob, movie):
    movie_hide(user=ada, movie_id=movie.pk)
    assert movie_unhide(user=bob, movie_id=movie.pk) is False
    assert HiddenMovie.objects.filter(user=ada).count() == 1
    assert _stamp(bob) is None
