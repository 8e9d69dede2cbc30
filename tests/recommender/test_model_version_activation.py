"""Activation requests are recorded (who asked, when, how it ended), so a failed one is seen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recommender.models import ModelVersionActivation, TrainingRun
from recommender.selectors import model_version_get_active
from recommender.services.activation import (
    model_version_activation_execute,
    model_version_activation_request,
    model_version_activations_sweep,
)
from tests.faults.helpers import DEAD_REDIS, broker_at
from tests.training import model_version_row, train_now

Status = ModelVersionActivation.Status


@pytest.fixture
def version(db):
    return model_version_row()


def test_a_request_is_recorded_and_sent_to_a_worker_after_commit(
    version, django_user_model, activation_calls, django_capture_on_commit_callbacks
):
    staff = django_user_model.objects.create_user("ops", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        activation = model_version_activation_request(version_id=version.pk, requested_by=staff)

    stored = ModelVersionActivation.objects.get()
    assert (stored, stored.status) == (activation, Status.QUEUED)
    assert (stored.version, stored.requested_by) == (version, staff)
    activation_calls.assert_called_once_with(activation.pk)


def test_a_request_the_broker_refuses_fails_with_the_reason(
    version, django_capture_on_commit_callbacks
):
    with broker_at(DEAD_REDIS), django_capture_on_commit_callbacks(execute=True):
        activation = model_version_activation_request(version_id=version.pk)

    activation.refresh_from_db()
    assert activation.status == Status.FAILED
    assert "The task queue did not take it" in activation.error
    assert "OperationalError" in activation.error


def test_a_worker_activates_the_version_and_records_success(trained):
    train_now()
    activation = ModelVersionActivation.objects.create(version=trained)

    done = model_version_activation_execute(activation_id=activation.pk)

    assert (done.status, done.error) == (Status.SUCCEEDED, "")
    assert done.finished_at is not None
    assert model_version_get_active() == trained


def test_an_activation_that_fails_is_recorded_with_its_reason(trained, settings):
    second = train_now()
    activation = ModelVersionActivation.objects.create(version=trained)
    settings.MILVUS_URI = "http://127.0.0.1:9"

    done = model_version_activation_execute(activation_id=activation.pk)

    assert done.status == Status.FAILED
    assert "VectorIndexUnavailable" in done.error
    assert model_version_get_active() == second


@pytest.mark.parametrize("status", [Status.SUCCEEDED, Status.FAILED])
def test_a_finished_request_delivered_again_does_nothing(version, status, mocker):
    activate = mocker.patch("recommender.services.activation.model_version_activate")
    activation = ModelVersionActivation.objects.create(version=version, status=status)

    assert model_version_activation_execute(activation_id=activation.pk) is None
    activate.assert_not_called()


def test_a_request_no_worker_took_fails_after_the_timeout(version, settings):
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    old = ModelVersionActivation.objects.create(version=version)
    recent = ModelVersionActivation.objects.create(version=version)
    ModelVersionActivation.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(seconds=601)
    )

    model_version_activations_sweep()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Status.FAILED, Status.QUEUED)
    assert "No worker took this activation within 10 minutes" in old.error


def test_a_request_waiting_behind_a_training_is_left_queued(version, settings):
    settings.TRAINING_QUEUE_TIMEOUT_SECONDS = 600
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.RUNNING)
    waiting = ModelVersionActivation.objects.create(version=version)
    ModelVersionActivation.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - timedelta(hours=2)
    )

    model_version_activations_sweep()

    waiting.refresh_from_db()
    assert waiting.status == Status.QUEUED
