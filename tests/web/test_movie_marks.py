""" "Not interested" and "Want to watch" on the web: htmx swaps the buttons in place, a plain
POST comes back to the page, and the picks follow on the next view."""

import pytest

from catalog.models import HiddenMovie, WatchlistEntry
from recommender.serving import recommendation_list

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _hidden(user) -> set[int]:
    return set(HiddenMovie.objects.filter(user=user).values_list("movie_id", flat=True))


def _listed(user) -> set[int]:
    return set(WatchlistEntry.objects.filter(user=user).values_list("movie_id", flat=True))


def test_without_javascript_hiding_posts_and_comes_back(
    member_client, member, catalog, refresh_calls
):
    response = member_client.post("/movies/5/marks/", {"hidden": "1", "next": "/movies/?page=2"})

    assert (response.status_code, response.url) == (302, "/movies/?page=2")
    assert _hidden(member) == {5}
    assert "hidden from your picks." in member_client.get(response.url).content.decode()


def test_with_htmx_the_buttons_come_back_marked_and_tell_the_page(
    member_client, member, catalog, refresh_calls
):
    response = member_client.post("/movies/5/marks/", {"watchlist": "1"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "marked"
    assert html.lstrip().startswith('<form class="marks-widget is-listed" id="marks-5"')
    assert 'id="marks-5-watch"' in html
    assert 'aria-pressed="true"' in html
    assert ": Added to your watchlist.</div>" in html.split("</form>")[1]
    assert _listed(member) == {5}


def test_not_interested_turns_into_undo_and_back(member_client, member, catalog, refresh_calls):
    hidden = member_client.post("/movies/5/marks/", {"hidden": "1"}, **HTMX).content.decode()
    undone = member_client.post("/movies/5/marks/", {"hidden": "0"}, **HTMX).content.decode()

    assert 'name="hidden" value="0" id="marks-5-hide"' in hidden
    assert ">Undo</button>" in hidden
    assert 'name="hidden" value="1" id="marks-5-hide"' in undone
    assert ">Not interested</button>" in undone
    assert _hidden(member) == set()


def test_a_choice_without_a_button_is_refused(member_client, member, catalog):
    response = member_client.post("/movies/5/marks/", {"hidden": "maybe"}, **HTMX)

    assert response.status_code == 400
    assert "Choose Not interested or Want to watch." in response.content.decode()


def test_an_unknown_movie_is_a_404(member_client, catalog):
    assert member_client.post("/movies/99999/marks/", {"hidden": "1"}).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, catalog):
    response = client.post("/movies/5/marks/", {"hidden": "1"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not HiddenMovie.objects.exists()


def test_it_needs_a_post(member_client, catalog):
    assert member_client.get("/movies/5/marks/").status_code == 405


def test_a_hidden_pick_leaves_the_home_page_on_the_next_view(
    member_client, member, trained, refresh_calls
):
    first = recommendation_list(user=member, limit=12).items[0].movie
    assert f'id="marks-{first.pk}"' in member_client.get("/").content.decode()

    member_client.post(f"/movies/{first.pk}/marks/", {"hidden": "1"}, **HTMX)

    assert f'id="marks-{first.pk}"' not in member_client.get("/").content.decode()


def test_the_movie_page_shows_my_marks(member_client, member, catalog, refresh_calls):
    member_client.post("/movies/5/marks/", {"watchlist": "1"})

    html = member_client.get("/movies/5/").content.decode()

    assert '<form class="marks-widget is-listed" id="marks-5"' in html


def test_the_similar_row_leaves_out_what_i_hid_but_the_movie_stays_findable(
    member_client, member, trained, refresh_calls
):
    before = member_client.get("/movies/1/").content.decode()
    similar = before.split('id="similar-heading"')[1]
    first = int(similar.split('id="marks-')[1].split('"')[0])

    member_client.post(f"/movies/{first}/marks/", {"hidden": "1"})

    after = member_client.get("/movies/1/").content.decode().split('id="similar-heading"')[1]
    assert f'id="marks-{first}"' not in after
    own_page = member_client.get(f"/movies/{first}/").content.decode()
    assert f'<form class="marks-widget is-hidden" id="marks-{first}"' in own_page
