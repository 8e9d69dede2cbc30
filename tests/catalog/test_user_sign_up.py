import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection

from catalog.services import accounts
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


def test_the_database_refuses_a_username_that_differs_only_in_case(django_user_model):
    django_user_model.objects.create_user("Ada")

    with pytest.raises(IntegrityError, match="auth_user_username_lower_uniq"):
        django_user_model.objects.create_user("ada")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sign_ups_as_ada_and_ada_cannot_both_succeed(mocker):
    # Both sign-ups pass the service's own "is it taken?" check before either inserts (the
    # password check comes between the two), so only the database can refuse the second.
    both_checked = threading.Barrier(2, timeout=10)
    check_password = accounts.validate_password

    def after_both_checks(*args, **kwargs):
        both_checked.wait()
        return check_password(*args, **kwargs)

    mocker.patch.object(accounts, "validate_password", side_effect=after_both_checks)
    outcomes: dict[str, str] = {}

    def sign_up(username: str) -> None:
        try:
            user_sign_up(username=username, password=PASSWORD)
            outcomes[username] = "signed up"
        except ApplicationError as error:
            outcomes[username] = error.message
        except Exception as error:  # reported by the assert below
            outcomes[username] = repr(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=sign_up, args=(name,)) for name in ("Ada", "ada")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["That username is taken.", "signed up"], outcomes
    assert get_user_model().objects.filter(username__iexact="ada").count() == 1
