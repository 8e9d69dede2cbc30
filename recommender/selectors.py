"""Reads of the recommender's state, shared by web, API, commands and tasks."""

import logging
import threading
from functools import lru_cache
from time import monotonic

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from catalog.models import Profile
from core.exceptions import ApplicationError
from recommender.models import ModelVersion, ModelVersionActivation, TrainingRun
from recommender.scoring import ScoringModel, load_scoring_model
from recommender.vector_index import index_status

logger = logging.getLogger(__name__)


def model_version_get_active() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()


def profile_get_with_active_version(*, user_id: int) -> tuple[Profile, ModelVersion] | None:
    """The person's profile and the active version, in one query: the list state every
    signed-in page view reads. Both come back as stand-ins holding only what cache keys
    read (the demographics, the last rating, exclusion and onboarding-pick changes, the
    popularity dial; the version's id and creation time).
    None when the person has no profile or no version is active.

    Plain SQL, written once: on this path the ORM spent more time compiling the query
    (with the version as a subquery) than PostgreSQL spent answering it."""
    with connection.cursor() as cursor:
        cursor.execute(_PROFILE_WITH_ACTIVE_VERSION, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    *row, popularity_dial = row
    gender, age, occupation, ratings_changed_at, exclusions_changed_at, picks_changed_at = row[:6]
    version_id, created = row[6:]
    profile = Profile(
        user_id=user_id,
        gender=gender,
        age=age,
        occupation=occupation,
        ratings_changed_at=ratings_changed_at,
        exclusions_changed_at=exclusions_changed_at,
        picks_changed_at=picks_changed_at,
    )
    profile.popularity_dial = popularity_dial
    return profile, ModelVersion(pk=version_id, created_at=created)


# Table names from the models, the user id a parameter; the partial unique index
# one_active_model_version answers the join.
_PROFILE_WITH_ACTIVE_VERSION = f"""
    SELECT p.gender, p.age, p.occupation, p.ratings_changed_at, p.exclusions_changed_at,
        p.picks_changed_at, v.id, v.created_at, p.popularity_dial
    FROM {Profile._meta.db_table} p JOIN {ModelVersion._meta.db_table} v ON v.is_active
    WHERE p.user_id = %s
"""


def model_version_get(*, version_id: int) -> ModelVersion | None:
    return ModelVersion.objects.select_related("training_run").filter(pk=version_id).first()


def model_version_list() -> QuerySet[ModelVersion]:
    """Newest first."""
    return ModelVersion.objects.select_related("training_run")


def model_version_activation_list() -> QuerySet[ModelVersionActivation]:
    """Activation requests, newest first, with who asked."""
    return ModelVersionActivation.objects.select_related("requested_by")


def vector_index_live_version(*, timeout: float) -> int | None:
    """The version whose collection the live alias names (None: no alias yet);
    VectorIndexUnavailable when Milvus does not answer within about `timeout`."""
    return index_status(uri=settings.MILVUS_URI, timeout=timeout).version_id


def training_run_list() -> QuerySet[TrainingRun]:
    """Newest first, with who asked and what it produced."""
    return TrainingRun.objects.select_related("triggered_by", "model_version")


def training_run_get(*, run_id: int) -> TrainingRun | None:
    return training_run_list().filter(pk=run_id).first()


def training_run_is_queued(*, run_id: int) -> bool:
    return TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.QUEUED).exists()


def training_run_get_in_progress() -> TrainingRun | None:
    return TrainingRun.objects.filter(
        Q(status=TrainingRun.Status.QUEUED) | Q(status=TrainingRun.Status.RUNNING)
    ).first()


# How long a version whose artifact failed to load gets the fallback before the next try:
# long enough that a busy site neither reloads nor logs on every request, short enough that
# a repaired artifact or a remounted volume serves again without a restart.
LOAD_FAILURE_MEMO_SECONDS = 45.0

# (version id, artifact path) -> monotonic time of the next try. Per process, as the loaded
# models are; the lock makes one thread load (or fail, and log) while the others wait.
_load_failures: dict[tuple[int, str], float] = {}
_load_lock = threading.Lock()


def scoring_model_get_active() -> tuple[ModelVersion, ScoringModel]:
    """The active version and its loaded model; ApplicationError when none is trained or
    its artifact cannot be loaded."""
    version = model_version_get_active()
    if version is None:
        raise ApplicationError("No model is trained yet: run `python manage.py train`.")
    key = (version.pk, version.artifact_path)
    with _load_lock:
        if monotonic() < _load_failures.get(key, 0.0):
            raise ApplicationError(f"The active model version {version.pk} cannot be loaded.")
        try:
            model = scoring_model_of(version=version)
        except Exception as error:
            # Whatever the files hold (deleted, truncated, pickled, another format, arrays
            # that do not fit), pages degrade to the popular fallback as with no model, and
            # the operator gets the reason once per try, with its traceback.
            _load_failures[key] = monotonic() + LOAD_FAILURE_MEMO_SECONDS
            logger.exception(
                "Model version %s cannot be loaded (next try in %.0f s): %r",
                version.pk,
                LOAD_FAILURE_MEMO_SECONDS,
                error,
            )
            raise ApplicationError(
                f"The active model version {version.pk} cannot be loaded."
            ) from error
        _load_failures.pop(key, None)
    return version, model


def scoring_model_of(*, version: ModelVersion) -> ScoringModel:
    return _load(version.pk, version.artifact_path)


@lru_cache(maxsize=2)
def _load(version_id: int, artifact_path: str) -> ScoringModel:
    # Keyed by version: an activation elsewhere changes the key, so the next call loads the
    # new model; the previous one stays cached for a quick rollback. Loading is numpy only
    # (no Paddle in web processes), and the loaded model is read-only: one copy serves
    # every thread. Requests load it under scoring_model_get_active's lock, so only once.
    return load_scoring_model(artifact_path)
