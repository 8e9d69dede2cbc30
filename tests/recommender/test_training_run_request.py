import pytest
from django.db import IntegrityError

from core.exceptions import ApplicationError
from recommender.models import TrainingRun
from recommender.services.training_runs import training_run_request

pytestmark = pytest.mark.django_db


def test_it_queues_a_run_and_dispatches_after_commit(django_capture_on_commit_callbacks, mocker):
    delay = mocker.patch("recommender.tasks.training_run_execute_task.delay")

    with django_capture_on_commit_callbacks(execute=True):
        run = training_run_request(preset="tiny")

    assert run.status == TrainingRun.Status.QUEUED
    delay.assert_called_once_with(run.pk)


@pytest.mark.parametrize("status", [TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING])
def test_it_refuses_while_another_is_in_progress(status):
    busy = TrainingRun.objects.create(config={}, status=status)

    with pytest.raises(ApplicationError, match=f"Training run {busy.pk} is already {status}"):
        training_run_request(preset="tiny", dispatch=False)


def test_the_database_allows_one_queued_and_one_running_at_most():
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.RUNNING)
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.QUEUED)

    with pytest.raises(IntegrityError, match="training_one_queued_one_running"):
        TrainingRun.objects.create(config={}, status=TrainingRun.Status.RUNNING)
