"""One training run end to end: claim, export, train, evaluate, record, activate."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from core.exceptions import ApplicationError
from recommender.export import training_data_export
from recommender.model.config import ModelConfig
from recommender.models import TrainingRun
from recommender.services.model_versions import model_version_record
from recommender.services.training_runs import (
    ProgressReporter,
    training_run_claim,
    training_run_fail,
    training_run_heartbeat,
    training_run_lock_running,
    training_run_succeed,
)

if TYPE_CHECKING:
    from recommender.training.trainer import Progress

logger = logging.getLogger(__name__)


def training_run_execute(
    *, run_id: int, worker: str, echo: Progress | None = None
) -> TrainingRun | None:
    """Run a queued training run; None when it was not ours to run (see claim).

    Never raises for a failed training: the run is marked failed with its traceback and
    the active model version stays as it was. A run failed while it trained (a sweep took
    it for dead) stays failed, with the sweep's reason.
    """
    run = training_run_claim(run_id=run_id, worker=worker)
    if run is None:
        return None
    try:
        with training_run_heartbeat(run=run):
            _train(run, echo)
    except Exception as error:
        logger.exception("Training run %s failed", run.pk)
        training_run_fail(run=run, error=error)
    run.refresh_from_db()
    return run


def _train(run: TrainingRun, echo: Progress | None) -> None:
    # Imported here, not at module level: Paddle starts threads on import, which must not
    # happen in a prefork parent before it forks its children.
    from recommender.training.pipeline import train_and_evaluate

    config = ModelConfig.from_saved(run.config)
    export = training_data_export()
    if len(export.data) == 0:
        raise ApplicationError("There are no ratings to train on; import MovieLens first.")
    result = train_and_evaluate(
        export.data,
        config,
        Path(settings.MODEL_DIR) / f"run-{run.pk}",
        progress=ProgressReporter(run, echo),
        snapshot=export.snapshot,
    )
    # The version and the run's success land together, or neither does; and neither does
    # for a run that was failed meanwhile: its model must not serve.
    with transaction.atomic():
        training_run_lock_running(run=run)
        model_version_record(run=run, result=result, snapshot=export.snapshot)
        training_run_succeed(run=run, result=result)
