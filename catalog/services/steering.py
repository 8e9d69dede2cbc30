"""A person's "Not interested" (hidden movies) and "Want to watch" (watchlist) marks.

Callers that want recommendations to follow use recommender.services.feedback, which calls
these. Every function is idempotent: marking twice keeps one row, unmarking what is not
marked does nothing. The two marks exclude each other (wanting to watch a movie and not
being interested in it cannot both hold), so setting one clears the other.

A change stamps Profile.exclusions_changed_at in its own transaction: the person's cached
lists are keyed by it (recommender/serving/cache_keys.py), so the next view leaves the
movie out even if Redis missed the generation bump."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from catalog.models import HiddenMovie, Movie, Profile, WatchlistEntry
from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model


def movie_hide(*, user: User, movie_id: int) -> tuple[HiddenMovie, bool]:
    """Mark a movie "Not interested" (and off the watchlist); (row, created)."""
    return _mark(HiddenMovie, WatchlistEntry, user, movie_id)


def movie_unhide(*, user: User, movie_id: int) -> bool:
    """False when the movie was not hidden."""
    return _unmark(HiddenMovie, user, movie_id)


def watchlist_add(*, user: User, movie_id: int) -> tuple[WatchlistEntry, bool]:
    """Put a movie on the watchlist (and unhide it); (row, created)."""
    return _mark(WatchlistEntry, HiddenMovie, user, movie_id)


def watchlist_remove(*, user: User, movie_id: int) -> bool:
    """False when the movie was not on the watchlist."""
    return _unmark(WatchlistEntry, user, movie_id)


def _mark(model: type[Model], opposite: type[Model], user: User, movie_id: int):
    with transaction.atomic():
        if not Movie.objects.filter(pk=movie_id).exists():
            raise ApplicationError(f"There is no movie with id {movie_id}.", {"movie_id": movie_id})
        now = timezone.now()
        # get_or_create retries the read when a concurrent request inserted the row first
        # (the unique constraint refuses the second insert), so two clicks make one row.
        row, created = model.objects.get_or_create(
            user=user, movie_id=movie_id, defaults={"created_at": now}
        )
        opposite.objects.filter(user=user, movie_id=movie_id).delete()
        if created:
            _stamp(user, now)
    return row, created


def _unmark(model: type[Model], user: User, movie_id: int) -> bool:
    with transaction.atomic():
        deleted, _ = model.objects.filter(user=user, movie_id=movie_id).delete()
        if deleted:
            _stamp(user, timezone.now())
    return bool(deleted)


def _stamp(user: User, now) -> None:
    Profile.objects.filter(user=user).update(exclusions_changed_at=now)


POPULARITY_DIAL_STEPS = (-2, -1, 0, 1, 2)


def profile_popularity_set(*, user: User, popularity: int) -> bool:
    """Save where `user`'s lists sit between "hidden gems" (-2) and "well known" (2); True
    when that changed it. Someone without a profile yet (staff) gets one, every
    demographic "prefer not to say". The value is part of the person's list cache keys
    (recommender/serving/cache_keys.py), so the next list follows it."""
    if isinstance(popularity, bool) or popularity not in POPULARITY_DIAL_STEPS:
        raise ApplicationError(
            f"Popularity must be one of {', '.join(map(str, POPULARITY_DIAL_STEPS))}.",
            {"popularity": popularity},
        )
    with transaction.atomic():
        profile, created = Profile.objects.select_for_update().get_or_create(
            user=user, defaults={"popularity_dial": popularity}
        )
        if created or profile.popularity_dial == popularity:
            return created and popularity != 0
        profile.popularity_dial = popularity
        profile.save(update_fields=["popularity_dial"])
    return True
