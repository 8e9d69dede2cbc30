import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from recommender.serving.offline import pairs_predict, pairs_read


class Command(BaseCommand):
    help = "Predict stars for UserID::MovieID lines (MovieLens ids) with the active model."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=Path, required=True, help="UserID::MovieID lines")
        parser.add_argument("--output", type=Path, help="default: standard output")

    def handle(self, *args, pairs: Path, output: Path | None, **options):
        try:
            with pairs.open(encoding="latin-1") as handle:
                predictions = pairs_predict(pairs=pairs_read(handle))
        except (OSError, ApplicationError) as error:
            raise CommandError(str(error)) from error
        rows = predictions.pairs
        text = "".join(
            f"{user}::{movie}::{stars:.4f}\n"
            for user, movie, stars in zip(
                rows.user_ids, rows.movie_ids, predictions.stars, strict=True
            )
        )
        if output:
            output.write_text(text)
        else:
            self.stdout.write(text, ending="")
        for number, reason in rows.skipped:
            sys.stderr.write(f"skipped line {number}: {reason}\n")
        sys.stderr.write(
            f"{len(rows.lines)} predicted, {len(rows.skipped)} skipped, "
            f"{predictions.out_of_vocabulary} with a person or movie the model never saw\n"
        )
