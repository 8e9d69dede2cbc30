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
    """Beat, every minute: fail what no worker will finish or start, send again what the
    broker refused (the two sweeps say how)."""
    from recommender.services.activation import model_version_activations_sweep
    from recommender.services.training_runs import training_runs_sweep

    training_runs_sweep()
    model_version_activations_sweep()


@shared_task(acks_late=True)
def recommendation_refresh_task(user_id: int) -> None:
    """Warm a person's recommendations after a rating, then see whether to retrain.
    Safe to run twice: it only recomputes and caches."""
    from recommender.services.feedback import rating_feedback_process

    rating_feedback_process(user_id=user_id)


@shared_task
def retrain_scheduled_task() -> None:
    from recommender.services.retraining import retrain_scheduled

    retrain_scheduled()


@shared_task(acks_late=True)
def model_version_activation_execute_task(activation_id: int) -> None:
    """Do a requested activation (e.g. a rollback from the staff pages): workers own Milvus
    writes. Safe to run twice: a finished request is left alone, and activating again
    re-points the alias to where it is."""
    from recommender.services.activation import model_version_activation_execute

    model_version_activation_execute(activation_id=activation_id)
