from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Movie, Rating
from movielens.titles import movie_title_fields
from recommender.models import TrainingRun
from recommender.services.feedback import rating_submit
from recommender.services.retraining import (
    ratings_since_last_training,
    retrain_if_due,
    retrain_scheduled,
)


def _people_rate(django_user_model, counts: list[int], *, at=None, movies: int = 0) -> None:
    """Person i rates counts[i] movies (each person rates movies 1, 2, ...), at `at`."""
    at = at or timezone.now()
    wanted = max(movies, *counts)
    Movie.objects.bulk_create(
        [Movie(id=i, **movie_title_fields(f"Movie {i}"), genres=[]) for i in range(1, wanted + 1)],
        ignore_conflicts=True,
    )
    start = django_user_model.objects.count()
    people = django_user_model.objects.bulk_create(
        django_user_model(username=f"rater-{start + i}") for i in range(len(counts))
    )
    Rating.objects.bulk_create(
        Rating(user=person, movie_id=movie, stars=4, rated_at=at)
        for person, count in zip(people, counts, strict=True)
        for movie in range(1, count + 1)
    )


def test_the_new_ratings_threshold_fires_once(
    trained, newcomer, settings, refresh_calls, mocker, django_capture_on_commit_callbacks
):
    dispatched = mocker.patch("recommender.tasks.training_run_execute_task.delay")
    settings.RETRAIN_AFTER_RATINGS = 3
    settings.RETRAIN_MIN_GAP_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(user=newcomer, movie_id=1, stars=4)
        rating_submit(user=newcomer, movie_id=2, stars=4)
    assert ratings_since_last_training() == 2
    assert retrain_if_due() is None

    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(user=newcomer, movie_id=3, stars=4)
        run = retrain_if_due()

    assert run.trigger == TrainingRun.Trigger.NEW_RATINGS
    dispatched.assert_called_once_with(run.pk)
    assert retrain_if_due() is None  # counted from this request on: it does not fire again
    assert ratings_since_last_training() == 0


@pytest.mark.django_db
def test_the_nightly_run_is_skipped_while_one_is_in_progress(settings, mocker):
    mocker.patch("recommender.tasks.training_run_execute_task.delay")
    settings.TRAINING_PRESET = "tiny"
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.RUNNING)

    assert retrain_scheduled() is None
    assert TrainingRun.objects.count() == 1


@pytest.mark.django_db
def test_a_zero_threshold_never_retrains(settings):
    settings.RETRAIN_AFTER_RATINGS = 0

    assert retrain_if_due() is None


@pytest.mark.django_db
def test_one_person_cannot_reach_the_threshold_alone(django_user_model, settings, train_calls):
    settings.TRAINING_PRESET = "tiny"
    settings.RETRAIN_AFTER_RATINGS = 3
    settings.RETRAIN_RATINGS_PER_PERSON = 2
    _people_rate(django_user_model, [40])

    assert ratings_since_last_training() == 2
    assert retrain_if_due() is None

    _people_rate(django_user_model, [1])

    assert ratings_since_last_training() == 3
    assert retrain_if_due().trigger == TrainingRun.Trigger.NEW_RATINGS


@pytest.mark.django_db
def test_automatic_runs_keep_a_minimum_gap(django_user_model, settings, train_calls):
    settings.TRAINING_PRESET = "tiny"
    settings.RETRAIN_AFTER_RATINGS = 1
    settings.RETRAIN_MIN_GAP_SECONDS = 3600
    last = TrainingRun.objects.create(config={}, status=TrainingRun.Status.SUCCEEDED)
    TrainingRun.objects.filter(pk=last.pk).update(created_at=timezone.now() - timedelta(minutes=59))
    _people_rate(django_user_model, [5, 5])

    assert retrain_if_due() is None
    assert retrain_scheduled() is None

    TrainingRun.objects.filter(pk=last.pk).update(created_at=timezone.now() - timedelta(minutes=61))

    assert retrain_if_due().trigger == TrainingRun.Trigger.NEW_RATINGS


@pytest.mark.django_db
def test_counting_new_ratings_reads_an_index_not_the_whole_table(django_user_model):
    # 20,000 ratings from before the last run and a handful after: PostgreSQL must find the
    # new ones through an index on rated_at, or the count reads all 25M ratings of ml-25m
    # after every refresh.
    _people_rate(django_user_model, [100] * 200, at=timezone.now() - timedelta(days=30))
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.SUCCEEDED)
    _people_rate(django_user_model, [3, 2], movies=100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_rating")

    with CaptureQueriesContext(connection) as queries:
        assert ratings_since_last_training() == 5
    (counting,) = [q["sql"] for q in queries.captured_queries if "catalog_rating" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {counting}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "rating_rated_at_user_idx" in plan, plan
    assert "Seq Scan on catalog_rating" not in plan, plan
