"""Retrieve, re-rank, score: the one path from a person's vector to their top movies.

Stage 1 is the Milvus search (cosine on unit vectors), stage 2 the model's re-rank of those
candidates (recommender.model.ranking), then the model's stars for what is kept.
"""

import numpy as np
from django.conf import settings

from recommender.scoring import Encoded, ScoringModel
from recommender.vector_index import collection_name_for, index_search


def top_movies(
    *,
    version_id: int,
    model: ScoringModel,
    user: Encoded,
    k: int,
    exclude_movie_ids: list[int],
    genre: str | None = None,
    popularity: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """(movie ids [≤ k], predicted stars [≤ k]), best first; VectorIndexUnavailable when
    Milvus cannot answer. `model` is model version `version_id`'s; `popularity` the
    person's dial (model.ranking.POPULARITY_STEPS), which moves only their re-rank."""
    hits = index_search(
        uri=settings.MILVUS_URI,
        vectors=user.vectors,
        # The version's own collection, not the live alias: an activation moves the alias
        # and PostgreSQL's active row one after the other, and a reader between the two
        # would match this model's person vectors against another model's movie vectors.
        alias=collection_name_for(version_id=version_id),
        # The policy's over-fetch is what evaluation measured; never fetch less than k, so a
        # small model still fills the list.
        limit=max(model.policy.overfetch, k),
        exclude_movie_ids=exclude_movie_ids,
        genre=genre,
    )[0]
    if not hits:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    candidates = np.array([[movie_id for movie_id, _ in hits]], dtype=np.int64)
    cosines = np.array([[score for _, score in hits]], dtype=np.float32)
    top = model.rerank(
        candidates, cosines, min(k, len(hits)), users=user, popularity=popularity
    )  # [1, k]
    return top[0], model.stars(user, top)[0]
