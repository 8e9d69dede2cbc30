"""The 404 and 500 pages wear the site's layout and offer a way back; the favicon exists."""

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _has_layout_and_way_back(html: str) -> None:
    assert 'class="brand">movierec</a>' in html  # the site's header
    assert "web/site.css" in html
    assert 'href="/" class="button-link">Go to the home page</a>' in html
    assert 'href="/movies/"' in html


def test_a_missing_page_is_a_404_in_the_sites_layout(member_client):
    response = member_client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert "<code>/no-such-page/</code>" in html
    _has_layout_and_way_back(html)
    assert "Log out" in html  # rendered with the request: the person is still signed in


def test_a_missing_movie_is_the_same_404(client, catalog):
    response = client.get("/movies/99999/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    # Django's server_error renders 500.html with no context processors: no user, no
    # csrf_token, no messages. It must still show the layout, not fail a second time.
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    _has_layout_and_way_back(html)


def test_a_crashing_view_answers_the_500_page(member_client, mocker):
    mocker.patch("movierec_site.web.views.ratings.rating_list", side_effect=RuntimeError("boom"))
    member_client.raise_request_exception = False

    response = member_client.get("/ratings/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    response = client.get("/favicon.ico")

    assert 'rel="icon" href="/static/web/favicon.svg"' in html
    assert finders.find("web/favicon.svg")
    assert (response.status_code, response.url) == (301, "/static/web/favicon.ico")
    assert finders.find("web/favicon.ico")
