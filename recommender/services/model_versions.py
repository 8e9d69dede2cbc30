"""Recording trained versions, the quality gate, and which version serves."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from movierec_site.errors import ApplicationError
from recommender.models import ModelVersion, TrainingRun

GATE_METRIC = "model_rmse"


def model_version_record(*, run: TrainingRun, result, snapshot: dict) -> ModelVersion:
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
    # Lock the active row so two activations cannot interleave between "clear" and "set".
    list(ModelVersion.objects.select_for_update().filter(is_active=True))
    if not ModelVersion.objects.filter(pk=version.pk).exists():
        raise ApplicationError(f"Model version {version.pk} does not exist.")
    ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    ModelVersion.objects.filter(pk=version.pk).update(is_active=True, activated_at=timezone.now())
    version.refresh_from_db()
    return version
