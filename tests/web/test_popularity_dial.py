"""The popularity dial on the home page: a labelled radio group inside the picks; htmx
swaps the picks in place, a plain POST comes back home; it moves that person alone."""

import pytest

from catalog.models import Profile

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _dial(user) -> int:
    return Profile.objects.get(user=user).popularity_dial


def test_the_home_page_shows_the_dial_with_the_saved_step_checked(trained, member_client, member):
    Profile.objects.filter(user=member).update(popularity_dial=1)

    html = member_client.get("/").content.decode()

    assert "<legend>Your picks lean toward</legend>" in html
    assert 'id="popularity-1" checked' in html
    for label in ("Hidden gems", "Balanced", "Well known"):
        assert label in html


def test_without_javascript_the_form_posts_and_comes_back_home(
    trained, member_client, member, refresh_calls
):
    response = member_client.post("/home/popularity/", {"popularity": "-2"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _dial(member) == -2
    assert 'id="popularity--2" checked' in member_client.get("/").content.decode()


def test_with_htmx_the_picks_come_back_reranked(
    trained, member_client, member, other_member, refresh_calls
):
    response = member_client.post("/home/popularity/", {"popularity": "2", "hide": ""}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="picks"')
    assert 'id="popularity-2" checked' in html
    assert "Your picks now lean toward: Well known." in html
    assert (_dial(member), _dial(other_member)) == (2, 0)


@pytest.mark.parametrize("value", ["3", "", "x"])
def test_a_bad_value_is_refused(trained, member_client, member, value):
    response = member_client.post("/home/popularity/", {"popularity": value}, **HTMX)

    assert response.status_code == 400
    assert _dial(member) == 0


def test_the_dial_needs_a_signed_in_person(client):
    response = client.post("/home/popularity/", {"popularity": "1"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
