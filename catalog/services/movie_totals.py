"""Movie totals (Movie.rating_count, rating_sum) that any number of people can change at
once without waiting for one another.

A rating write does not update its movie's row: thirty people rating a popular movie
would each wait for the one before to commit. It appends what it changes to
MovieTotalsChange instead, in its own transaction, so the rating and its change commit
together or not at all; an insert contends with nobody. movie_totals_fold adds the
pending changes to the movies (beat runs it every few seconds, and each refresh after a
rating), so totals on pages trail the ratings by seconds; a person's own stars do not.

Why no total can drift: each committed change is added exactly once. The fold is one
statement that deletes the changes it sees and adds them up into the movies; a change
committed after its snapshot is not seen, so it stays for the next fold. Two folds at
once cannot both take a change: the second one's DELETE waits for the first to commit,
then skips the rows already gone. tests/catalog/test_movie_totals_drift.py checks it under
concurrent writers and folds, against the aggregate over the ratings.

The MovieLens import adds its bulk totals to the movies directly: addition commutes, so
it is right whatever is pending.
"""

from django.db import connection

from catalog.models import Movie, MovieTotalsChange

_FOLD = f"""
WITH folded AS (
    DELETE FROM {MovieTotalsChange._meta.db_table}
    RETURNING movie_id, count_delta, sum_delta
), sums AS (
    SELECT movie_id, sum(count_delta) AS ratings, sum(sum_delta) AS stars
    FROM folded GROUP BY movie_id
    HAVING sum(count_delta) <> 0 OR sum(sum_delta) <> 0
)
UPDATE {Movie._meta.db_table} m
SET rating_count = m.rating_count + sums.ratings, rating_sum = m.rating_sum + sums.stars
FROM sums WHERE m.id = sums.movie_id
"""


def movie_totals_change_record(*, movie_id: int, ratings: int, stars: int) -> None:
    """Count `ratings` more ratings (or fewer, when negative) and `stars` more stars for
    the movie, at the next fold. Call it inside the transaction of the rating it follows."""
    if ratings or stars:
        MovieTotalsChange.objects.create(movie_id=movie_id, count_delta=ratings, sum_delta=stars)


def movie_totals_fold() -> int:
    """Add every committed pending change to its movie's totals; the number of movies
    whose totals changed."""
    with connection.cursor() as cursor:
        cursor.execute(_FOLD)
        return cursor.rowcount
