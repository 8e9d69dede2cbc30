import pytest

from catalog.models import Profile
from recommender.services.training import training_run_execute
from recommender.services.training_config import training_config_build
from recommender.services.training_runs import training_run_request


def train_now():
    run = training_run_request(config=training_config_build(), dispatch=False)
    run = training_run_execute(run_id=run.pk, worker="test")
    assert run.status == "succeeded", run.error
    return run.model_version


@pytest.fixture
def trained(synthetic_catalog):
    """The synthetic catalog with an active model version indexed in Milvus."""
    return train_now()


@pytest.fixture
def newcomer(django_user_model):
    """Someone who signed up after training: demographics, no ratings."""
    user = django_user_model.objects.create_user("newcomer", password="pw-for-tests-only")
    Profile.objects.create(user=user, gender="F", age=25, occupation=4)
    return user


@pytest.fixture
def refresh_calls(mocker):
    """Record the feedback refreshes instead of sending them to the broker (the worker
    tests send them for real)."""
    return mocker.patch("recommender.tasks.user_refresh.delay")
