import pytest
from django.test import Client

from catalog.models import Movie, Rating
from catalog.services.movie_totals import movie_totals_fold

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _stars(user, movie_id=5):
    rating = Rating.objects.filter(user=user, movie_id=movie_id).first()
    return rating and rating.stars


def test_without_javascript_rating_posts_and_comes_back(
    member_client, member, catalog, refresh_calls
):
    response = member_client.post("/movies/5/rating/", {"stars": "4", "next": "/movies/?page=2"})

    assert (response.status_code, response.url) == (302, "/movies/?page=2")
    assert _stars(member) == 4
    assert "Rated 4 stars." in member_client.get(response.url).content.decode()


def test_with_htmx_the_widget_comes_back_and_tells_the_page(
    member_client, member, catalog, refresh_calls
):
    response = member_client.post("/movies/5/rating/", {"stars": "3"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "rated"
    assert html.lstrip().startswith('<form class="rating-widget is-rated" id="rating-5"')
    assert 'aria-label="Rate 3 stars"\n              aria-pressed="true"' in html
    assert "Rated 3 stars." in html


def test_the_star_keeps_its_id_so_focus_stays_on_it_after_the_swap(
    member_client, catalog, refresh_calls
):
    page = member_client.get("/movies/5/").content.decode()
    swapped = member_client.post("/movies/5/rating/", {"stars": "4"}, **HTMX).content.decode()

    for html in (page, swapped):
        assert 'id="rating-5-star-4"' in html


def test_the_status_is_announced_outside_the_swapped_widget(member_client, catalog, refresh_calls):
    page = member_client.get("/movies/5/").content.decode()
    swapped = member_client.post("/movies/5/rating/", {"stars": "4"}, **HTMX).content.decode()
    refused = member_client.post("/movies/5/rating/", {"stars": "9"}, **HTMX).content.decode()

    assert '<div id="announcer" class="visually-hidden" role="status"' in page
    widget, announcement = swapped.split("</form>")
    assert "aria-live" not in widget  # a live region swapped in is often not read
    assert '<div id="announcer" hx-swap-oob="innerHTML">' in announcement
    assert ": Rated 4 stars.</div>" in announcement
    assert "Stars must be a whole number from 1 to 5.</div>" in refused.split("</form>")[1]


def test_rating_again_changes_the_stars(member_client, member, catalog, refresh_calls):
    member_client.post("/movies/5/rating/", {"stars": "2"}, **HTMX)
    member_client.post("/movies/5/rating/", {"stars": "5"}, **HTMX)

    assert _stars(member) == 5
    movie_totals_fold()
    assert Movie.objects.get(pk=5).rating_count == Rating.objects.filter(movie_id=5).count()


def test_a_rating_can_be_removed(member_client, member, catalog, refresh_calls):
    member_client.post("/movies/5/rating/", {"stars": "2"})

    response = member_client.post("/movies/5/rating/remove/", **HTMX)

    assert _stars(member) is None
    assert "Rating removed." in response.content.decode()
    assert "Remove" not in response.content.decode().split("rating-status")[0]


def test_removing_what_was_never_rated_is_harmless(member_client, catalog, refresh_calls):
    response = member_client.post("/movies/5/rating/remove/", {"next": "/"})

    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.parametrize("stars", ["6", "0", "abc", "", "3.5"])
def test_bad_stars_are_a_400_with_a_message(member_client, member, catalog, stars, refresh_calls):
    plain = member_client.post("/movies/5/rating/", {"stars": stars})
    swapped = member_client.post("/movies/5/rating/", {"stars": stars}, **HTMX)

    for response in (plain, swapped):
        assert response.status_code == 400
        assert "Stars must be a whole number from 1 to 5." in response.content.decode()
    assert 'id="rating-5"' in swapped.content.decode()
    assert _stars(member) is None


def test_a_missing_movie_is_a_400_with_a_message(member_client, catalog, refresh_calls):
    response = member_client.post("/movies/9999/rating/", {"stars": "3"}, **HTMX)

    assert response.status_code == 400
    assert "There is no movie with id 9999." in response.content.decode()


def test_visitors_are_sent_to_log_in(client, catalog):
    response = client.post("/movies/5/rating/", {"stars": "3"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Rating.objects.filter(movie_id=5, user__username="member").exists()


def test_rating_takes_a_post(member_client, catalog):
    assert member_client.get("/movies/5/rating/").status_code == 405


def test_rating_needs_the_csrf_token(member, catalog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post("/movies/5/rating/", {"stars": "3"}).status_code == 403


def test_an_outside_next_url_is_not_followed(member_client, catalog, refresh_calls):
    response = member_client.post(
        "/movies/5/rating/", {"stars": "3", "next": "https://evil.example/"}
    )

    assert response.url == "/movies/5/"


def test_my_rating_leaves_another_persons_alone(
    member_client, member, other_member, catalog, refresh_calls
):
    member_client.post("/movies/5/rating/", {"stars": "1"})
    Rating.objects.filter(user=member).delete()
    other = Client()
    other.force_login(other_member)
    other.post("/movies/5/rating/", {"stars": "5"})

    member_client.post("/movies/5/rating/remove/")

    assert _stars(other_member) == 5


def test_star_buttons_have_names_a_screen_reader_can_say(member_client, catalog):
    html = member_client.get("/movies/5/").content.decode()

    for n, word in ((1, "star"), (2, "stars"), (5, "stars")):
        assert f'aria-label="Rate {n} {word}"' in html
    assert 'role="group" aria-label="Your rating of ' in html
