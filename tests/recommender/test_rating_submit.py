"""After a rating, one refresh per person at a time: ratings made while one is pending ride
along with it, so a burst of ratings cannot fill the queue with the same person's work."""

import pytest

from catalog.models import Movie
from movielens.titles import movie_title_fields
from recommender.services.feedback import rating_submit
from recommender.tasks import recommendation_refresh_task
from tests.faults.helpers import redis_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def movie_ids(db) -> list[int]:
    Movie.objects.bulk_create(
        Movie(id=i, **movie_title_fields(f"Movie {i}"), genres=["Drama"]) for i in range(1, 9)
    )
    return list(range(1, 9))


@pytest.fixture
def rate(django_capture_on_commit_callbacks):
    def rate(user, movie_id: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            rating_submit(user=user, movie_id=movie_id, stars=4)

    return rate


def test_ratings_while_a_refresh_is_pending_send_no_other(newcomer, movie_ids, rate, refresh_calls):
    for movie_id in movie_ids:
        rate(newcomer, movie_id)

    refresh_calls.assert_called_once_with(newcomer.pk)


def test_once_the_refresh_starts_the_next_rating_sends_another(
    newcomer, movie_ids, rate, refresh_calls
):
    rate(newcomer, movie_ids[0])
    recommendation_refresh_task(newcomer.pk)  # the worker takes it: it reads what is rated now

    rate(newcomer, movie_ids[1])

    assert refresh_calls.call_count == 2


def test_each_person_gets_a_refresh_of_their_own(
    newcomer, django_user_model, movie_ids, rate, refresh_calls
):
    other = django_user_model.objects.create_user("other")

    rate(newcomer, movie_ids[0])
    rate(other, movie_ids[0])

    assert [call.args for call in refresh_calls.call_args_list] == [(newcomer.pk,), (other.pk,)]


def test_with_redis_down_every_rating_still_asks_for_its_refresh(
    newcomer, movie_ids, rate, refresh_calls
):
    # Nothing can say a refresh is pending: sending one per rating is the safe side.
    with redis_down():
        for movie_id in movie_ids[:3]:
            rate(newcomer, movie_id)

    assert refresh_calls.call_count == 3
