import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from tqdm import tqdm

from catalog.movielens.download import movielens_download
from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import layout_detect
from catalog.services.movielens_import import DatasetMismatch, movielens_import


class Command(BaseCommand):
    help = "Import MovieLens users, movies and ratings (ml-1m or ml-100k), all or nothing."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--path", type=Path, help="folder with the original files")
        source.add_argument(
            "--download", action="store_true", help="fetch and verify the official ml-1m.zip"
        )

    def handle(self, *args, path: Path | None, download: bool, **options):
        try:
            folder = self._folder(path, download)
            report = self._import(folder)
        except (MovieLensFormatError, DatasetMismatch) as error:
            raise CommandError(str(error)) from error
        except (OperationalError, psycopg.OperationalError) as error:
            # The ratings COPY runs on psycopg directly, so its errors arrive unwrapped.
            reason = str(error).splitlines()[0]
            raise CommandError(
                f"Lost the connection to PostgreSQL during the import ({reason}). Nothing was "
                "imported: the import is one transaction. Run the command again; it only adds "
                "what is missing."
            ) from error
        if not report.added_anything:
            self.stdout.write(f"Nothing new: {folder} is already imported.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.dataset} from {folder}: {report.users_added} users, "
                f"{report.movies_added} movies, {report.ratings_added} ratings added "
                f"({report.ratings_in_file} ratings in the file)."
            )
        )

    def _folder(self, path: Path | None, download: bool) -> Path:
        if path:
            return path
        if not download and settings.MOVIELENS_DIR:
            return Path(settings.MOVIELENS_DIR)
        if not download:
            raise CommandError("Give --path DIR, set MOVIELENS_DIR, or use --download.")
        with self._bar("Downloading ml-1m.zip") as bar:

            def on_progress(done: int, total: int) -> None:
                bar.total = total or None
                bar.update(done)

            return movielens_download(
                cache_dir=settings.MOVIELENS_CACHE_DIR, on_progress=on_progress
            )

    def _import(self, folder: Path):
        total = layout_detect(folder).ratings.stat().st_size
        with self._bar("Importing ratings", total=total) as bar:
            return movielens_import(path=folder, on_progress=bar.update)

    def _bar(self, label: str, total: int | None = None) -> tqdm:
        # A bar only on a terminal: logs and CI output stay readable.
        return tqdm(
            total=total, desc=label, unit="B", unit_scale=True, disable=not sys.stderr.isatty()
        )
