"""The cached home page and picks fragment: per person and list state, never another
session's CSRF token, and never stale after a rating, a profile change or a model
activation."""

import re

import pytest
from django.test import Client

from catalog.models import Profile
from recommender.models import ModelVersion
from recommender.services.feedback import rating_submit
from tests.training import model_version_row
from tests.web.helpers import card_movie_ids, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(newcomer, trained, django_capture_on_commit_callbacks, refresh_calls):
    with django_capture_on_commit_callbacks(execute=True):
        for movie_id in range(1, 11):
            rating_submit(user=newcomer, movie_id=movie_id, stars=5)
    return newcomer


def _session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _picks(client) -> list[int]:
    return card_movie_ids(section(client.get("/").content.decode(), "picks-heading"))


def test_a_second_session_rates_with_its_own_token(reader):
    _session(reader).get("/")  # renders and caches the fragment in another session
    second = _session(reader)
    html = second.get("/").content.decode()
    picks = section(html, "picks-heading")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', picks)[1]
    movie_id = card_movie_ids(picks)[0]

    response = second.post(
        f"/movies/{movie_id}/rating/", {"stars": "4", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302  # saved (a foreign token would answer 403)


def test_a_rating_changes_the_picks_on_the_next_view(
    reader, django_capture_on_commit_callbacks, refresh_calls
):
    client = _session(reader)
    first = _picks(client)
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(user=reader, movie_id=first[0], stars=1)

    assert first[0] not in _picks(client)


def test_a_profile_change_changes_the_picks_on_the_next_view(reader):
    client = _session(reader)
    before = client.get("/").content
    profile = Profile.objects.get(user=reader)
    profile.gender, profile.age = ("F" if profile.gender == "M" else "M"), 56
    profile.save()

    assert client.get("/").content != before


def test_a_model_activation_changes_the_page_on_the_next_view(reader):
    client = _session(reader)
    assert "For now these are popular picks" not in client.get("/").content.decode()
    # What activation leaves in PostgreSQL; this version has no artifact, so the picks
    # fall back to popular ones, which shows.
    ModelVersion.objects.filter(is_active=True).update(is_active=False)
    model_version_row(is_active=True)

    assert "For now these are popular picks" in client.get("/").content.decode()


def test_a_staff_grant_shows_on_the_next_view(reader):
    client = _session(reader)
    assert 'href="/staff/training/"' not in client.get("/").content.decode()
    reader.is_staff = True
    reader.save(update_fields=["is_staff"])

    assert 'href="/staff/training/"' in client.get("/").content.decode()


def test_a_plain_rating_shows_its_message_once_over_the_cached_page(reader):
    client = _session(reader)
    html = client.get("/").content.decode()  # cached from here
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    movie_id = card_movie_ids(section(html, "picks-heading"))[0]

    response = client.post(
        f"/movies/{movie_id}/rating/",
        {"stars": "2", "next": "/", "csrfmiddlewaretoken": token},
        follow=True,
    )

    shown = response.content.decode()
    assert 'class="message message-success"' in shown
    assert movie_id not in card_movie_ids(section(shown, "picks-heading"))
    assert 'class="message message-success"' not in client.get("/").content.decode()
