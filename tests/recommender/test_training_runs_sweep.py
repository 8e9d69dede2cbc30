"""The sweeper (beat, every minute; a worker on start; each request): a queued run that no
worker takes is sent again or failed, so it never blocks training for good."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from movierec_site.schedule import celery_beat_schedule
from recommender.models import TrainingRun
from recommender.services.training_runs import training_run_request, training_runs_sweep
from recommender.tasks import training_runs_sweep_on_worker_start

pytestmark = pytest.mark.django_db
Status = TrainingRun.Status


def _queued(*, age: timedelta = timedelta(0), **fields) -> TrainingRun:
    run = TrainingRun.objects.create(config={}, status=Status.QUEUED, **fields)
    TrainingRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - age)
    return run


def _status(run: TrainingRun) -> str:
    run.refresh_from_db()
    return run.status


def test_a_run_the_broker_refused_is_sent_again(train_calls):
    run = _queued(dispatch_error="OperationalError: Error 111 connecting to 127.0.0.1:6379.")

    training_runs_sweep()

    train_calls.assert_called_once_with(run.pk)
    run.refresh_from_db()
    assert (run.status, run.dispatch_error) == (Status.QUEUED, "")
    assert run.dispatched_at is not None


def test_a_run_the_broker_took_is_not_sent_again_by_beat(train_calls):
    _queued(dispatched_at=timezone.now())

    training_runs_sweep()

    train_calls.assert_not_called()


def test_a_run_no_worker_took_fails_after_the_timeout_and_training_is_free_again(
    settings, train_calls
):
    settings.TRAINING_PRESET = "tiny"
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    waiting = _queued(age=timedelta(seconds=590), dispatched_at=timezone.now())
    stuck = TrainingRun.objects.filter(pk=waiting.pk)

    training_runs_sweep()
    assert _status(waiting) == Status.QUEUED
    stuck.update(created_at=timezone.now() - timedelta(seconds=601))
    training_runs_sweep()

    assert _status(waiting) == Status.FAILED
    assert "No training worker started this run within 10 minutes" in waiting.error
    assert waiting.finished_at is not None
    assert training_run_request(dispatch=False).status == Status.QUEUED


def test_the_reason_a_timed_out_run_gives_names_the_dispatch_error(settings):
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    run = _queued(age=timedelta(hours=1), dispatch_error="OperationalError: connection refused")

    training_runs_sweep(resend=False)

    assert _status(run) == Status.FAILED
    assert "OperationalError: connection refused" in run.error


def test_a_run_waiting_behind_a_live_run_is_left_queued(settings):
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    TrainingRun.objects.create(config={}, status=Status.RUNNING, heartbeat_at=timezone.now())
    waiting = _queued(age=timedelta(hours=3), dispatched_at=timezone.now())

    training_runs_sweep()

    assert _status(waiting) == Status.QUEUED


def test_the_wait_counts_from_when_the_run_ahead_of_it_finished(settings):
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    TrainingRun.objects.create(
        config={},
        status=Status.SUCCEEDED,
        finished_at=timezone.now() - timedelta(seconds=30),
    )
    waiting = _queued(age=timedelta(hours=3), dispatched_at=timezone.now())

    training_runs_sweep()

    assert _status(waiting) == Status.QUEUED


def test_a_request_clears_a_timed_out_run_itself(settings, train_calls):
    settings.TRAINING_PRESET = "tiny"
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    stuck = _queued(age=timedelta(hours=1), dispatched_at=timezone.now())

    run = training_run_request(dispatch=False)

    assert (_status(stuck), run.status) == (Status.FAILED, Status.QUEUED)


def test_a_starting_worker_sends_every_queued_run_again(train_calls):
    # The broker took the message, then lost it (a restart without persistence): only a
    # worker's start tells the sweeper that whatever it was waiting for is here now.
    run = _queued(dispatched_at=timezone.now())

    training_runs_sweep_on_worker_start(sender=SimpleNamespace(hostname="trainer@host"))

    train_calls.assert_called_once_with(run.pk)


def test_a_starting_worker_fails_the_run_it_left_behind(train_calls):
    mine = TrainingRun.objects.create(
        config={}, status=Status.RUNNING, heartbeat_at=timezone.now(), worker="trainer@host"
    )

    training_runs_sweep_on_worker_start(sender=SimpleNamespace(hostname="trainer@host"))

    assert _status(mine) == Status.FAILED


def test_beat_sweeps_every_minute_even_with_nightly_retraining_off():
    entries = celery_beat_schedule("").values()

    sweep = [entry for entry in entries if entry["task"].endswith(".training_queue_sweep_task")]
    assert len(sweep) == 1
    assert sweep[0]["schedule"] == 60
