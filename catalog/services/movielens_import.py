import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model

from catalog.models import MOVIELENS_USERNAME_PREFIX, Movie, MovieLensImport, Profile
from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import Layout, layout_detect
from catalog.movielens.ratings import Phases, ProgressCallback, ratings_load, ratings_read
from catalog.movielens.records import MovieRecord, UserRecord, movies_read, users_read
from movielens.titles import MOVIE_TITLE_FIELDS, movie_title_fields

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
    # Wall time per phase, in seconds: where an import spends its time.
    phases: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def added_anything(self) -> bool:
        return bool(self.users_added or self.movies_added or self.ratings_added)


def movielens_import(*, path: Path, on_progress: ProgressCallback | None = None) -> ImportReport:
    """Import a MovieLens folder, all or nothing: on any error the database is unchanged."""
    layout = layout_detect(path)
    phase = Phases()
    # Parse the files before opening the transaction: a bad line fails fast.
    with phase("parse users, movies, ratings"):
        users, movies = users_read(layout), movies_read(layout)
        ratings = ratings_read(layout)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_KEY])
        _refuse_other_dataset(layout)
        with phase("users and movies"):
            users_added = _users_create(users)
            movies_added = _movies_create(movies)
        ratings_added = ratings_load(ratings, phase=phase, on_progress=on_progress)
        report = ImportReport(
            layout.dataset, users_added, movies_added, ratings_added, len(ratings), phase.seconds
        )
        if report.added_anything:
            MovieLensImport.objects.create(
                dataset=layout.dataset,
                source=str(layout.folder)[:500],
                users_added=users_added,
                movies_added=movies_added,
                ratings_added=ratings_added,
            )
        commit_started = time.perf_counter()
    phase.seconds["commit"] = time.perf_counter() - commit_started
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
    taken = _accounts_named(User, names)
    if taken:
        raise MovieLensFormatError("users", None, f"username {min(taken)!r} is already taken")
    # One unusable password shared by all: it can never match, and hashing 6,040 random
    # ones would only cost time.
    _copy_new(
        User,
        [User.USERNAME_FIELD],
        ([name] for name in names),
        password=make_password(None),
    )
    ids = _accounts_named(User, names)
    _copy_new(
        Profile,
        ["user_id", "movielens_id", "gender", "age", "occupation", "zip_code"],
        (
            [ids[name], r.movielens_id, r.gender, r.age, r.occupation, r.zip_code]
            for name, r in zip(names, new, strict=True)
        ),
    )
    return len(new)


def _accounts_named(User, names: list[str]) -> dict[str, int]:
    """{username: id} of the accounts with one of `names` (one array parameter: an IN
    list of 6,040 names costs more to build than to run)."""
    meta = User._meta
    name, pk = meta.get_field(User.USERNAME_FIELD).column, meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name}, {pk} FROM {meta.db_table} WHERE {name} = ANY(%s)", [names])
        return dict(cursor.fetchall())


def _movies_create(records: list[MovieRecord]) -> int:
    known = set(Movie.objects.values_list("id", flat=True))
    new = [record for record in records if record.id not in known]
    _copy_new(
        Movie,
        ["id", "year", "genres", *MOVIE_TITLE_FIELDS],
        ([r.id, r.year, list(r.genres), *movie_title_fields(r.title).values()] for r in new),
    )
    return len(new)


def _copy_new(
    model: type[Model], given: list[str], rows: Iterable[list], **template: object
) -> None:
    """COPY new rows of `model`: the fields named in `given` from `rows` (plain database
    values), every other one as in `model(**template)`, prepared by the ORM once.

    bulk_create prepared every value of every row: over a second for 6,040 accounts that
    differ only in their names.
    """
    instance, meta, quote = model(**template), model._meta, connection.ops.quote_name
    given = [meta.get_field(name).attname for name in given]
    fields = [f for f in meta.concrete_fields if f.attname in given or not f.primary_key]
    base = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    positions = [[f.attname for f in fields].index(name) for name in given]
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for values in rows:
            row = base.copy()
            for position, value in zip(positions, values, strict=True):
                row[position] = value
            copy.write_row(row)
