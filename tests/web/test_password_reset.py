"""Forgot password: Django's reset flow in the site's pages, by email (the test outbox)."""

import re

import pytest
from django.core import mail

from tests.api.helpers import client_for
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a-brand-new-password-31"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "member", email="member@example.com", password=PASSWORD
    )


def _emailed_link(client, email: str) -> str:
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    return LINK.search(message.body).group(1)


def test_the_page_asks_for_an_email_in_the_site_layout(client):
    response = client.get(RESET)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Forgot your password?</h1>" in html
    assert '<label for="id_email"' in html
    assert "web/base.html" in [t.name for t in response.templates]


def test_a_person_resets_their_password_by_the_emailed_link_and_logs_in(client, member):
    link = _emailed_link(client, "MEMBER@example.com")

    # The link redirects to a URL without the token (so it does not leak in Referer).
    form_page = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    assert done.redirect_chain[-1][0] == "/accounts/password/reset/done/"
    assert "Your password is set" in done.content.decode()
    assert client.login(username="member", password=NEW_PASSWORD)
    assert not client.login(username="member", password=PASSWORD)


def test_the_email_names_the_account_and_comes_from_the_site(client, member, settings):
    client.post(RESET, {"email": "member@example.com"})

    (message,) = mail.outbox
    assert message.to == ["member@example.com"]
    assert message.subject == "Reset your movierec password"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "movierec account member" in message.body


def test_a_used_link_does_not_work_twice(client, member):
    link = _emailed_link(client, "member@example.com")
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "This link has expired or was already used." in again.content.decode()


def test_an_unknown_email_sends_nothing_but_looks_the_same(client, member):
    response = client.post(RESET, {"email": "stranger@example.com"})

    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_the_new_password_must_pass_the_validators(client, member):
    link = _emailed_link(client, "member@example.com")
    set_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_resetting_the_password_revokes_the_persons_api_tokens(client, member):
    app = client_for(member)
    assert app.get("/api/v1/me/").status_code == 200
    set_url = client.get(_emailed_link(client, "member@example.com"), follow=True).redirect_chain[
        -1
    ][0]

    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert app.get("/api/v1/me/").status_code == 401
