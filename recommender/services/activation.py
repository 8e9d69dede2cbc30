"""Asking a worker to activate a model version (the web side never writes to Milvus), and
keeping a record of each request: who asked, when, and how it ended."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.exceptions import ApplicationError
from recommender.models import ModelVersionActivation, TrainingRun
from recommender.selectors import model_version_get
from recommender.services.model_versions import model_version_activate
from recommender.services.training_runs import training_queue_timeout_reason
from recommender.tasks import model_version_activation_execute_task

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)
Status = ModelVersionActivation.Status


def model_version_activation_request(
    *, version_id: int, requested_by: User | None = None
) -> ModelVersionActivation:
    """Record a request to switch to `version_id` and queue it for a worker (staff pages,
    the API and the admin)."""
    version = model_version_get(version_id=version_id)
    if version is None:
        raise ApplicationError(
            f"There is no model version {version_id}.", {"version_id": version_id}
        )
    activation = ModelVersionActivation.objects.create(version=version, requested_by=requested_by)
    transaction.on_commit(lambda: _dispatch(activation))
    return activation


def _dispatch(activation: ModelVersionActivation) -> None:
    # After the commit: a broker that does not answer must fail the request, visibly, and
    # not turn the page that asked into an error.
    try:
        model_version_activation_execute_task.delay(activation.pk)
    except Exception as error:  # whatever the broker's client raises
        logger.warning("Activation %s could not be sent to a worker: %r", activation.pk, error)
        _finish(activation.pk, Status.FAILED, f"The task queue did not take it: {error!r}")
        activation.refresh_from_db()


def model_version_activation_execute(*, activation_id: int) -> ModelVersionActivation | None:
    """Do a requested activation (workers only); None when it is already finished.

    Safe to deliver twice: a finished request is left alone; one still running was cut off
    by its worker's death and runs again, as activating is idempotent.
    """
    claimed = ModelVersionActivation.objects.filter(
        pk=activation_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING)
    if not claimed:
        return None
    activation = ModelVersionActivation.objects.select_related("version").get(pk=activation_id)
    try:
        model_version_activate(version=activation.version)
    except Exception as error:
        logger.exception("Activation of model version %s failed", activation.version_id)
        _finish(activation.pk, Status.FAILED, f"{type(error).__name__}: {error}")
    else:
        _finish(activation.pk, Status.SUCCEEDED, "")
    activation.refresh_from_db()
    return activation


def model_version_activations_sweep() -> int:
    """Fail the requests no worker took within TRAINING_QUEUE_TIMEOUT_SECONDS; how many.
    Activations wait in the training queue, so time behind a training does not count."""
    if TrainingRun.objects.filter(status=TrainingRun.Status.RUNNING).exists():
        return 0
    cutoff = timezone.now() - timedelta(seconds=settings.TRAINING_QUEUE_TIMEOUT_SECONDS)
    last_training = TrainingRun.objects.aggregate(last=Max("finished_at"))["last"]
    if last_training and last_training > cutoff:
        return 0
    stuck = ModelVersionActivation.objects.filter(status=Status.QUEUED, requested_at__lt=cutoff)
    error = training_queue_timeout_reason(nobody_did="No worker took this activation")
    count = stuck.update(status=Status.FAILED, finished_at=timezone.now(), error=error)
    if count:
        logger.warning("Failed %d activation(s) no worker took", count)
    return count


def _finish(activation_id: int, status: str, error: str) -> None:
    ModelVersionActivation.objects.filter(
        pk=activation_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=status, error=error[:5000], finished_at=timezone.now())
