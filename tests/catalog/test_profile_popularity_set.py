"""profile_popularity_set: the popularity dial is saved per person, -2..2 only."""

import pytest

from catalog.models import Profile
from catalog.services.steering import profile_popularity_set
from core.exceptions import ApplicationError
from tests.people import person_create


@pytest.fixture
def ada(django_user_model):
    return person_create(django_user_model, "ada", age=25)


@pytest.fixture
def bob(django_user_model):
    return person_create(django_user_model, "bob", age=35)


def _dial(user) -> int:
    return Profile.objects.get(user=user).popularity_dial


def test_it_saves_the_dial_for_that_person_alone(ada, bob):
    assert profile_popularity_set(user=ada, popularity=-2) is True
    assert profile_popularity_set(user=ada, popularity=-2) is False

    assert (_dial(ada), _dial(bob)) == (-2, 0)


@pytest.mark.parametrize("value", [3, -3, None, True, "1"])
def test_other_values_are_refused(ada, value):
    with pytest.raises(ApplicationError):
        profile_popularity_set(user=ada, popularity=value)
    assert _dial(ada) == 0


def test_someone_without_a_profile_gets_one(django_user_model):
    staff = django_user_model.objects.create_user("carol", password="pw-for-tests-only")

    assert profile_popularity_set(user=staff, popularity=1) is True
    assert profile_popularity_set(user=staff, popularity=0) is True

    assert _dial(staff) == 0
