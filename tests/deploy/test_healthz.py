"""/healthz (liveness): the process answers, touching no other service."""

import pytest


def test_healthz_answers_without_touching_any_service(client):
    # No `db` fixture: pytest-django fails the test if the view queries the database.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_not_cached(client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
