"""The Celery beat schedule: the training queue's sweep every minute, the movie totals'
fold every few seconds, and the nightly retraining from the RETRAIN_CRON setting."""

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

SWEEP = {
    "training-queue-sweep": {
        "task": "recommender.tasks.training_queue_sweep_task",
        "schedule": 60.0,
    },
    # Movie totals trail the ratings by about this much (catalog.services.movie_totals).
    # A fold that waited longer than that is dropped: the next one does its work.
    "movie-totals-fold": {
        "task": "catalog.tasks.movie_totals_fold_task",
        "schedule": 5.0,
        "options": {"expires": 5.0},
    },
}


def celery_beat_schedule(retrain_cron: str) -> dict:
    if not retrain_cron.strip():
        return dict(SWEEP)
    parts = retrain_cron.split()
    if len(parts) != 2:
        raise ImproperlyConfigured(
            f"RETRAIN_CRON={retrain_cron!r}: give 'minute hour', e.g. '0 3' for 03:00 UTC."
        )
    try:
        schedule = crontab(minute=parts[0], hour=parts[1])
    except ValueError as error:
        raise ImproperlyConfigured(f"RETRAIN_CRON={retrain_cron!r}: {error}") from None
    return {
        **SWEEP,
        "retrain-nightly": {
            "task": "recommender.tasks.retrain_scheduled_task",
            "schedule": schedule,
        },
    }
