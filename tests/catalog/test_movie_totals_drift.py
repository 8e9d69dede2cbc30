"""The proof that no movie total drifts: many people, and one person in two tabs, rate,
re-rate and remove ratings of the same few movies at once while two folds run beside
them; after a last fold every movie's rating_count and rating_sum equal the aggregate over
its ratings, and no change is left pending."""

import random
import threading

import pytest

from catalog.models import Movie, MovieTotalsChange
from catalog.services.movie_totals import movie_totals_fold
from catalog.services.ratings import rating_delete, rating_set
from movielens.titles import movie_title_fields
from tests.catalog.rating_threads import WAIT_SECONDS, run_in_threads, totals_and_aggregates

MOVIES = [1, 2, 3]
PEOPLE = 8
WRITES_EACH = 40

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_total_drifts_under_concurrent_writes_and_folds(django_user_model):
    Movie.objects.bulk_create(
        Movie(id=movie_id, **movie_title_fields(f"Movie {movie_id}")) for movie_id in MOVIES
    )
    people = [django_user_model.objects.create_user(f"person-{i}") for i in range(PEOPLE)]
    writers = [*people, people[0]]  # person 0 twice: two tabs at once
    start = threading.Barrier(len(writers), timeout=WAIT_SECONDS)
    writing = [len(writers)]
    lock = threading.Lock()

    def writes(user, seed: int):
        def run() -> None:
            choose = random.Random(seed)
            try:
                start.wait()
                for _ in range(WRITES_EACH):
                    movie_id = choose.choice(MOVIES)
                    if choose.random() < 0.25:
                        rating_delete(user=user, movie_id=movie_id)
                    else:
                        rating_set(user=user, movie_id=movie_id, stars=choose.randint(1, 5))
            finally:
                with lock:
                    writing[0] -= 1

        return run

    def folds() -> None:
        while writing[0]:
            movie_totals_fold()

    run_in_threads([*(writes(user, seed) for seed, user in enumerate(writers)), folds, folds])
    movie_totals_fold()

    stored, counted = totals_and_aggregates(MOVIES)
    assert stored == counted
    assert sum(count for count, _ in counted.values()) > 0
    assert not MovieTotalsChange.objects.exists()
