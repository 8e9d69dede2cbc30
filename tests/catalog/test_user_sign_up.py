import pytest
from django.contrib.auth import get_user_model

from catalog.services.accounts import user_sign_up
from core.exceptions import ApplicationError
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


def test_demographics_left_out_are_stored_as_unknown():
    user = user_sign_up(username="quiet", password=PASSWORD)

    assert (user.profile.gender, user.profile.age, user.profile.occupation) == ("", None, None)
    assert user.email == ""


def test_an_email_longer_than_the_user_table_takes_is_refused():
    with pytest.raises(ApplicationError) as refused:
        user_sign_up(username="long", password=PASSWORD, email=f"{'a' * 250}@example.com")

    assert refused.value.extra == {"field": "email"}
    assert not get_user_model().objects.exists()
