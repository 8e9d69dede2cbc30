"""Reads of the recommender's state, shared by web, API, commands and tasks."""

from functools import lru_cache

from django.db.models import Q

from movierec_site.errors import ApplicationError
from recommender.models import ModelVersion, TrainingRun


def model_version_active() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()


def training_run_in_progress() -> TrainingRun | None:
    return TrainingRun.objects.filter(
        Q(status=TrainingRun.Status.QUEUED) | Q(status=TrainingRun.Status.RUNNING)
    ).first()


def trained_model_active():
    """The active version and its loaded model; ApplicationError when none is trained."""
    version = model_version_active()
    if version is None:
        raise ApplicationError("No model is trained yet: run `python manage.py train`.")
    return version, trained_model_of(version)


def trained_model_of(version: ModelVersion):
    return _load(version.pk, version.artifact_path)


@lru_cache(maxsize=2)
def _load(version_id: int, artifact_path: str):
    # Keyed by version: an activation elsewhere changes the key, so the next call loads the
    # new model; the previous one stays cached for a quick rollback.
    from recommender.training.inference import load_model

    return load_model(artifact_path)
