"""Reads of the recommender's state, shared by web, API, commands and tasks."""

import logging
import zipfile
from functools import lru_cache

from django.db.models import Q

from core.exceptions import ApplicationError
from recommender.models import ModelVersion, TrainingRun
from recommender.scoring import ScoringModel, load_scoring_model

logger = logging.getLogger(__name__)


def model_version_active() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()


def training_run_in_progress() -> TrainingRun | None:
    return TrainingRun.objects.filter(
        Q(status=TrainingRun.Status.QUEUED) | Q(status=TrainingRun.Status.RUNNING)
    ).first()


def trained_model_active() -> tuple[ModelVersion, ScoringModel]:
    """The active version and its loaded model; ApplicationError when none is trained or
    its artifact cannot be loaded."""
    version = model_version_active()
    if version is None:
        raise ApplicationError("No model is trained yet: run `python manage.py train`.")
    try:
        return version, trained_model_of(version)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        # A missing or incompatible artifact (e.g. saved by an older ModelConfig) must
        # degrade pages to the popular fallback, as no model does, not turn them into 500s.
        logger.error("Model version %s cannot be loaded: %s", version.pk, error)
        raise ApplicationError(
            f"The active model version {version.pk} cannot be loaded."
        ) from error


def trained_model_of(version: ModelVersion) -> ScoringModel:
    return _load(version.pk, version.artifact_path)


@lru_cache(maxsize=2)
def _load(version_id: int, artifact_path: str) -> ScoringModel:
    # Keyed by version: an activation elsewhere changes the key, so the next call loads the
    # new model; the previous one stays cached for a quick rollback. Loading is numpy only
    # (no Paddle in web processes), and the loaded model is read-only: one copy serves
    # every thread. Two threads missing at once may both load; lru_cache keeps one.
    return load_scoring_model(artifact_path)
