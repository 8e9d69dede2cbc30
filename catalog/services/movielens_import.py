from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from catalog.models import MOVIELENS_USERNAME_PREFIX, Movie, MovieLensImport, Profile
from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import Layout, layout_detect
from catalog.movielens.ratings import (
    ProgressCallback,
    ratings_check_staging,
    ratings_copy_to_staging,
    ratings_merge_staging,
)
from catalog.movielens.records import MovieRecord, UserRecord, movies_read, users_read

# Serialises imports: two at once would race on the same new users and movies.
_IMPORT_LOCK_KEY = 0x6D6F7669  # "movi"


class DatasetMismatch(Exception):
    """The database already holds the other MovieLens data set."""


@dataclass(frozen=True)
class ImportReport:
    dataset: str
    users_added: int
    movies_added: int
    ratings_added: int
    ratings_in_file: int

    @property
    def added_anything(self) -> bool:
        return bool(self.users_added or self.movies_added or self.ratings_added)


def movielens_import(*, path: Path, on_progress: ProgressCallback | None = None) -> ImportReport:
    """Import a MovieLens folder, all or nothing: on any error the database is unchanged."""
    layout = layout_detect(path)
    # Parse the small files before opening the transaction: a bad line fails fast.
    users, movies = users_read(layout), movies_read(layout)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_KEY])
        _refuse_other_dataset(layout)
        users_added = _users_create(users)
        movies_added = _movies_create(movies)
        in_file = ratings_copy_to_staging(layout, on_progress=on_progress)
        ratings_check_staging(layout)
        ratings_added = ratings_merge_staging()
        report = ImportReport(layout.dataset, users_added, movies_added, ratings_added, in_file)
        if report.added_anything:
            MovieLensImport.objects.create(
                dataset=layout.dataset,
                source=str(layout.folder)[:500],
                users_added=users_added,
                movies_added=movies_added,
                ratings_added=ratings_added,
            )
    return report


def _refuse_other_dataset(layout: Layout) -> None:
    other = MovieLensImport.objects.exclude(dataset=layout.dataset).first()
    if other:
        raise DatasetMismatch(
            f"This database holds {other.dataset} data; {layout.dataset} ids name other "
            "people and movies, so it cannot be added. Use a fresh database for it."
        )


def _users_create(records: list[UserRecord]) -> int:
    known = set(
        Profile.objects.filter(movielens_id__isnull=False).values_list("movielens_id", flat=True)
    )
    new = [record for record in records if record.movielens_id not in known]
    if not new:
        return 0
    names = [f"{MOVIELENS_USERNAME_PREFIX}{record.movielens_id}" for record in new]
    User = get_user_model()
    taken = User.objects.filter(username__in=names).values_list("username", flat=True)[:1]
    if taken:
        raise MovieLensFormatError("users", None, f"username {taken[0]!r} is already taken")
    # One unusable password shared by all: it can never match, and hashing 6,040 random
    # ones would only cost time.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=name, password=unusable) for name in names], batch_size=2000
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                movielens_id=record.movielens_id,
                gender=record.gender,
                age=record.age,
                occupation=record.occupation,
                zip_code=record.zip_code,
            )
            for user, record in zip(users, new, strict=True)
        ],
        batch_size=2000,
    )
    return len(new)


def _movies_create(records: list[MovieRecord]) -> int:
    known = set(Movie.objects.values_list("id", flat=True))
    new = [
        Movie(id=record.id, title=record.title, year=record.year, genres=list(record.genres))
        for record in records
        if record.id not in known
    ]
    Movie.objects.bulk_create(new, batch_size=2000)
    return len(new)
