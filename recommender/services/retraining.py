"""When to retrain on its own: nightly, and once enough new ratings have arrived.

Neither can be driven by one account: each person counts for at most
RETRAIN_RATINGS_PER_PERSON of the new ratings, and automatic runs keep
RETRAIN_MIN_GAP_SECONDS from the last request of any kind.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Least
from django.utils import timezone

from catalog.models import Rating
from core.exceptions import ApplicationError
from recommender.models import TrainingRun
from recommender.selectors import model_version_get_active
from recommender.services.training_runs import training_run_request

logger = logging.getLogger(__name__)


def ratings_since_last_training() -> int:
    """Ratings added or changed after the active model's data export and after the most
    recent training request, whichever is later (a run that failed or was rejected does
    not make the same ratings trigger a retrain again and again), each person's counting
    for at most RETRAIN_RATINGS_PER_PERSON."""
    marks = []
    active = model_version_get_active()
    if active and active.data_snapshot.get("exported_at"):
        marks.append(datetime.fromtimestamp(active.data_snapshot["exported_at"], tz=UTC))
    marks.extend(_latest_request())
    ratings = Rating.objects.all()
    if marks:
        # A range of rating_rated_at_user_idx: the index alone answers, however large the
        # table (catalog.models.Rating).
        ratings = ratings.filter(rated_at__gt=max(marks))
    per_person = ratings.values("user_id").annotate(
        counted=Least(Count("*"), settings.RETRAIN_RATINGS_PER_PERSON)
    )
    return per_person.aggregate(total=Sum("counted"))["total"] or 0


def retrain_if_due() -> TrainingRun | None:
    """Queue a run once RETRAIN_AFTER_RATINGS new ratings have arrived."""
    threshold = settings.RETRAIN_AFTER_RATINGS
    if threshold <= 0 or ratings_since_last_training() < threshold:
        return None
    return _request(TrainingRun.Trigger.NEW_RATINGS)


def retrain_scheduled() -> TrainingRun | None:
    return _request(TrainingRun.Trigger.SCHEDULE)


def _latest_request() -> list[datetime]:
    latest = TrainingRun.objects.order_by("-created_at").values_list("created_at", flat=True)
    return list(latest[:1])


def _request(trigger: str) -> TrainingRun | None:
    gap = timedelta(seconds=settings.RETRAIN_MIN_GAP_SECONDS)
    latest = _latest_request()
    if latest and latest[0] > timezone.now() - gap:
        logger.info("Not retraining (%s): the last run was requested at %s", trigger, latest[0])
        return None
    try:
        return training_run_request(trigger=trigger)
    except ApplicationError as error:  # one is already queued or running: nothing to do
        logger.info("Not retraining (%s): %s", trigger, error.message)
        return None
