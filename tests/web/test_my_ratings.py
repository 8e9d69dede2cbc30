import pytest

from recommender.services.feedback import rating_submit
from tests.web.helpers import card_movie_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_ratings(member, other_member, catalog, refresh_calls):
    for movie_id in range(1, 31):
        rating_submit(user=member, movie_id=movie_id, stars=movie_id % 5 + 1)
    rating_submit(user=other_member, movie_id=40, stars=5)


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/ratings/")

    assert response.url == "/accounts/login/?next=/ratings/"


def test_it_lists_only_my_ratings_newest_first(member_client, my_ratings):
    page = member_client.get("/ratings/").context["page"]

    assert page.paginator.count == 30
    assert [rating.movie_id for rating in page] == list(range(30, 5, -1))
    assert 40 not in card_movie_ids(member_client.get("/ratings/?page=2").content.decode())


@pytest.mark.parametrize(
    ("sort", "key"),
    [("stars_high", lambda r: -r.stars), ("stars_low", lambda r: r.stars)],
)
def test_it_sorts_by_stars(member_client, my_ratings, sort, key):
    ratings = list(member_client.get(f"/ratings/?sort={sort}").context["page"])

    assert ratings == sorted(ratings, key=key)


def test_it_sorts_by_title(member_client, my_ratings):
    titles = [r.movie.title for r in member_client.get("/ratings/?sort=title").context["page"]]

    assert titles == sorted(titles)


def test_bad_sort_and_page_fall_back(member_client, my_ratings):
    response = member_client.get("/ratings/?sort=nonsense&page=42")

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_each_rating_can_be_changed_or_removed_in_place(member_client, my_ratings):
    html = member_client.get("/ratings/").content.decode()

    assert html.count('class="remove-rating"') == 25
    assert 'hx-post="/movies/30/rating/"' in html


def test_someone_with_no_ratings_is_pointed_to_onboarding(member_client, catalog):
    assert "Start with a few well-known movies" in member_client.get("/ratings/").content.decode()
