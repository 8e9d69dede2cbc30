"""One person's predicted stars for one movie or many, under the active model (movie pages,
the watchlist, API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from catalog.selectors import profile_for, watchlist_entry_list
from core.exceptions import ApplicationError
from recommender.selectors import scoring_model_get_active
from recommender.serving.user_vectors import user_encoding_cached

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from catalog.models import WatchlistEntry

WATCHLIST_ORDERS = ("added", "predicted")


def predicted_stars_get(*, user: User, movie_id: int) -> float | None:
    """None when no model is trained or the person has no demographics to encode."""
    profile = profile_for(user=user)
    if profile is None:
        return None
    try:
        version, model = scoring_model_get_active()
    except ApplicationError:
        return None
    encoded = user_encoding_cached(user=user, profile=profile, version=version, model=model)
    stars = model.stars(encoded, np.array([[movie_id]], dtype=np.int64))  # [1, 1]
    return round(float(stars[0][0]), 2)


def predicted_stars_for(*, user: User, movie_ids: list[int]) -> dict[int, float]:
    """Stars for many movies in one call (the person's cached vector, one scoring of all
    the movies): what a page of cards needs, instead of one predicted_stars_get each.
    Empty when no model is trained or the person has no demographics."""
    profile = profile_for(user=user)
    if profile is None or not movie_ids:
        return {}
    try:
        version, model = scoring_model_get_active()
    except ApplicationError:
        return {}
    encoded = user_encoding_cached(user=user, profile=profile, version=version, model=model)
    stars = model.stars(encoded, np.array([movie_ids], dtype=np.int64))  # [1, len(movie_ids)]
    return {
        movie_id: round(float(value), 2)
        for movie_id, value in zip(movie_ids, stars[0], strict=True)
    }


def watchlist_with_stars(*, user: User, order: str = "added") -> list[WatchlistEntry]:
    """`user`'s watchlist, each entry with its `predicted_stars` (None without a model):
    newest first ("added"), or highest predicted stars first ("predicted", newest first
    among equals and entries without stars last). All the entries are scored in one call,
    so this reads the whole list: a watchlist is a person's own few dozen movies."""
    if order not in WATCHLIST_ORDERS:
        raise ValueError(f"order must be one of {list(WATCHLIST_ORDERS)}")
    entries = list(watchlist_entry_list(user=user))
    stars = predicted_stars_for(user=user, movie_ids=[entry.movie_id for entry in entries])
    for entry in entries:
        entry.predicted_stars = stars.get(entry.movie_id)
    if order == "predicted":  # stable: newest first among equal stars
        entries.sort(key=lambda entry: -(entry.predicted_stars or 0))
    return entries
