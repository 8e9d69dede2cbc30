"""rating_set and rating_delete: writers of one popular movie never queue behind each
other, one person's writes never race each other, and the totals follow."""

import pytest
from django.db import connection, transaction

from catalog.models import Movie, Rating
from catalog.services.movie_totals import movie_totals_fold
from catalog.services.ratings import rating_delete, rating_set
from core.exceptions import ApplicationError
from movielens.titles import movie_title_fields
from tests.catalog.rating_threads import Writer, blocked_or_done, held_open, totals_and_aggregates

HOT = 1


@pytest.fixture
def hot_movie(db) -> int:
    # Totals as the import leaves them: 40 earlier ratings of 4 stars, not in this table.
    Movie.objects.create(
        id=HOT, **movie_title_fields("Heat (1995)"), rating_count=40, rating_sum=160
    )
    return HOT


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob")


def _without_waiting(write) -> None:
    """`write` in a transaction that may not wait on a lock: a wait of any length is a
    convoy, which lock_timeout turns into an error."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
        write()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("held", ["set", "delete"])
@pytest.mark.parametrize("mine", ["set", "delete"])
def test_a_write_never_waits_for_another_persons_open_write_of_the_same_movie(
    hot_movie, ada, bob, held, mine
):
    rating_set(user=ada, movie_id=HOT, stars=2)
    rating_set(user=bob, movie_id=HOT, stars=3)
    writes = {
        "set": lambda user: rating_set(user=user, movie_id=HOT, stars=5),
        "delete": lambda user: rating_delete(user=user, movie_id=HOT),
    }

    with held_open(lambda: writes[held](ada)):
        _without_waiting(lambda: writes[mine](bob))

    assert Rating.objects.filter(user=bob, movie_id=HOT).exists() == (mine == "set")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("before", "first", "second", "after"),
    [
        (None, 4, 2, 2),  # two tabs rate a movie not rated yet
        (3, 4, 2, 2),
        (3, None, 5, 5),  # one tab removes the rating while the other changes it
        (3, 5, None, None),
        (3, None, None, None),
    ],
)
def test_one_persons_two_writes_of_a_movie_at_once_keep_the_totals(
    hot_movie, ada, before, first, second, after
):
    if before is not None:
        rating_set(user=ada, movie_id=HOT, stars=before)

    def write(stars):
        if stars is None:
            return lambda: rating_delete(user=ada, movie_id=HOT)
        return lambda: rating_set(user=ada, movie_id=HOT, stars=stars)

    with held_open(write(first)):
        other = Writer(write(second))
        other.start()
        blocked_or_done(other)  # it has read before the first one commits
    other.finish()
    movie_totals_fold()

    stars = Rating.objects.filter(user=ada, movie_id=HOT).values_list("stars", flat=True)
    assert list(stars) == ([] if after is None else [after])
    stored, counted = totals_and_aggregates([HOT])
    assert stored[HOT] == (40 + counted[HOT][0], 160 + counted[HOT][1])


def test_the_totals_follow_each_write_once_folded(hot_movie, ada, bob):
    rating_set(user=ada, movie_id=HOT, stars=5)
    rating_set(user=bob, movie_id=HOT, stars=1)
    rating_set(user=ada, movie_id=HOT, stars=3)
    rating_delete(user=bob, movie_id=HOT)
    rating_set(user=ada, movie_id=HOT, stars=3)  # the same stars again: no change at all

    pending = Movie.objects.get(pk=HOT)
    movie_totals_fold()
    folded = Movie.objects.get(pk=HOT)

    assert (pending.rating_count, pending.rating_sum) == (40, 160)
    assert (folded.rating_count, folded.rating_sum) == (41, 163)


def test_a_missing_movie_is_refused_and_nothing_is_written(hot_movie, ada):
    with pytest.raises(ApplicationError, match=r"There is no movie with id 404\."):
        rating_set(user=ada, movie_id=404, stars=4)

    assert not Rating.objects.exists()
    assert movie_totals_fold() == 0


def test_removing_what_was_never_rated_changes_nothing(hot_movie, ada):
    assert rating_delete(user=ada, movie_id=HOT) is False
    assert movie_totals_fold() == 0
