import socket

from celery import shared_task
from celery.signals import worker_ready

from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_runs_fail_stale


@shared_task(bind=True, acks_late=True, max_retries=None)
def train(self, run_id: int) -> None:
    """Run a queued TrainingRun. Safe to deliver twice: only the first claim runs it.

    acks_late: a worker killed mid-run leaves the message to be redelivered, and the claim
    then refuses it (the run is no longer queued) instead of training twice.
    """
    hostname = self.request.hostname or socket.gethostname()
    run = training_run_execute(run_id=run_id, worker=hostname)
    if run is None and _waiting_behind_another(run_id):
        raise self.retry(countdown=30)


def _waiting_behind_another(run_id: int) -> bool:
    from recommender.models import TrainingRun

    return TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.QUEUED).exists()


@worker_ready.connect
def _fail_runs_left_by_this_worker(sender, **kwargs) -> None:
    # A run still "running" under this worker's name when it starts was cut off by a kill
    # or restart; nobody else will finish it.
    training_runs_fail_stale(worker=sender.hostname)


@shared_task(acks_late=True)
def user_refresh(user_id: int) -> None:
    """Warm a person's recommendations after a rating, then see whether to retrain.
    Safe to run twice: it only recomputes and caches."""
    from django.contrib.auth import get_user_model

    from recommender.recommendations import recommendation_refresh
    from recommender.services.retraining import retrain_if_due

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        recommendation_refresh(user=user)
    retrain_if_due()


@shared_task
def retrain_nightly() -> None:
    from recommender.services.retraining import retrain_scheduled

    retrain_scheduled()


@shared_task(acks_late=True)
def model_version_activate_by_id(version_id: int) -> None:
    """Activate a version (e.g. a rollback from the admin): workers own Milvus writes.
    Safe to run twice: activating the active version re-points the alias to where it is."""
    from recommender.models import ModelVersion
    from recommender.services.model_versions import model_version_activate

    version = ModelVersion.objects.filter(pk=version_id).first()
    if version is not None:
        model_version_activate(version=version)
