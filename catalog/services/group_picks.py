"""A person's onboarding picks: the seed movies of the groups of movies they said they like.

Callers that want recommendations to follow use recommender.services.onboarding, which
turns group numbers into movies and calls this. Picking replaces the whole set, so picking
the same groups twice changes nothing, and picking none clears it.

A change stamps Profile.picks_changed_at in its own transaction: the person's cached lists
and vector are keyed by it (recommender/serving/cache_keys.py), as they are by ratings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from catalog.models import GroupPick, Movie, Profile
from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def group_picks_set(*, user: User, movie_ids: list[int]) -> bool:
    """Make `movie_ids` the person's picked movies; True when that changed anything."""
    wanted = set(movie_ids)
    with transaction.atomic():
        known = set(Movie.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - known:
            missing = sorted(wanted - known)
            raise ApplicationError(
                f"There is no movie with id {missing[0]}.", {"movie_ids": missing}
            )
        # Locks the person's profile row: two requests picking at once apply one after the
        # other, so the set stored is one of theirs, never a mixture.
        profile = Profile.objects.select_for_update().filter(user=user).first()
        current = set(GroupPick.objects.filter(user=user).values_list("movie_id", flat=True))
        if current == wanted:
            return False
        now = timezone.now()
        GroupPick.objects.filter(user=user).exclude(movie_id__in=wanted).delete()
        GroupPick.objects.bulk_create(
            [GroupPick(user=user, movie_id=m, created_at=now) for m in sorted(wanted - current)]
        )
        if profile is not None:
            profile.picks_changed_at = now
            profile.save(update_fields=["picks_changed_at"])
    return True
