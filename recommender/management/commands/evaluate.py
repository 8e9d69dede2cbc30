import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from recommender.serving.offline import held_out_evaluate, pairs_read


class Command(BaseCommand):
    help = (
        "RMSE, MAE, Recall@10 (plain and capped at 10 relevant) and NDCG@10 of the active "
        "model on held-out ml-1m ratings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ratings", type=Path, required=True, help="ml-1m ratings file")

    def handle(self, *args, ratings: Path, **options):
        try:
            with ratings.open(encoding="latin-1") as handle:
                pairs = pairs_read(handle, with_stars=True)
            if not pairs.lines:
                raise ApplicationError(f"{ratings}: no usable ratings")
            metrics = held_out_evaluate(pairs=pairs)
        except (OSError, ApplicationError) as error:
            raise CommandError(str(error)) from error
        for number, reason in pairs.skipped:
            sys.stderr.write(f"skipped line {number}: {reason}\n")
        self.stdout.write(f"ratings evaluated: {len(pairs.lines)}")
        for name in ("rmse", "mae", "recall@10", "capped_recall@10", "ndcg@10"):
            self.stdout.write(f"{name:<17} {metrics[name]:.4f}")
