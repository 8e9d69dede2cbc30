import socket
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.exceptions import ApplicationError
from recommender.models import TrainingRun
from recommender.services.training import training_run_execute
from recommender.services.training_config import PRESETS
from recommender.services.training_runs import training_run_request

METRICS_TABLE = (
    ("RMSE", "rmse"),
    ("MAE", "mae"),
    ("Recall@10", "recall@10"),
    ("NDCG@10", "ndcg@10"),
)
PREDICTORS = (
    ("model", "model"),
    ("global mean", "global_mean"),
    ("movie mean", "movie_mean"),
    ("most popular", "popular"),
)


class Command(BaseCommand):
    help = "Queue a training run for the Celery training worker, or run it here with --inline."

    def add_arguments(self, parser):
        parser.add_argument("--inline", action="store_true", help="train in this process")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="model configuration")
        parser.add_argument("--epochs", type=int, help="at most this many epochs")

    def handle(self, *args, inline: bool, preset: str | None, epochs: int | None, **options):
        try:
            run = training_run_request(preset=preset, epochs=epochs, dispatch=not inline)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if not inline and run.dispatch_error:
            self.stderr.write(
                self.style.WARNING(
                    f"Queued training run {run.pk}, but the task queue did not take it "
                    f"({run.dispatch_error}); it is sent again every minute."
                )
            )
            return
        if not inline:
            self.stdout.write(f"Queued training run {run.pk}; a training worker will run it.")
            return
        with tqdm(desc="Training", unit="step", disable=not sys.stderr.isatty()) as bar:
            run = training_run_execute(
                run_id=run.pk, worker=socket.gethostname(), echo=_bar_echo(bar)
            )
        self._report(run)

    def _report(self, run: TrainingRun) -> None:
        if run.status != TrainingRun.Status.SUCCEEDED:
            raise CommandError(f"Training run {run.pk} failed:\n{run.error}")
        version = run.model_version
        self.stdout.write(epochs_table(run.loss_history))
        self.stdout.write(metrics_table(run.metrics))
        timings = run.timings
        self.stdout.write(
            f"\n{len(run.loss_history)} epochs, {timings['seconds_per_epoch']:.1f} s/epoch, "
            f"{timings['ratings_per_second']:,.0f} ratings/s; "
            f"{timings['total_seconds']:.0f} s in all"
        )
        if run.config.get("refit_epochs"):
            self.stdout.write(
                "The metrics describe the model trained without the held-out ratings; the "
                f"served version then trained {run.config['refit_epochs']} more epoch(s) on "
                "every rating."
            )
        state = "active" if version.is_active else f"not active ({version.get_gate_display()})"
        self.stdout.write(self.style.SUCCESS(f"Model version {version.pk}: {state}."))


def epochs_table(history: list[dict]) -> str:
    """One line per epoch: the loss, the validation RMSE early stopping watches, the time."""
    lines = [f"{'epoch':>5} {'train loss':>11} {'val RMSE':>9} {'seconds':>8} {'rate':>9}"]
    lines += [
        f"{e['epoch']:>5} {e['train_loss']:>11.4f} {e.get('val_rmse', float('nan')):>9.4f} "
        f"{e.get('seconds', float('nan')):>8.1f} {e.get('learning_rate', float('nan')):>9.2e}"
        for e in history
    ]
    return "\n".join(lines) + "\n"


def metrics_table(metrics: dict) -> str:
    header = f"{'predictor':<14}" + "".join(f"{label:>11}" for label, _ in METRICS_TABLE)
    lines = [header]
    for label, prefix in PREDICTORS:
        cells = [metrics.get(f"{prefix}_{key}") for _, key in METRICS_TABLE]
        lines.append(
            f"{label:<14}"
            + "".join(f"{c:>11.4f}" if c is not None else f"{'-':>11}" for c in cells)
        )
    return "\n".join(lines)


def _bar_echo(bar: tqdm):
    def echo(epoch: int, step: int, steps: int, loss: float) -> None:
        bar.total = steps
        if step == 1:
            bar.reset(total=steps)
        bar.set_description(f"Epoch {epoch}")
        bar.set_postfix(loss=f"{loss:.4f}")
        bar.update(1)

    return echo
