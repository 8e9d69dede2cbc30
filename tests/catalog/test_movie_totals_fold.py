"""movie_totals_fold: pending totals changes reach the movies once each, without waiting
for rating writes still open, and beat runs it every few seconds."""

import pytest
from django.db import connection, transaction

from catalog.models import Movie, MovieTotalsChange
from catalog.services.movie_totals import movie_totals_fold
from catalog.services.ratings import rating_set
from catalog.tasks import movie_totals_fold_task
from movielens.titles import movie_title_fields
from movierec_site.schedule import celery_beat_schedule
from tests.catalog.rating_threads import held_open


@pytest.fixture
def movies(db) -> list[int]:
    Movie.objects.bulk_create(
        Movie(id=i, **movie_title_fields(f"Movie {i}"), rating_count=10, rating_sum=30)
        for i in (1, 2, 3)
    )
    return [1, 2, 3]


@pytest.fixture
def people(django_user_model):
    return [django_user_model.objects.create_user(name) for name in ("ada", "bob")]


def _totals() -> dict[int, tuple[int, int]]:
    return {m.pk: (m.rating_count, m.rating_sum) for m in Movie.objects.all()}


def test_each_pending_change_is_added_once(movies, people):
    ada, bob = people
    rating_set(user=ada, movie_id=1, stars=5)
    rating_set(user=bob, movie_id=1, stars=2)
    rating_set(user=ada, movie_id=2, stars=4)

    assert movie_totals_fold() == 2
    assert movie_totals_fold() == 0
    assert _totals() == {1: (12, 37), 2: (11, 34), 3: (10, 30)}
    assert not MovieTotalsChange.objects.exists()


def test_changes_that_cancel_out_leave_the_movie_row_alone(movies, people):
    ada, _ = people
    rating_set(user=ada, movie_id=3, stars=5)
    rating_set(user=ada, movie_id=3, stars=1)
    rating_set(user=ada, movie_id=3, stars=5)
    MovieTotalsChange.objects.create(movie_id=1, count_delta=1, sum_delta=3)
    MovieTotalsChange.objects.create(movie_id=1, count_delta=-1, sum_delta=-3)

    assert movie_totals_fold() == 1  # movie 3's; movie 1's sum to nothing
    assert _totals() == {1: (10, 30), 2: (10, 30), 3: (11, 35)}


@pytest.mark.django_db(transaction=True)
def test_a_fold_neither_waits_for_nor_takes_a_write_still_open(movies, people):
    ada, bob = people
    rating_set(user=bob, movie_id=1, stars=1)

    with held_open(lambda: rating_set(user=ada, movie_id=1, stars=5)):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            movie_totals_fold()
        during = _totals()[1]
    movie_totals_fold()

    assert during == (11, 31)
    assert _totals()[1] == (12, 36)


def test_the_task_folds(movies, people):
    rating_set(user=people[0], movie_id=2, stars=4)

    movie_totals_fold_task()

    assert _totals()[2] == (11, 34)


def test_beat_folds_every_few_seconds_and_drops_folds_it_could_not_run_in_time():
    entries = celery_beat_schedule("").values()

    folds = [entry for entry in entries if entry["task"] == movie_totals_fold_task.name]
    assert len(folds) == 1
    assert folds[0]["schedule"] <= 10
    assert folds[0]["options"]["expires"] <= folds[0]["schedule"]
