import pytest

from recommender.models import TrainingRun
from recommender.services.feedback import rating_submit
from recommender.services.retraining import (
    ratings_since_last_training,
    retrain_if_due,
    retrain_scheduled,
)


def test_the_new_ratings_threshold_fires_once(
    trained, newcomer, settings, refresh_calls, mocker, django_capture_on_commit_callbacks
):
    dispatched = mocker.patch("recommender.tasks.training_run_execute_task.delay")
    settings.RETRAIN_AFTER_RATINGS = 3
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
