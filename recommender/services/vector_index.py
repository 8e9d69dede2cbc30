"""Putting a model version's movie vectors into Milvus and making them the live ones.

Only workers (and operators' commands) call this; web processes only search. Writers are
serialised by a PostgreSQL advisory lock held for the enclosing transaction, so two workers
publishing at once cannot interleave their alias moves.
"""

from django.conf import settings
from django.db import connection, transaction

from catalog.models import Movie
from recommender.models import ModelVersion
from recommender.scoring import ScoringModel
from recommender.selectors import scoring_model_of
from recommender.vector_index import (
    IndexStatus,
    VectorIndexError,
    index_activate,
    index_publish,
    index_status,
)

_WRITER_LOCK_KEY = 0x6D696C76  # "milv"


def vector_index_writer_lock() -> None:
    """Take the Milvus writer lock until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITER_LOCK_KEY])


def vector_index_point_at(*, version: ModelVersion, model: ScoringModel) -> IndexStatus:
    """Make the live alias serve `version`: re-point it if its collection is still there
    (a rollback to the previous version), else publish its vectors from the model."""
    status = index_status(uri=settings.MILVUS_URI)
    if version.pk in status.available_version_ids:
        try:
            return index_activate(uri=settings.MILVUS_URI, version_id=version.pk)
        except VectorIndexError:
            pass  # dropped between the two calls: publish it again below
    return vector_index_publish(version=version, model=model)


def vector_index_publish(*, version: ModelVersion, model: ScoringModel) -> IndexStatus:
    movie_ids, vectors = model.movie_vectors()
    movies = Movie.objects.in_bulk([int(movie_id) for movie_id in movie_ids])
    # Movies deleted since training have no row to show: leave them out of the index.
    keep = [i for i, movie_id in enumerate(movie_ids) if int(movie_id) in movies]
    chosen = [movies[int(movie_ids[i])] for i in keep]
    return index_publish(
        uri=settings.MILVUS_URI,
        version_id=version.pk,
        movie_ids=movie_ids[keep],
        vectors=vectors[keep],
        genres=[movie.genres for movie in chosen],
        years=[movie.year for movie in chosen],
    )


@transaction.atomic
def vector_index_rebuild(*, version: ModelVersion) -> IndexStatus:
    """Publish `version` from its artifact unless its collection is already live and
    complete (a lost index, e.g. a new Milvus server, is built again). An artifact saved
    before serving.npz existed gets one first (this runs in workers and commands, where
    Paddle may load; web processes never do)."""
    # Imported here: it loads Paddle, which only workers and commands may do.
    from recommender.training.artifacts import serving_weights_ensure

    vector_index_writer_lock()
    serving_weights_ensure(version.artifact_path)
    return vector_index_publish(version=version, model=scoring_model_of(version=version))
