"""A person's vector under the active model: the trained tower, or a fold-in.

The tower serves people the model was trained on whose ratings have not changed since the
training data was exported. Everyone else (people who signed up later, or who rated since)
gets a fold-in: their own id embedding fitted to their current ratings, network frozen.
Either way, a model with a neighbourhood stage then adds the person's terms (co-occurrence
affinity, stars correction) from their current ratings, so a new rating moves them at once.
Both are numpy (recommender.scoring): safe from any thread of any web server.

A person who picked groups of movies at onboarding (recommender.serving.groups) gets a
fold-in, their picks' seed movies joining their ratings as liked pseudo-ratings (their own
rating of a movie wins), unless the model was trained with the picks (as wanted marks) and
they have not changed since. Hidden and watchlisted movies join the fold-in as the model's
training used them (recommender.scoring.fold_in); a change to them after the export, like a
rating, moves the person from the tower to a fold-in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from django.core.cache import cache

from catalog.models import Profile, Rating
from catalog.selectors import group_pick_movie_ids, movie_marked_ids
from recommender.model.vocab import demographic_codes
from recommender.models import ModelVersion
from recommender.scoring import Encoded, ScoringModel, fold_in_user
from recommender.scoring.fold_in import Marked
from recommender.scoring.groups import ratings_with_picks
from recommender.serving import cache_keys as keys

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def user_encoding_cached(
    *,
    user: User,
    profile: Profile,
    version: ModelVersion,
    model: ScoringModel,
    generation: str | None = None,
) -> Encoded:
    """The person's vector, cached per model version and rating generation. `generation`,
    when the caller has already read it, saves a Redis round trip."""
    if generation is None:
        generation = keys.generation_of(user_id=user.pk, profile=profile)
    key = keys.vector_key(user_id=user.pk, version=version, generation=generation)
    encoded = cache.get(key)
    if encoded is None:
        encoded = user_encoding_compute(model=model, version=version, profile=profile)
        cache.set(key, encoded, keys.TTL_SECONDS)
    return encoded


def user_encoding_compute(
    *, model: ScoringModel, version: ModelVersion, profile: Profile
) -> Encoded:
    """Encoded(unit vector [1, D], bias [1], and the model's neighbourhood terms from the
    person's ratings when it has that stage) for the person with `profile`."""
    demographics = demographic_codes(profile.gender, profile.age, profile.occupation)
    exported_at = version.data_snapshot.get("exported_at", 0)
    stamps = (profile.ratings_changed_at, profile.exclusions_changed_at, profile.picks_changed_at)
    changed = any(stamp and stamp.timestamp() > exported_at for stamp in stamps)
    # Only read when the person ever picked: most never do, and their vector costs no query.
    picks = group_pick_movie_ids(user_id=profile.user_id) if profile.picks_changed_at else set()
    trained_with_picks = model.config.wanted_feedback == "positive"
    tower = model.knows_user(profile.user_id) and not changed and (trained_with_picks or not picks)
    if tower and model.neighbourhood is None:
        return _tower_encoding(model, profile.user_id, demographics)
    ratings = list(Rating.objects.filter(user_id=profile.user_id).values_list("movie_id", "stars"))
    movie_ids, stars = ratings_with_picks(
        np.array([movie for movie, _ in ratings], dtype=np.int64),
        np.array([stars for _, stars in ratings], dtype=np.float32),
        np.array(sorted(picks), dtype=np.int64),
    )
    if tower:
        encoded = _tower_encoding(model, profile.user_id, demographics)
    else:
        encoded = fold_in_user(model, movie_ids, stars, *demographics, marks=_marks(profile))
    return model.personalize(encoded, [movie_ids], [stars])


def _marks(profile: Profile) -> Marked:
    """The person's hidden and watchlisted movies; no query for one who never marked."""
    if not profile.exclusions_changed_at:
        return Marked()
    hidden, wanted = movie_marked_ids(user_id=profile.user_id)
    return Marked(wanted=_ids(wanted), hidden=_ids(hidden))


def _ids(movie_ids: set[int]) -> np.ndarray:
    return np.array(sorted(movie_ids), dtype=np.int64)


def _tower_encoding(model: ScoringModel, user_id: int, demographics: tuple) -> Encoded:
    """The trained user tower's encoding of a person the model was trained on."""
    return model.encode_users(np.array([user_id]), *([d] for d in demographics))
