"""Recording trained versions, the quality gate, and which version serves.

Serving a version means two things that must move together: the `is_active` row in
PostgreSQL and the Milvus alias. Both happen in one transaction that holds the writer
lock; the alias moves last before commit, so a Milvus failure rolls the row change back.
Readers go by the row alone (they search the active version's own collection, which is
filled before the row commits), so they never pair one version's model with another's
movie vectors, even between the alias move and the commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from recommender.models import ModelVersion, TrainingRun
from recommender.selectors import scoring_model_of
from recommender.services.vector_index import vector_index_point_at, vector_index_writer_lock

if TYPE_CHECKING:
    from recommender.training.pipeline import TrainResult

GATE_METRIC = "model_rmse"


def model_version_record(*, run: TrainingRun, result: TrainResult, snapshot: dict) -> ModelVersion:
    """Keep a finished run's model; it serves only if it passes the gate."""
    active = ModelVersion.objects.filter(is_active=True).first()
    passed = active is None or result.metrics[GATE_METRIC] <= (
        active.metrics[GATE_METRIC] + settings.TRAINING_RMSE_TOLERANCE
    )
    version = ModelVersion.objects.create(
        training_run=run,
        artifact_path=str(result.artifact_dir),
        config=run.config,
        data_snapshot=snapshot,
        metrics=result.metrics,
        gate=ModelVersion.Gate.PASSED if passed else ModelVersion.Gate.REJECTED,
    )
    if passed:
        model_version_activate(version=version)
    return version


@transaction.atomic
def model_version_activate(*, version: ModelVersion) -> ModelVersion:
    """Make `version` the one that serves (also a rollback to an older or rejected one)."""
    vector_index_writer_lock()
    if not ModelVersion.objects.filter(pk=version.pk).exists():
        raise ApplicationError(f"Model version {version.pk} does not exist.")
    ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    ModelVersion.objects.filter(pk=version.pk).update(is_active=True, activated_at=timezone.now())
    vector_index_point_at(version=version, model=scoring_model_of(version=version))
    version.refresh_from_db()
    return version
