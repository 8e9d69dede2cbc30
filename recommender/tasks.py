"""Celery tasks: each takes ids, loads rows, calls one service, and is safe to run twice.

Services are imported inside the task bodies and the services import these tasks at module
level (as `<name>_task`), so there is no import cycle between the two.
"""

import socket

from celery import shared_task
from celery.signals import worker_ready


@shared_task(bind=True, acks_late=True, max_retries=None)
def training_run_execute_task(self, run_id: int) -> None:
    """Run a queued TrainingRun. Safe to deliver twice: only the first claim runs it.

    acks_late: a worker killed mid-run leaves the message to be redelivered, and the claim
    then refuses it (the run is no longer queued) instead of training twice.
    """
    from recommender.selectors import training_run_is_queued
    from recommender.services.training import training_run_execute

    hostname = self.request.hostname or socket.gethostname()
    run = training_run_execute(run_id=run_id, worker=hostname)
    if run is None and training_run_is_queued(run_id=run_id):
        raise self.retry(countdown=30)  # waiting behind another run


@worker_ready.connect
def training_runs_sweep_on_worker_start(sender, **kwargs) -> None:
    """A run still "running" under this worker's name was cut off by a kill or restart:
    nobody else will finish it. A queued run is sent again: its message may have been lost
    while no worker ran."""
    from recommender.services.training_runs import training_runs_sweep

    training_runs_sweep(started_worker=sender.hostname)


@shared_task
def training_queue_sweep_task() -> None:
    """Beat, every minute: fail what no worker will finish, send again what the broker
    refused (recommender.services.training_runs.training_runs_sweep)."""
    from recommender.services.training_runs import training_runs_sweep

    training_runs_sweep()


@shared_task(acks_late=True)
def recommendation_refresh_task(user_id: int) -> None:
    """Warm a person's recommendations after a rating, then see whether to retrain.
    Safe to run twice: it only recomputes and caches."""
    from recommender.services.retraining import retrain_if_due
    from recommender.serving import recommendation_refresh

    recommendation_refresh(user_id=user_id)
    retrain_if_due()


@shared_task
def retrain_scheduled_task() -> None:
    from recommender.services.retraining import retrain_scheduled

    retrain_scheduled()


@shared_task(acks_late=True)
def model_version_activate_task(version_id: int) -> None:
    """Activate a version (e.g. a rollback from the admin): workers own Milvus writes.
    Safe to run twice: activating the active version re-points the alias to where it is."""
    from recommender.selectors import model_version_get
    from recommender.services.model_versions import model_version_activate

    version = model_version_get(version_id=version_id)
    if version is not None:
        model_version_activate(version=version)
