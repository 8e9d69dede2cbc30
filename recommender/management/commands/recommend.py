from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.choices import AgeBracket, Gender, Occupation
from core.exceptions import ApplicationError
from recommender.serving.profiles import (
    recommendations_for_file,
    recommendations_for_profile,
)


class Command(BaseCommand):
    help = (
        "Recommend movies for a demographic profile (optionally a MovieLens user), or for "
        "every user id in a file, through the same Milvus path the site uses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--age", type=int, choices=AgeBracket.values)
        parser.add_argument("--gender", choices=Gender.values)
        parser.add_argument("--occupation", type=int, choices=Occupation.values)
        parser.add_argument("--user", type=int, help="a MovieLens user id")
        parser.add_argument("-k", type=int, default=5, help="how many (default 5)")
        parser.add_argument("--users", type=Path, help="file of MovieLens user ids, one a line")
        parser.add_argument("--output", type=Path, help="with --users: where to write")

    def handle(self, *args, **options):
        if options["k"] < 1 or options["k"] > 100:
            raise CommandError("-k must be between 1 and 100.")
        try:
            if options["users"]:
                self._batch(options)
            else:
                self._one(options)
        except ApplicationError as error:
            raise CommandError(error.message) from error

    def _one(self, options) -> None:
        if options["user"] is None and None in (
            options["age"],
            options["gender"],
            options["occupation"],
        ):
            raise CommandError("Give --age, --gender and --occupation, or --user.")
        rows = recommendations_for_profile(
            gender=options["gender"],
            age=options["age"],
            occupation=options["occupation"],
            movielens_id=options["user"],
            k=options["k"],
        )
        self.stdout.write(f"{'rank':>4}  {'movie id':>8}  {'score':>6}  title")
        for rank, (movie, score) in enumerate(rows, start=1):
            self.stdout.write(f"{rank:>4}  {movie.pk:>8}  {score:>6.3f}  {movie.title}")

    def _batch(self, options) -> None:
        if not options["output"]:
            raise CommandError("--users needs --output FILE.")
        with options["users"].open() as handle:
            report = recommendations_for_file(lines=handle, k=options["k"])
        options["output"].write_text(
            "".join(f"{u}::{rank}::{m}::{s:.4f}\n" for u, rank, m, s in report.rows)
        )
        for number, reason in report.skipped:
            self.stderr.write(f"skipped line {number}: {reason}")
        self.stdout.write(f"{report.users} users, {len(report.rows)} lines written.")
