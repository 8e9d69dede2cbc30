"""Ratings, "Not interested" and the watchlist feeding back into recommendations: the write
path web and API call.

The rating (or mark) commits to PostgreSQL first. Only after the commit does the person's cached
state move to a new generation (so their next page cannot show a list computed before the
rating) and a worker recompute it (so that next page is usually already warm).

One refresh per person is pending at a time: a short Redis key marks it from the moment it
is sent until a worker starts it, and ratings in between send nothing (the refresh reads
them all when it starts). A burst of ratings from one account costs one refresh, not one
each, and cannot crowd everyone else's out of the queue.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction

from catalog.services.group_picks import group_picks_set
from catalog.services.movie_totals import movie_totals_fold
from catalog.services.ratings import rating_delete, rating_set
from catalog.services.steering import (
    movie_hide,
    movie_unhide,
    profile_popularity_set,
    watchlist_add,
    watchlist_remove,
)
from core.exceptions import ApplicationError
from recommender.services.retraining import retrain_if_due
from recommender.serving import cache_keys as keys
from recommender.serving import recommendation_refresh
from recommender.serving.groups import group_seeds_active
from recommender.tasks import recommendation_refresh_task

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from catalog.models import Rating

logger = logging.getLogger(__name__)
# Long enough to cover a busy queue's usual wait; if the refresh is lost, the next rating
# after this sends another.
REFRESH_PENDING_SECONDS = 60


def rating_submit(*, user: User, movie_id: int, stars: int) -> tuple[Rating, bool]:
    """Create or replace a rating; (rating, created)."""
    with transaction.atomic():
        result = rating_set(user=user, movie_id=movie_id, stars=stars)
        _on_commit_refresh(user.pk)
    return result


def rating_withdraw(*, user: User, movie_id: int) -> bool:
    with transaction.atomic():
        deleted = rating_delete(user=user, movie_id=movie_id)
        if deleted:
            _on_commit_refresh(user.pk)
    return deleted


def hidden_movie_set(*, user: User, movie_id: int, hidden: bool) -> bool:
    """Hide a movie from `user`'s lists ("Not interested") or undo it; True when that
    changed anything. The movie is gone from their next page: the mark moves their list
    state as a rating does."""
    return _marked(movie_hide if hidden else movie_unhide, user, movie_id)


def watchlist_entry_set(*, user: User, movie_id: int, listed: bool) -> bool:
    """Put a movie on `user`'s watchlist (it leaves their top picks) or take it off; True
    when that changed anything."""
    return _marked(watchlist_add if listed else watchlist_remove, user, movie_id)


def popularity_dial_set(*, user: User, popularity: int) -> bool:
    """Save `user`'s popularity dial (-2 hidden gems .. 2 well known); True when that
    changed it. Their lists are keyed by it, so the next page follows; a worker computes the
    new list meanwhile, as after a rating."""
    with transaction.atomic():
        changed = profile_popularity_set(user=user, popularity=popularity)
        if changed:
            _on_commit_refresh(user.pk)
    return changed


def group_picks_submit(*, user: User, group_ids: list[int]) -> bool:
    """Make the active model's groups `group_ids` the person's onboarding picks (none
    clears them); True when that changed anything. Their seed movies are what is stored
    and what seeds the person's vector, as liked movies, from their next page on."""
    groups = group_seeds_active()
    unknown = sorted({g for g in group_ids if not 0 <= g < len(groups)})
    if unknown:
        raise ApplicationError(f"There is no group {unknown[0]}.", {"group_ids": unknown})
    seeds = [movie for g in sorted(set(group_ids)) for movie in groups[g].seed_ids]
    with transaction.atomic():
        changed = group_picks_set(user=user, movie_ids=seeds)
        if changed:
            _on_commit_refresh(user.pk)
    return changed


def _marked(service, user: User, movie_id: int) -> bool:
    with transaction.atomic():
        result = service(user=user, movie_id=movie_id)
        changed = result[1] if isinstance(result, tuple) else result
        if changed:
            _on_commit_refresh(user.pk)
    return changed


def _on_commit_refresh(user_id: int) -> None:
    # robust: the rating is already committed when this runs; Redis or the broker being
    # down must not turn a saved rating into an error for the person who made it. Nothing
    # is left to redo when this fails: the cache keys also carry the rating's timestamp
    # from PostgreSQL (recommender/serving/cache_keys.py), so the next page computes the new
    # list itself, and the retraining check counts ratings in PostgreSQL on the next refresh
    # that runs.
    transaction.on_commit(lambda: _refresh(user_id), robust=True)


def _refresh(user_id: int) -> None:
    keys.generation_bump(user_id=user_id)
    pending = _pending_key(user_id)
    # add() is False both when a refresh is pending and when Redis is down (core.cache);
    # get() tells them apart. Down, every rating sends its refresh, as before the mark.
    if cache.add(pending, True, REFRESH_PENDING_SECONDS) or cache.get(pending) is None:
        recommendation_refresh_task.delay(user_id)


def rating_feedback_process(*, user_id: int) -> None:
    """The refresh a rating sent, in a worker: bring the movie totals up to date, recompute
    the person's list, then see whether enough ratings arrived to retrain."""
    # Cleared first: a rating committed after this point is not in what is computed below,
    # so it must send a refresh of its own.
    cache.delete(_pending_key(user_id))
    # Totals follow a rating within a refresh's wait, not beat's period alone.
    movie_totals_fold()
    recommendation_refresh(user_id=user_id)
    retrain_if_due()


def _pending_key(user_id: int) -> str:
    return f"refresh-pending:{user_id}"
