import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from catalog.models import Profile
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_UP = {
    "username": "newbie",
    "password": "plenty-long-and-unusual-9",
    "gender": "F",
    "age": "25",
    "occupation": "4",
    "zip_code": "",
}


def test_the_sign_up_form_has_a_label_for_every_field(client):
    html = client.get("/accounts/signup/").content.decode()

    for field in ("username", "password", "gender", "age", "occupation", "zip_code"):
        assert f'<label for="id_{field}"' in html


def test_signing_up_makes_the_person_logs_them_in_and_starts_onboarding(client):
    response = client.post("/accounts/signup/", SIGN_UP, follow=True)

    user = get_user_model().objects.get(username="newbie")
    assert (user.profile.gender, user.profile.age, user.profile.occupation) == ("F", 25, 4)
    assert response.context["user"] == user
    assert response.redirect_chain == [("/", 302)]


def test_a_taken_username_is_an_error_on_that_field(client, member):
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "MEMBER"})

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["That username is taken."]


def test_django_password_validators_apply(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "password": "12345678"})

    assert response.status_code == 400
    assert "too common" in " ".join(response.context["form"].errors["password"])
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_movielens_usernames_are_reserved(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "movielens-7"})

    assert "reserved" in response.context["form"].errors["username"][0]


def test_an_unknown_age_bracket_is_refused_by_the_form(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "age": "30"})

    assert response.status_code == 400
    assert "age" in response.context["form"].errors


def test_forms_need_the_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/accounts/signup/", SIGN_UP)

    assert response.status_code == 403


def test_logging_in_goes_home(client, member):
    response = client.post("/accounts/login/", {"username": "member", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"


def test_a_wrong_password_is_explained(client, member):
    response = client.post("/accounts/login/", {"username": "member", "password": "nope"})

    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_logging_out_takes_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405

    member_client.post("/accounts/logout/")

    assert member_client.get("/ratings/").status_code == 302


@pytest.mark.parametrize("url", ["/accounts/profile/", "/accounts/password/"])
def test_account_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_a_person_edits_their_demographics(member_client, member):
    data = {"gender": "F", "age": "56", "occupation": "13", "zip_code": "02139"}
    response = member_client.post("/accounts/profile/", data, follow=True)

    profile = Profile.objects.get(user=member)
    assert (profile.gender, profile.age, profile.occupation, profile.zip_code) == (
        "F",
        56,
        13,
        "02139",
    )
    assert "Your profile is saved." in response.content.decode()


def test_the_profile_form_shows_what_is_saved(member_client):
    form = member_client.get("/accounts/profile/").context["form"]

    assert form.initial == {"gender": "M", "age": 35, "occupation": 12, "zip_code": ""}


def test_a_bad_profile_value_is_a_field_error(member_client, member):
    response = member_client.post(
        "/accounts/profile/", {"gender": "X", "age": "35", "occupation": "12"}
    )

    assert response.status_code == 400
    assert "gender" in response.context["form"].errors
    assert Profile.objects.get(user=member).gender == "M"


def test_a_person_changes_their_password(member_client, member):
    new = "another-long-password-77"
    response = member_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


def test_the_old_password_must_be_right(member_client, member):
    new = "another-long-password-77"
    response = member_client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )

    assert "old_password" in response.context["form"].errors
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
