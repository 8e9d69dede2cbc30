"""The load benchmark's throwaway people: created with sessions and JWTs before the run,
deleted (with their ratings, and the movie totals those ratings added) after it."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from rest_framework_simplejwt.tokens import RefreshToken

from catalog.models import Movie, Profile, Rating
from catalog.services.ratings import rating_set
from recommender.serving import recommendation_list

USERNAME_PREFIX = "loadbench-"
SEEDED_RATINGS = 10  # readers' ratings, so their lists are personal and have reasons


@dataclass(frozen=True)
class Person:
    user_id: int
    session_cookie: str
    bearer: str


def people_create(*, count: int, role: str, movie_ids: list[int]) -> list[Person]:
    User = get_user_model()
    tag = f"{USERNAME_PREFIX}{role}-{int(time.time())}"
    people = []
    for i in range(count):
        user = User.objects.create_user(f"{tag}-{i}")  # no usable password: never logs in
        Profile.objects.create(
            user=user, gender="FM"[i % 2], age=(18, 25, 35, 45)[i % 4], occupation=i % 21
        )
        if role == "reader":
            for k in range(SEEDED_RATINGS):
                rating_set(
                    user=user, movie_id=movie_ids[(i * 7 + k) % len(movie_ids)], stars=k % 5 + 1
                )
        people.append(
            Person(user.pk, _session_for(user), str(RefreshToken.for_user(user).access_token))
        )
    return people


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def lists_warm(*, people: list[Person]) -> None:
    """Compute and cache each person's list, as a first page view would."""
    User = get_user_model()
    for person in people:
        recommendation_list(user=User.objects.get(pk=person.user_id), limit=60)


def ratings_count(*, people: list[Person]) -> int:
    return Rating.objects.filter(user_id__in=[p.user_id for p in people]).count()


def people_delete(*, people: list[Person]) -> int:
    """Every load-bench person, whatever run left them (a crashed run's too), with their
    ratings' share of the movie totals; and this run's sessions. The number deleted."""
    User = get_user_model()
    ids = list(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("pk", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Lock order as rating_set's: the movie rows first.
        rated = Rating.objects.filter(user_id__in=ids).values("movie_id")
        list(Movie.objects.select_for_update().filter(pk__in=rated).order_by("pk").values("pk"))
        cursor.execute(
            "UPDATE catalog_movie m SET rating_count = m.rating_count - r.n,"
            " rating_sum = m.rating_sum - r.total"
            " FROM (SELECT movie_id, count(*) AS n, sum(stars) AS total FROM catalog_rating"
            "       WHERE user_id = ANY(%s) GROUP BY movie_id) r WHERE m.id = r.movie_id",
            [ids],
        )
        Rating.objects.filter(user_id__in=ids).delete()
        User.objects.filter(pk__in=ids).delete()
        keys = [person.session_cookie.split("=", 1)[1] for person in people]
        SessionStore.get_model_class().objects.filter(session_key__in=keys).delete()
    return len(ids)
