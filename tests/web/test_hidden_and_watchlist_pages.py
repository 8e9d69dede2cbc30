"""The "Hidden" and "Watchlist" pages: a person's own marks, with Undo, and the watchlist
sorted by predicted stars or date added."""

import pytest

from catalog.models import Rating
from catalog.services.steering import movie_hide, watchlist_add
from recommender.serving import predicted_stars_for

pytestmark = pytest.mark.django_db


def test_the_hidden_page_lists_mine_with_undo(member_client, member, other_member, catalog):
    movie_hide(user=member, movie_id=3)
    movie_hide(user=other_member, movie_id=4)

    html = member_client.get("/hidden/").content.decode()

    assert "1 movie" in html
    assert 'id="marks-3-hide"' in html
    assert ">Undo</button>" in html
    assert 'id="marks-4' not in html


def test_the_watchlist_sorts_by_predicted_stars_or_date(member_client, member, trained):
    Rating.objects.filter(user=member).delete()
    for movie_id in range(1, 7):
        watchlist_add(user=member, movie_id=movie_id)
    stars = predicted_stars_for(user=member, movie_ids=list(range(1, 7)))
    best_first = sorted(stars, key=lambda movie_id: -stars[movie_id])

    by_stars = member_client.get("/watchlist/?sort=predicted").content.decode()
    by_date = member_client.get("/watchlist/").content.decode()

    def order(html):
        return sorted(range(1, 7), key=lambda movie_id: html.index(f'id="marks-{movie_id}"'))

    assert order(by_stars) == best_first
    assert order(by_date) == [6, 5, 4, 3, 2, 1]
    assert "For you:" in by_stars
    assert 'aria-pressed="true"' in by_date


def test_an_empty_watchlist_says_how_to_fill_it(member_client, catalog):
    assert "Your watchlist is empty." in member_client.get("/watchlist/").content.decode()


@pytest.mark.parametrize("path", ["/hidden/", "/watchlist/"])
def test_visitors_are_sent_to_log_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_signed_in_people_see_the_links(member_client, catalog):
    html = member_client.get("/movies/").content.decode()

    assert '<a href="/watchlist/">Watchlist</a>' in html
    assert '<a href="/hidden/">Hidden</a>' in html
