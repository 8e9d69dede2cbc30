"""The load benchmark's throwaway people, written straight into the database (sign-up and
log-in are limited per address, and thousands of writers would take minutes through them):
each with a profile, a session, a CSRF cookie and its form token, and a JWT, as a browser
or a mobile client would hold after signing in. Deleted after the run, with their ratings
and what those ratings added to the movie totals."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import get_random_string
from rest_framework_simplejwt.tokens import AccessToken

from catalog.models import Profile, Rating
from catalog.services.movie_totals import movie_totals_fold

USERNAME_PREFIX = "loadbench-"
# Session keys carry it too, so a crashed run's sessions can be found and deleted.
SESSION_PREFIX = "loadbench"
SEEDED_RATINGS = 10  # readers' ratings: enough that the home page shows picks, not onboarding


@dataclass(frozen=True)
class Person:
    user_id: int
    cookie: str  # session and CSRF cookies, as the browser sends them
    csrf_token: str  # the masked token a page's forms carry
    bearer: str


def people_create(*, count: int, role: str, movie_ids: list[int]) -> list[Person]:
    """`count` people; readers have rated SEEDED_RATINGS of `movie_ids`, writers nothing."""
    User = get_user_model()
    tag = f"{USERNAME_PREFIX}{role}-{time.time_ns()}"
    users = User.objects.bulk_create(
        [User(username=f"{tag}-{i}", password=make_password(None)) for i in range(count)]
    )  # unusable passwords: nobody logs in as them
    Profile.objects.bulk_create(
        [
            Profile(user=user, gender="FM"[i % 2], age=(18, 25, 35, 45)[i % 4], occupation=i % 21)
            for i, user in enumerate(users)
        ]
    )
    if role == "reader":
        _ratings_seed(users, movie_ids)
    sessions = [_session(user) for user in users]
    SessionStore.get_model_class().objects.bulk_create([row for row, _ in sessions])
    people = []
    for user, (row, _) in zip(users, sessions, strict=True):
        csrf_cookie, csrf_token = _csrf()
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={row.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}"
        )
        people.append(Person(user.pk, cookie, csrf_token, str(AccessToken.for_user(user))))
    return people


def _ratings_seed(users: list, movie_ids: list[int]) -> None:
    """SEEDED_RATINGS ratings each, and what they add to the movie totals. Added straight
    to the totals, as the MovieLens import does: addition commutes with whatever rating
    changes the app has yet to add to them."""
    now = timezone.now()
    ratings = Rating.objects.bulk_create(
        [
            Rating(
                user=user,
                movie_id=movie_ids[(i * 7 + k) % len(movie_ids)],
                stars=k % 5 + 1,
                rated_at=now,
            )
            for i, user in enumerate(users)
            for k in range(SEEDED_RATINGS)
        ]
    )
    Profile.objects.filter(user__in=users).update(ratings_changed_at=now)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_movie m SET rating_count = m.rating_count + r.n,"
            " rating_sum = m.rating_sum + r.total"
            " FROM (SELECT movie_id, count(*) AS n, sum(stars) AS total FROM catalog_rating"
            "       WHERE id = ANY(%s) GROUP BY movie_id) r WHERE m.id = r.movie_id",
            [[rating.pk for rating in ratings]],
        )


def _session(user):
    """A signed-in session row for `user`, as django.contrib.auth.login would store it."""
    store = SessionStore()
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    key = SESSION_PREFIX + get_random_string(40 - len(SESSION_PREFIX), VALID_KEY_CHARS)
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    model = store.get_model_class()
    return model(session_key=key, session_data=store.encode(data), expire_date=expires), key


def _csrf() -> tuple[str, str]:
    """A CSRF cookie value and a form token for it, made the way Django makes them for a
    page that has a form (the cookie holds the secret, the form a masked copy)."""
    request = HttpRequest()
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


def ratings_of(*, people: list[Person], movie_ids: list[int]) -> dict[tuple[int, int], int]:
    """{(user id, movie id): stars} of these people's ratings of these movies."""
    rows = Rating.objects.filter(
        user_id__in=[p.user_id for p in people], movie_id__in=movie_ids
    ).values_list("user_id", "movie_id", "stars")
    return {(user_id, movie_id): stars for user_id, movie_id, stars in rows}


def people_delete() -> int:
    """Every load-bench person, whatever run left them (a crashed run's too), their
    ratings and sessions; the movie totals lose what those ratings added. The number of
    people deleted."""
    User = get_user_model()
    ids = list(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("pk", flat=True)
    )
    movie_totals_fold()  # what they added is in the totals before it is subtracted
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Subtracted, not recomputed from the ratings left: totals that trail the
            # ratings (changes not yet added to them) stay right once they catch up.
            cursor.execute(
                "UPDATE catalog_movie m SET rating_count = m.rating_count - r.n,"
                " rating_sum = m.rating_sum - r.total"
                " FROM (SELECT movie_id, count(*) AS n, sum(stars) AS total"
                "       FROM catalog_rating WHERE user_id = ANY(%s) GROUP BY movie_id) r"
                " WHERE m.id = r.movie_id",
                [ids],
            )
        Rating.objects.filter(user_id__in=ids).delete()
        Profile.objects.filter(user_id__in=ids).delete()
        with connection.cursor() as cursor:
            # Not Django's cascade, which visits every table that refers to users: these
            # people have rows only in the tables above, and a row anywhere else should
            # fail the commit (the foreign keys), not be deleted unseen.
            cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id = ANY(%s)", [ids])
        sessions = SessionStore.get_model_class().objects
        sessions.filter(session_key__startswith=SESSION_PREFIX).delete()
    return len(ids)
