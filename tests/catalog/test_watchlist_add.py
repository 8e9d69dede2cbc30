"""watchlist_add and watchlist_remove: idempotent, per person, exclusive with "Not
interested", and stamping the person's exclusions so their cached lists retire."""

import pytest

from catalog.models import HiddenMovie, Movie, Profile, WatchlistEntry
from catalog.selectors import movie_excluded_ids, movie_marks_for, watchlist_entry_list
from catalog.services.steering import movie_hide, watchlist_add, watchlist_remove
from core.exceptions import ApplicationError
from movielens.titles import movie_title_fields
from tests.people import person_create


@pytest.fixture
def movies(db) -> list[Movie]:
    titles = ["Heat (1995)", "Fargo (1996)", "Babe (1995)"]
    return [Movie.objects.create(id=i, **movie_title_fields(t)) for i, t in enumerate(titles, 1)]


@pytest.fixture
def ada(django_user_model):
    return person_create(django_user_model, "ada", age=25)


@pytest.fixture
def bob(django_user_model):
    return person_create(django_user_model, "bob", age=35)


def test_adding_twice_keeps_one_entry_with_its_first_date(ada, movies):
    entry, created = watchlist_add(user=ada, movie_id=1)
    again, created_again = watchlist_add(user=ada, movie_id=1)
    assert (created, created_again) == (True, False)
    assert again.created_at == entry.created_at
    assert WatchlistEntry.objects.count() == 1


def test_removing_is_false_when_not_listed(ada, movies):
    watchlist_add(user=ada, movie_id=1)
    assert watchlist_remove(user=ada, movie_id=1) is True
    assert watchlist_remove(user=ada, movie_id=1) is False
    assert Profile.objects.get(user=ada).exclusions_changed_at is not None


def test_it_refuses_a_movie_that_does_not_exist(ada, movies):
    with pytest.raises(ApplicationError):
        watchlist_add(user=ada, movie_id=99)


def test_adding_unhides_the_movie(ada, movies):
    movie_hide(user=ada, movie_id=2)
    watchlist_add(user=ada, movie_id=2)
    assert not HiddenMovie.objects.exists()


def test_selectors_read_one_persons_marks(ada, bob, movies):
    watchlist_add(user=ada, movie_id=1)
    watchlist_add(user=ada, movie_id=3)
    movie_hide(user=ada, movie_id=2)
    watchlist_add(user=bob, movie_id=2)
    assert movie_excluded_ids(user=ada) == {1, 2, 3}
    assert movie_marks_for(user=ada, movie_ids=[1, 2]) == {1: (False, True), 2: (True, False)}
    assert [entry.movie_id for entry in watchlist_entry_list(user=ada)] == [3, 1]
    assert movie_excluded_ids(user=bob) == {2}
