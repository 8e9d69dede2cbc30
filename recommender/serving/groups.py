"""Onboarding by groups: the active model's groups of movies, and a person's picks of them.

The groups are computed in the web process the first time anyone asks under a model version
and cached per version (recommender.scoring.groups: k-means on 600 vectors, milliseconds),
not written into the artifact at training: every artifact already trained gets them, and
"best-known" reads this site's rating counts. The cache has no expiry; should it be evicted,
the groups are computed again from the counts of the day, and picks still hold: a person's
picks are stored as movies, not group numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.core.cache import cache

from catalog.models import Movie
from catalog.selectors import group_pick_movie_ids, movies_by_id
from recommender.scoring.groups import movie_groups
from recommender.selectors import scoring_model_get_active
from recommender.serving import cache_keys as keys

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class GroupSeeds:
    """One group as cached: the ids it is shown by, the ids a pick stands for, its genres."""

    shown_ids: list[int]
    seed_ids: list[int]
    genres: list[str]


@dataclass(frozen=True)
class OnboardingGroup:
    id: int  # its place in the active version's groups, 0..k-1
    movies: list[Movie]  # the best-known titles it is shown by
    genres: list[str]
    seed_ids: list[int]
    picked: bool


def group_seeds_active() -> list[GroupSeeds]:
    """The active version's groups; ApplicationError when no model serves."""
    version, model = scoring_model_get_active()
    key = keys.groups_key(version=version)
    groups = cache.get(key)
    if groups is None:
        ids, vectors = model.movie_vectors()
        rows = dict(
            (pk, (count, genres))
            for pk, count, genres in Movie.objects.filter(pk__in=ids.tolist()).values_list(
                "pk", "rating_count", "genres"
            )
        )
        counts = np.array([rows.get(int(m), (0, []))[0] for m in ids], dtype=np.int64)
        found = movie_groups(vectors, counts, [rows.get(int(m), (0, []))[1] for m in ids])
        groups = [
            GroupSeeds(ids[g.shown].tolist(), ids[g.seeds].tolist(), list(g.genres)) for g in found
        ]
        cache.set(key, groups, None)
    return groups


def onboarding_groups(*, user: User) -> list[OnboardingGroup]:
    """The groups with their titles, and which of them `user` picked: a group counts as
    picked when at least half of its seed movies are among the person's picks (all of
    them under the version they picked in; under a later version, the groups closest to
    what they said they like)."""
    groups = group_seeds_active()
    picks = group_pick_movie_ids(user_id=user.pk)
    movies = movies_by_id(ids=[m for group in groups for m in group.shown_ids])
    return [
        OnboardingGroup(
            number,
            [movies[m] for m in group.shown_ids if m in movies],
            group.genres,
            group.seed_ids,
            2 * len(picks.intersection(group.seed_ids)) >= len(group.seed_ids),
        )
        for number, group in enumerate(groups)
    ]
