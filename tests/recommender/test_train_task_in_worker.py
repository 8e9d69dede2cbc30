"""The train task in a real Celery worker process: dispatch, one at a time, and a kill."""

import os
import signal
import uuid

import pytest
from django.db import transaction

from recommender.model.config import ModelConfig
from recommender.models import TrainingRun
from recommender.selectors import model_version_get_active
from recommender.services.training_runs import training_run_request
from recommender.tasks import training_run_execute_task
from tests.celery_worker import celery_worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _status(run: TrainingRun) -> str:
    run.refresh_from_db()
    return run.status


def _finished(run: TrainingRun) -> bool:
    return _status(run) in {TrainingRun.Status.SUCCEEDED, TrainingRun.Status.FAILED}


def _request() -> TrainingRun:
    with transaction.atomic():  # the task is sent on commit, as in a web request
        return training_run_request()


def _request_long() -> TrainingRun:
    """A run that trains for minutes: the tiny preset without early stopping."""
    run = training_run_request(dispatch=False)
    long = ModelConfig.from_dict({**run.config, "epochs": 400, "patience": 400})
    TrainingRun.objects.filter(pk=run.pk).update(config=long.to_dict())
    training_run_execute_task.delay(run.pk)
    return run


def test_a_worker_trains_a_requested_run(synthetic_catalog, tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(f"train-{uuid.uuid4().hex[:8]}@%h", log):
        run = _request()
        wait_for(lambda: _finished(run), 120, "the run to finish", log)

    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.worker.startswith("train-")
    assert model_version_get_active().training_run == run


def test_a_killed_worker_leaves_the_run_failed_and_the_active_version(synthetic_catalog, tmp_path):
    log, name = tmp_path / "worker.log", f"kill-{uuid.uuid4().hex[:8]}@%h"
    with celery_worker(name, log) as worker:
        first = _request()
        wait_for(lambda: _finished(first), 120, "the first run", log)
        active = model_version_get_active()
        doomed = _request_long()
        wait_for(lambda: TrainingRun.objects.get(pk=doomed.pk).step > 0, 60, "training", log)
        with pytest.raises(Exception, match="already running"):
            training_run_request(dispatch=False)
        # The solo pool trains inside the worker's own process: this kills the training.
        os.kill(worker.pid, signal.SIGKILL)
    with celery_worker(name, log):
        wait_for(lambda: _status(doomed) == TrainingRun.Status.FAILED, 30, "failed mark", log)
        assert model_version_get_active() == active
        retry = _request()
        wait_for(lambda: _finished(retry), 120, "the next run", log)

    assert "worker stopped" in doomed.error
    assert retry.status == TrainingRun.Status.SUCCEEDED, retry.error
