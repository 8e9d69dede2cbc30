from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from recommender.models import ModelVersion, TrainingRun
from recommender.selectors import model_version_get_active
from recommender.services.model_versions import model_version_activate
from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_run_request, training_runs_fail_stale
from recommender.training import pipeline
from recommender.vector_index import index_status


def _train() -> TrainingRun:
    run = training_run_request(dispatch=False)
    return training_run_execute(run_id=run.pk, worker="test-worker")


def test_a_run_trains_records_and_activates_a_version(synthetic_catalog):
    run = _train()

    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.metrics["model_rmse"] < run.metrics["global_mean_rmse"]
    assert run.epoch >= 1
    assert run.step == run.steps_per_epoch > 0
    assert [entry["epoch"] for entry in run.loss_history] == list(
        range(1, len(run.loss_history) + 1)
    )
    version = model_version_get_active()
    assert version.training_run == run
    assert version.gate == ModelVersion.Gate.PASSED
    assert version.data_snapshot["ratings"] == len(synthetic_catalog[0])
    assert (version.metrics, version.config) == (run.metrics, run.config)


def test_a_failed_run_leaves_the_active_version(synthetic_catalog, mocker):
    first = _train()
    mocker.patch(
        "recommender.training.pipeline.train_and_evaluate", side_effect=RuntimeError("disk full")
    )

    failed = _train()

    assert failed.status == TrainingRun.Status.FAILED
    assert "RuntimeError: disk full" in failed.error
    assert model_version_get_active().training_run == first
    assert not ModelVersion.objects.filter(training_run=failed).exists()


def test_a_worse_version_is_kept_but_not_activated_until_chosen(synthetic_catalog, settings):
    first = _train()
    settings.TRAINING_RMSE_TOLERANCE = -10.0  # any new version is "worse"

    second = _train()

    rejected = ModelVersion.objects.get(training_run=second)
    assert rejected.gate == ModelVersion.Gate.REJECTED
    assert model_version_get_active().training_run == first
    model_version_activate(version=rejected)
    assert model_version_get_active() == rejected
    assert ModelVersion.objects.filter(is_active=True).count() == 1


def test_a_redelivered_task_does_not_train_twice(synthetic_catalog):
    run = _train()

    assert training_run_execute(run_id=run.pk, worker="test-worker") is None
    assert ModelVersion.objects.count() == 1


def test_no_ratings_fails_with_a_clear_message(db, settings, tmp_path):
    settings.MODEL_DIR = tmp_path
    settings.TRAINING_PRESET = "tiny"

    run = _train()

    assert run.status == TrainingRun.Status.FAILED
    assert "no ratings to train on" in run.error


@pytest.mark.django_db
def test_a_silent_running_run_is_marked_failed(settings):
    settings.TRAINING_STALE_SECONDS = 60
    old = timezone.now() - timedelta(seconds=61)
    stale = TrainingRun.objects.create(config={}, status="running", heartbeat_at=old)

    assert training_runs_fail_stale() == 1
    stale.refresh_from_db()
    assert stale.status == TrainingRun.Status.FAILED
    assert "worker stopped" in stale.error


@pytest.mark.django_db
def test_a_restarted_worker_fails_the_run_it_left_behind():
    mine = TrainingRun.objects.create(
        config={}, status="running", heartbeat_at=timezone.now(), worker="w1@host"
    )

    assert training_runs_fail_stale(worker="w2@host") == 0
    assert training_runs_fail_stale(worker="w1@host") == 1
    mine.refresh_from_db()
    assert mine.status == TrainingRun.Status.FAILED


def test_a_run_failed_while_it_trained_stays_failed_and_its_model_never_serves(
    synthetic_catalog, mocker
):
    first = _train()
    train_and_evaluate = pipeline.train_and_evaluate

    def then_swept(*args, **kwargs):
        result = train_and_evaluate(*args, **kwargs)
        # The sweeper took the run for dead just before it finished.
        TrainingRun.objects.filter(status="running").update(status="failed", error="swept")
        return result

    mocker.patch("recommender.training.pipeline.train_and_evaluate", side_effect=then_swept)

    second = _train()

    assert (second.status, second.error) == (TrainingRun.Status.FAILED, "swept")
    assert not ModelVersion.objects.filter(training_run=second).exists()
    assert model_version_get_active().training_run == first
    assert index_status(uri=settings.MILVUS_URI).version_id == first.model_version.pk


def test_a_run_failed_while_it_trains_stops_training(synthetic_catalog):
    run = training_run_request(dispatch=False)
    calls = []

    def swept_at_the_first_step(epoch, step, steps, loss):
        calls.append((epoch, step, steps))
        TrainingRun.objects.filter(pk=run.pk).update(status="failed", error="swept")

    finished = training_run_execute(run_id=run.pk, worker="w", echo=swept_at_the_first_step)

    assert (finished.status, finished.error) == (TrainingRun.Status.FAILED, "swept")
    epoch, step, steps = calls[-1]
    assert (epoch, step) == (1, 1)
    assert steps > 1
    assert finished.loss_history == []
