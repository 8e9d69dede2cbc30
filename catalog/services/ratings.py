"""Writing a person's ratings. Callers that want recommendations to follow use
recommender.services.feedback, which calls these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Movie, Profile, Rating
from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STARS = range(1, 6)


def rating_set(*, user: User, movie_id: int, stars: int) -> tuple[Rating, bool]:
    """Create or replace `user`'s rating of a movie; (rating, created)."""
    if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
        raise ApplicationError("Stars must be a whole number from 1 to 5.", {"stars": stars})
    with transaction.atomic():
        # Locking the movie row serialises writes to its totals, and tells a missing movie
        # apart before anything is written.
        if not Movie.objects.select_for_update().filter(pk=movie_id).exists():
            raise ApplicationError(f"There is no movie with id {movie_id}.", {"movie_id": movie_id})
        now = timezone.now()
        previous = Rating.objects.filter(user=user, movie_id=movie_id).first()
        rating, created = Rating.objects.update_or_create(
            user=user, movie_id=movie_id, defaults={"stars": stars, "rated_at": now}
        )
        added = 1 if created else 0
        delta = stars - (previous.stars if previous else 0)
        Movie.objects.filter(pk=movie_id).update(
            rating_count=F("rating_count") + added, rating_sum=F("rating_sum") + delta
        )
        Profile.objects.filter(user=user).update(ratings_changed_at=now)
    return rating, created


def rating_delete(*, user: User, movie_id: int) -> bool:
    """Remove `user`'s rating of a movie; False when there was none."""
    with transaction.atomic():
        list(Movie.objects.select_for_update().filter(pk=movie_id))
        rating = Rating.objects.filter(user=user, movie_id=movie_id).first()
        if rating is None:
            return False
        rating.delete()
        Movie.objects.filter(pk=movie_id).update(
            rating_count=F("rating_count") - 1, rating_sum=F("rating_sum") - rating.stars
        )
        Profile.objects.filter(user=user).update(ratings_changed_at=timezone.now())
    return True
