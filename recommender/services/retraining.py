"""When to retrain on its own: nightly, and once enough new ratings have arrived."""

import logging
from datetime import UTC, datetime

from django.conf import settings

from catalog.models import Rating
from core.exceptions import ApplicationError
from recommender.models import TrainingRun
from recommender.selectors import model_version_get_active
from recommender.services.training_runs import training_run_request

logger = logging.getLogger(__name__)


def ratings_since_last_training() -> int:
    """Ratings added or changed after the active model's data export and after the most
    recent training request, whichever is later: a run that failed or was rejected does
    not make the same ratings trigger a retrain again and again."""
    marks = []
    active = model_version_get_active()
    if active and active.data_snapshot.get("exported_at"):
        marks.append(datetime.fromtimestamp(active.data_snapshot["exported_at"], tz=UTC))
    latest = TrainingRun.objects.order_by("-created_at").values_list("created_at", flat=True)[:1]
    marks.extend(latest)
    ratings = Rating.objects.all()
    if marks:
        ratings = ratings.filter(rated_at__gt=max(marks))
    return ratings.count()


def retrain_if_due() -> TrainingRun | None:
    """Queue a run once RETRAIN_AFTER_RATINGS new ratings have arrived."""
    threshold = settings.RETRAIN_AFTER_RATINGS
    if threshold <= 0 or ratings_since_last_training() < threshold:
        return None
    return _request(TrainingRun.Trigger.NEW_RATINGS)


def retrain_scheduled() -> TrainingRun | None:
    return _request(TrainingRun.Trigger.SCHEDULE)


def _request(trigger: str) -> TrainingRun | None:
    try:
        return training_run_request(trigger=trigger)
    except ApplicationError as error:  # one is already queued or running: nothing to do
        logger.info("Not retraining (%s): %s", trigger, error.message)
        return None
