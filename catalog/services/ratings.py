"""Writing a person's ratings. Callers that want recommendations to follow use
recommender.services.feedback, which calls these.

Neither takes a lock on the movie: its totals change through movie_totals (a row
appended, added in later), so people rating the same popular movie never wait for each
other. Each takes a lock on the person instead, the one thing two writes must agree on:
what the person's rating was before (two tabs rating one movie at once must add it to the
totals once, not twice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Movie, Profile, Rating
from catalog.services.movie_totals import movie_totals_change_record
from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STARS = range(1, 6)


def rating_set(*, user: User, movie_id: int, stars: int) -> tuple[Rating, bool]:
    """Create or replace `user`'s rating of a movie; (rating, created)."""
    if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
        raise ApplicationError("Stars must be a whole number from 1 to 5.", {"stars": stars})
    with transaction.atomic():
        _person_lock(user)
        # A plain read: a movie is not deleted while people rate it, and if it were, the
        # rating's foreign key would refuse the commit.
        if not Movie.objects.filter(pk=movie_id).exists():
            raise ApplicationError(f"There is no movie with id {movie_id}.", {"movie_id": movie_id})
        now = timezone.now()
        rating = Rating.objects.filter(user=user, movie_id=movie_id).first()
        created = rating is None
        if rating is None:
            rating = Rating.objects.create(user=user, movie_id=movie_id, stars=stars, rated_at=now)
            movie_totals_change_record(movie_id=movie_id, ratings=1, stars=stars)
        else:
            previous, rating.stars, rating.rated_at = rating.stars, stars, now
            rating.save(update_fields=["stars", "rated_at"])
            movie_totals_change_record(movie_id=movie_id, ratings=0, stars=stars - previous)
        Profile.objects.filter(user=user).update(ratings_changed_at=now)
    return rating, created


def rating_delete(*, user: User, movie_id: int) -> bool:
    """Remove `user`'s rating of a movie; False when there was none."""
    with transaction.atomic():
        _person_lock(user)
        rating = Rating.objects.filter(user=user, movie_id=movie_id).first()
        if rating is None:
            return False
        rating.delete()
        movie_totals_change_record(movie_id=movie_id, ratings=-1, stars=-rating.stars)
        Profile.objects.filter(user=user).update(ratings_changed_at=timezone.now())
    return True


def _person_lock(user: User) -> None:
    """Hold `user`'s row until the transaction ends, so that their next rating write reads
    what this one wrote. Only the same person's writes wait. FOR NO KEY UPDATE: the
    foreign keys that refer to the user (this rating's among them) take FOR KEY SHARE,
    which it does not block."""
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).exists()
