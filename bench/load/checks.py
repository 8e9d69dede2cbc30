"""What the write scenarios must leave behind: every acknowledged rating in PostgreSQL, and
movie totals (Movie.rating_count / rating_sum) equal to the aggregate over the ratings."""

import time

from django.db import connection

from bench.load.people import ratings_of
from catalog.services.movie_totals import movie_totals_fold

# Movies whose totals differ from the aggregate over catalog_rating.
DRIFT_SQL = """
SELECT m.id, m.rating_count, m.rating_sum, coalesce(a.n, 0), coalesce(a.total, 0)
FROM catalog_movie m
LEFT JOIN (SELECT movie_id, count(*) AS n, sum(stars) AS total
           FROM catalog_rating GROUP BY movie_id) a ON a.movie_id = m.id
WHERE m.rating_count <> coalesce(a.n, 0) OR m.rating_sum <> coalesce(a.total, 0)
ORDER BY m.id
"""


def totals_drift() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        rows = cursor.fetchall()
    return [
        {"movie_id": movie_id, "totals": [count, total], "aggregate": [n, stars]}
        for movie_id, count, total, n, stars in rows
    ]


def totals_drift_settled(*, timeout_s: float) -> dict:
    """Drift once the pending totals changes are applied (what beat's fold does every few
    seconds; this server runs no beat), looking again until they agree or `timeout_s` has
    passed."""
    started = time.monotonic()
    while True:
        movie_totals_fold()
        drifted = totals_drift()
        waited = time.monotonic() - started
        if not drifted or waited >= timeout_s:
            return {
                "movies_drifted": len(drifted),
                "examples": drifted[:5],
                "seconds_until_settled": round(waited, 1) if not drifted else None,
            }
        time.sleep(1)


def acknowledged_saved(*, scenario, acked_ids: list[int]) -> dict:
    """Each acknowledged request (its X-Request-ID, an index into the scenario's requests)
    names a (person, movie, stars): that rating must be in PostgreSQL. A pair always gets
    the same stars, so the order requests were answered in does not matter."""
    expected = {scenario.writes[i] for i in set(acked_ids)}
    people = {w.person.user_id: w.person for w in scenario.writes}
    movie_ids = sorted({w.movie_id for w in scenario.writes})
    saved = ratings_of(people=list(people.values()), movie_ids=movie_ids)
    missing = [w for w in expected if (w.person.user_id, w.movie_id) not in saved]
    wrong = [w for w in expected if saved.get((w.person.user_id, w.movie_id), w.stars) != w.stars]
    return {
        "acknowledged": len(expected),
        "missing": len(missing),
        "wrong_stars": len(wrong),
        # Requests still in flight when wrk stopped are saved but were never acknowledged.
        "rows_saved": len(saved),
        "all_saved": not missing and not wrong,
    }
