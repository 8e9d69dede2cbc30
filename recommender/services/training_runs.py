"""Requesting, claiming and recording training runs.

The one-at-a-time rule has two layers: requests are refused while a run is queued or
running, and the database's partial unique index on status makes two concurrent claims (or
requests) impossible even when the check above races.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.exceptions import ApplicationError
from recommender.models import TrainingRun
from recommender.selectors import training_run_get_in_progress
from recommender.services.training_config import training_config_build
from recommender.tasks import training_run_execute_task

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from recommender.training.pipeline import TrainResult
    from recommender.training.trainer import Progress

logger = logging.getLogger(__name__)
Status = TrainingRun.Status
PROGRESS_WRITE_SECONDS = 1.0


def training_run_request(
    *,
    preset: str | None = None,
    epochs: int | None = None,
    trigger: str = TrainingRun.Trigger.MANUAL,
    triggered_by: User | None = None,
    dispatch: bool = True,
) -> TrainingRun:
    """Queue a training run of the preset (settings.TRAINING_PRESET unless given), with
    fewer epochs if given; refused while another is queued or running. The one way a run
    starts: staff pages, the API, the train command and the retraining triggers.

    dispatch=False leaves the run for the caller to execute in-process.
    """
    config = training_config_build(preset=preset, epochs=epochs)
    training_runs_sweep(resend=False)
    busy = training_run_get_in_progress()
    if busy:
        raise ApplicationError(
            f"Training run {busy.pk} is already {busy.status}; wait for it to finish.",
            {"run_id": busy.pk},
        )
    try:
        with transaction.atomic():
            run = TrainingRun.objects.create(
                config=config.to_dict(), trigger=trigger, triggered_by=triggered_by
            )
    except IntegrityError:
        raise ApplicationError("Another training run was queued just now.") from None
    if dispatch:
        # The worker must see the committed row: dispatch only once the transaction commits.
        transaction.on_commit(lambda: training_run_dispatch(run=run))
    return run


def training_run_dispatch(*, run: TrainingRun) -> bool:
    """Send a queued run to the training worker; whether the task queue took it.

    A broker that does not answer is recorded on the run (staff see it; the sweeper sends
    it again), never raised: this runs after the request's commit, where an exception
    would turn a run that is saved into an error page.
    """
    try:
        training_run_execute_task.delay(run.pk)
    except Exception as error:  # whatever the broker's client raises, the run is saved
        logger.warning("Training run %s could not be sent to a worker: %r", run.pk, error)
        fields = {"dispatch_error": f"{type(error).__name__}: {error}"[:2000]}
    else:
        fields = {"dispatched_at": timezone.now(), "dispatch_error": ""}
    TrainingRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)
    return not fields.get("dispatch_error")


def training_run_claim(*, run_id: int, worker: str) -> TrainingRun | None:
    """Move a queued run to running; None if it is not queued (already claimed: a
    redelivered task is a no-op) or if another run is running right now."""
    training_runs_fail_stale()
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = TrainingRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
                status=Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker
            )
    except IntegrityError:
        return None
    return TrainingRun.objects.get(pk=run_id) if claimed else None


def training_runs_fail_stale(*, worker: str | None = None) -> int:
    """Mark failed the running runs whose worker is gone: silent for too long, or (on a
    worker's start) left behind by that same worker before it restarted."""
    cutoff = timezone.now() - timedelta(seconds=settings.TRAINING_STALE_SECONDS)
    stale = TrainingRun.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    if worker:
        stale = TrainingRun.objects.filter(status=Status.RUNNING, worker=worker) | stale
    count = stale.update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped during this run (it was killed or restarted).",
    )
    if count:
        logger.warning("Marked %d abandoned training run(s) failed", count)
    return count


def training_runs_sweep(*, resend: bool = True, started_worker: str | None = None) -> None:
    """Free training from runs that nobody will finish (beat every minute, a worker as it
    starts, and each request).

    Running runs whose worker is gone fail (training_runs_fail_stale). The queued run, unless
    it waits behind a live one, fails once it has waited TRAINING_QUEUE_TIMEOUT_SECONDS;
    before that, with `resend`, it is sent again when the task queue refused it, and on a
    worker's start in any case (its message may have been lost while no worker ran; a
    duplicate is harmless, as only the first claim runs).
    """
    training_runs_fail_stale(worker=started_worker)
    run = TrainingRun.objects.filter(status=Status.QUEUED).first()
    if run is None or TrainingRun.objects.filter(status=Status.RUNNING).exists():
        return
    timeout = timedelta(seconds=settings.TRAINING_QUEUE_TIMEOUT_SECONDS)
    if _waiting_since(run) < timezone.now() - timeout:
        _fail_unclaimed(run)
    elif resend and (started_worker or run.dispatched_at is None):
        training_run_dispatch(run=run)


def _waiting_since(run: TrainingRun) -> datetime:
    # A run queued behind another waits from when that one finished: the worker's retry
    # then claims it within half a minute (recommender.tasks).
    ahead = TrainingRun.objects.exclude(pk=run.pk).aggregate(last=Max("finished_at"))["last"]
    return max(run.created_at, ahead) if ahead else run.created_at


def _fail_unclaimed(run: TrainingRun) -> None:
    error = training_queue_timeout_reason(nobody_did="No training worker started this run")
    if run.dispatch_error:
        error += f" The task queue refused it: {run.dispatch_error}"
    failed = TrainingRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
        status=Status.FAILED, finished_at=timezone.now(), error=error
    )
    if failed:
        logger.warning("Training run %s failed: %s", run.pk, error)


def training_queue_timeout_reason(*, nobody_did: str) -> str:
    """Why a request that waited TRAINING_QUEUE_TIMEOUT_SECONDS for the training queue's
    worker failed (training runs and activations)."""
    seconds = settings.TRAINING_QUEUE_TIMEOUT_SECONDS
    duration = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"
    return (
        f"{nobody_did} within {duration}: is the worker for the training queue running "
        "(`celery -A movierec_site worker -Q training`)?"
    )


def training_run_fail(*, run: TrainingRun, error: BaseException) -> None:
    text = "".join(traceback.format_exception(error))[-5000:]
    TrainingRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=Status.FAILED, finished_at=timezone.now(), error=text
    )


def training_run_lock_running(*, run: TrainingRun) -> None:
    """Lock the run's row until the transaction ends, if it is still running; raise if it
    is not (a sweep took it for dead): what it trained must then never serve. A sweep that
    comes while the lock is held waits, then finds the run finished."""
    if not TrainingRun.objects.select_for_update().filter(pk=run.pk, status=Status.RUNNING):
        raise ApplicationError(f"Training run {run.pk} was marked failed while it trained.")


def training_run_succeed(*, run: TrainingRun, result: TrainResult) -> None:
    TrainingRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=Status.SUCCEEDED,
        finished_at=timezone.now(),
        metrics=result.metrics,
        timings=result.timings,
        loss_history=[vars(epoch) for epoch in result.history],
    )


class ProgressReporter:
    """The trainer's progress callback: writes epoch/step to the run at most once a second,
    which doubles as the heartbeat that tells a live run from an abandoned one."""

    def __init__(self, run: TrainingRun, echo: Progress | None = None) -> None:
        self.run_id, self.echo = run.pk, echo
        self.last_write = 0.0
        self.epoch_losses: list[float] = []
        self.history: list[dict] = []

    def __call__(self, epoch: int, step: int, steps: int, loss: float) -> None:
        self.epoch_losses.append(loss)
        epoch_done = step == steps
        if epoch_done:
            self.history.append({"epoch": epoch, "train_loss": _mean(self.epoch_losses)})
            self.epoch_losses = []
        if self.echo:
            self.echo(epoch, step, steps, loss)
        if epoch_done or time.monotonic() - self.last_write >= PROGRESS_WRITE_SECONDS:
            self.last_write = time.monotonic()
            written = TrainingRun.objects.filter(pk=self.run_id, status=Status.RUNNING).update(
                epoch=epoch,
                step=step,
                steps_per_epoch=steps,
                heartbeat_at=timezone.now(),
                loss_history=self.history,
            )
            if not written:  # failed meanwhile (a sweep took it for dead): stop training
                raise ApplicationError(f"Training run {self.run_id} was marked failed; stopping.")


@contextmanager
def training_run_heartbeat(*, run: TrainingRun) -> Iterator[None]:
    """Beat every TRAINING_HEARTBEAT_SECONDS while the block runs, from a thread of its own.

    Progress reports beat only while the network trains; the export before and the
    evaluation and publishing after report nothing, and on a large data set each can outlast
    TRAINING_STALE_SECONDS. The thread beats as long as this process lives, so the sweeper
    fails a run only when its worker is gone.
    """
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(run.pk, stop), name=f"training-run-{run.pk}-heartbeat", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _beat(run_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(settings.TRAINING_HEARTBEAT_SECONDS):
            try:
                TrainingRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except DatabaseError as error:  # PostgreSQL away a moment: the next beat retries
                logger.warning("Training run %s missed a heartbeat: %r", run_id, error)
    finally:
        connection.close()  # this thread's own connection


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)
