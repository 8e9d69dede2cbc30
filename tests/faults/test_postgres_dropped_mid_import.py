"""PostgreSQL drops the importing connection while ratings are being copied in.

The import runs `manage.py import_movielens` in a thread (its own connection); the test
waits until that connection is inside the ratings COPY and terminates it from another
connection with pg_terminate_backend, as a failover or an administrator would. Nothing
may be half-imported, the error must say what happened, and a second run must succeed.
"""

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from catalog.models import Movie, MovieLensImport, Profile, Rating
from tests.catalog.test_movielens_import_bulk import _rating_schema
from tests.movielens_files import write_lines

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

USERS, MOVIES, RATINGS = 3000, 2000, 600_000


def _big_folder(root: Path) -> Path:
    rng = np.random.default_rng(0)
    folder = root / "ml-1m"
    folder.mkdir(parents=True)
    write_lines(folder / "users.dat", [f"{u}::M::25::1::10001" for u in range(1, USERS + 1)])
    write_lines(
        folder / "movies.dat", [f"{m}::Film {m} (1990)::Drama" for m in range(1, MOVIES + 1)]
    )
    pairs = rng.choice(USERS * MOVIES, RATINGS, replace=False)
    stars = rng.integers(1, 6, RATINGS)
    lines = [
        f"{p // MOVIES + 1}::{p % MOVIES + 1}::{s}::{978300000 + i}"
        for i, (p, s) in enumerate(zip(pairs.tolist(), stars.tolist(), strict=True))
    ]
    write_lines(folder / "ratings.dat", lines)
    return folder


def _counts() -> tuple[int, ...]:
    return (
        get_user_model().objects.count(),
        Profile.objects.count(),
        Movie.objects.count(),
        Rating.objects.count(),
        MovieLensImport.objects.count(),
    )


def _terminate_when_copying(timeout: float = 60.0) -> str:
    """Terminate the other connection once it runs a COPY; the statement it was in."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state = 'active'"
                " AND query ILIKE 'COPY catalog_rating %%'"
            )
            row = cursor.fetchone()
            if row:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                return row[1]
            time.sleep(0.02)
    raise AssertionError("the import never reached its COPY")


def _import_in_thread(folder: Path) -> tuple[threading.Thread, list]:
    outcome = []

    def run():
        try:
            call_command("import_movielens", path=folder)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_dropped_connection_mid_copy_imports_nothing_and_says_so(tmp_path):
    folder = _big_folder(tmp_path)
    before, schema = _counts(), _rating_schema()

    thread, outcome = _import_in_thread(folder)
    statement = _terminate_when_copying()
    thread.join(120)

    assert statement.startswith("COPY catalog_rating ")
    (error,) = outcome
    assert isinstance(error, CommandError), repr(error)
    assert "connection to PostgreSQL" in str(error)
    assert "Nothing was imported" in str(error)
    assert _counts() == before
    assert _rating_schema() == schema  # the bulk path's dropped indexes came back

    call_command("import_movielens", path=folder)
    assert _counts() == (USERS, USERS, MOVIES, RATINGS, 1)
