"""Requesting, claiming and recording training runs.

The one-at-a-time rule has two layers: requests are refused while a run is queued or
running, and the database's partial unique index on status makes two concurrent claims (or
requests) impossible even when the check above races.
"""

from __future__ import annotations

import logging
import time
import traceback
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
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
    training_runs_fail_stale()
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
        transaction.on_commit(lambda: training_run_execute_task.delay(run.pk))
    return run


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


def training_run_fail(*, run: TrainingRun, error: BaseException) -> None:
    text = "".join(traceback.format_exception(error))[-5000:]
    TrainingRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=Status.FAILED, finished_at=timezone.now(), error=text
    )


def training_run_succeed(*, run: TrainingRun, result: TrainResult) -> None:
    TrainingRun.objects.filter(pk=run.pk).update(
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
            TrainingRun.objects.filter(pk=self.run_id).update(
                epoch=epoch,
                step=step,
                steps_per_epoch=steps,
                heartbeat_at=timezone.now(),
                loss_history=self.history,
            )


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)
