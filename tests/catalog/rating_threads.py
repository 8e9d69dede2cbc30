"""Rating writes from other threads, each on a connection of its own, for the tests of what
concurrent writers do to one another and to the movie totals."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Sum

from catalog.models import Movie, Rating

WAIT_SECONDS = 120  # a bound for a hung test, never a measure of speed


class Writer(threading.Thread):
    """Runs `write` in a transaction of its own; `.pid` is its PostgreSQL backend."""

    def __init__(self, write: Callable[[], object], *, hold: threading.Event | None = None):
        super().__init__(daemon=True)
        self.write, self.hold = write, hold
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.written = threading.Event()  # the write is done, its transaction still open

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            with transaction.atomic():
                self.write()
                self.written.set()
                if self.hold is not None:
                    self.hold.wait(WAIT_SECONDS)
        except BaseException as error:  # re-raised in the test by finish()
            self.error = error
        finally:
            self.written.set()
            connection.close()

    def finish(self) -> None:
        self.join(WAIT_SECONDS)
        assert not self.is_alive(), "a write never finished"
        if self.error is not None:
            raise self.error


def run_in_threads(functions: list[Callable[[], object]]) -> None:
    """Each function in a thread (and on a connection) of its own, all at once; raises the
    first error any of them raised."""
    errors: list[BaseException] = []

    def run(function: Callable[[], object]) -> None:
        try:
            function()
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,), daemon=True) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    if errors:
        raise errors[0]


@contextmanager
def held_open(write: Callable[[], object]) -> Iterator[Writer]:
    """`write` done in another transaction that stays open, its locks held, until the block
    ends; then it commits."""
    release = threading.Event()
    writer = Writer(write, hold=release)
    writer.start()
    assert writer.written.wait(WAIT_SECONDS)
    try:
        yield writer
    finally:
        release.set()
        writer.finish()


def blocked_or_done(writer: Writer) -> None:
    """Return once `writer` waits on a lock or has finished: it has read what it reads
    before its first write, so a race on that read cannot be missed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if writer.written.is_set():
            return
        if writer.pid is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [writer.pid]
                )
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
        time.sleep(0.01)
    raise AssertionError("the write neither waited on a lock nor finished")


def totals_and_aggregates(movie_ids: list[int]) -> tuple[dict, dict]:
    """Each movie's (rating_count, rating_sum) as stored, and as counted from its ratings."""
    stored = {
        movie_id: (count, total)
        for movie_id, count, total in Movie.objects.filter(pk__in=movie_ids).values_list(
            "pk", "rating_count", "rating_sum"
        )
    }
    counted = dict.fromkeys(movie_ids, (0, 0))
    for row in (
        Rating.objects.filter(movie_id__in=movie_ids)
        .values("movie_id")
        .annotate(n=Count("*"), total=Sum("stars"))
    ):
        counted[row["movie_id"]] = (row["n"], row["total"])
    return stored, counted
