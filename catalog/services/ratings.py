"""Writing a person's ratings. Callers that want recommendations to follow use
recommender.services.feedback, which calls these."""

from django.db import transaction
from django.utils import timezone

from catalog.models import Movie, Profile, Rating
from movierec_site.errors import ApplicationError

STARS = range(1, 6)


def rating_set(*, user, movie_id: int, stars: int) -> tuple[Rating, bool]:
    """Create or replace `user`'s rating of a movie; (rating, created)."""
    if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
        raise ApplicationError("Stars must be a whole number from 1 to 5.", {"stars": stars})
    if not Movie.objects.filter(pk=movie_id).exists():
        raise ApplicationError(f"There is no movie with id {movie_id}.", {"movie_id": movie_id})
    # update_or_create locks the existing row (SELECT ... FOR UPDATE), so two concurrent
    # ratings of the same movie by the same person end as one row, the later one winning.
    with transaction.atomic():
        now = timezone.now()
        rating, created = Rating.objects.update_or_create(
            user=user, movie_id=movie_id, defaults={"stars": stars, "rated_at": now}
        )
        Profile.objects.filter(user=user).update(ratings_changed_at=now)
    return rating, created


def rating_delete(*, user, movie_id: int) -> bool:
    """Remove `user`'s rating of a movie; False when there was none."""
    with transaction.atomic():
        deleted, _ = Rating.objects.filter(user=user, movie_id=movie_id).delete()
        if deleted:
            Profile.objects.filter(user=user).update(ratings_changed_at=timezone.now())
    return bool(deleted)
