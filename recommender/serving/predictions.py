"""One person's predicted stars for one movie, under the active model (movie pages, API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from catalog.selectors import profile_for
from core.exceptions import ApplicationError
from recommender.selectors import scoring_model_get_active
from recommender.serving.user_vectors import user_encoding_cached

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
