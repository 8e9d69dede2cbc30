"""The serving path from many threads at once, as threaded servers (runserver, gunicorn
--threads, an ASGI thread pool) call it: every person gets their own model list."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from catalog.models import Profile, Rating
from recommender import selectors
from recommender.serving import predicted_stars_get, recommendation_list

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def _people_with_ratings(django_user_model, count: int):
    people, now = [], timezone.now()
    for n in range(count):
        user = django_user_model.objects.create_user(f"thread-{n}", password="pw-for-tests")
        Profile.objects.create(user=user, gender="FM"[n % 2], age=25, occupation=n % 21)
        # Different tastes, so a mixed-up vector would show as a mixed-up list.
        Rating.objects.bulk_create(
            Rating(user=user, movie_id=movie_id, stars=5 if n % 2 else 1, rated_at=now)
            for movie_id in range(1 + n, 11 + n)
        )
        Profile.objects.filter(user=user).update(ratings_changed_at=now)
        people.append(user)
    return people


def _serve(user):
    try:
        page = recommendation_list(user=user, limit=10)
        stars = predicted_stars_get(user=user, movie_id=page.items[0].movie.pk)
        return page.fallback, [item.movie.pk for item in page.items], stars
    finally:
        connections.close_all()  # this thread's connection, not the test's


def test_many_threads_fold_in_and_list_at_once(trained, django_user_model):
    people = _people_with_ratings(django_user_model, THREADS)
    selectors._load.cache_clear()  # the model is loaded by one of the threads, not here
    with ThreadPoolExecutor(THREADS) as pool:
        concurrent = list(pool.map(_serve, people))

    assert [fallback for fallback, _, _ in concurrent] == [False] * THREADS
    assert all(stars is not None and 1 <= stars <= 5 for _, _, stars in concurrent)
    # The same answers one at a time: no thread saw another's state.
    cache.clear()
    assert [_serve(user) for user in people] == concurrent
