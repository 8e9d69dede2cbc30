import pytest
from django.core.cache import cache

from catalog.models import Profile
from recommender.vector_index import milvus_lite_server
from tests.database_fill import catalog_fill
from tests.ml.synthetic import make_synthetic
from tests.training import train_now
from tests.vector_index.helpers import server_wipe


@pytest.fixture(scope="session")
def milvus_server_uri(tmp_path_factory):
    """One milvus-lite server for the session, on a free port in a tmp dir: the tests
    neither need nor disturb a server on the default port."""
    with milvus_lite_server(data_dir=tmp_path_factory.mktemp("milvus") / "data") as uri:
        yield uri


@pytest.fixture
def milvus_uri(milvus_server_uri, settings):
    """The session server, emptied of earlier tests' aliases and collections."""
    server_wipe(uri=milvus_server_uri)
    settings.MILVUS_URI = milvus_server_uri
    return milvus_server_uri


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache is a real Redis database shared by the whole run: no test sees another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def synthetic_catalog(db, settings, tmp_path, milvus_uri):
    """The synthetic data set in the database, artifacts under tmp_path, Milvus empty."""
    settings.MODEL_DIR = tmp_path / "models"
    settings.TRAINING_PRESET = "tiny"
    data = make_synthetic()
    return data, catalog_fill(data)


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
    return mocker.patch("recommender.tasks.recommendation_refresh_task.delay")


@pytest.fixture
def train_calls(mocker):
    """Record queued trainings instead of sending them to the broker."""
    return mocker.patch("recommender.tasks.training_run_execute_task.delay")


@pytest.fixture
def activation_calls(mocker):
    """Record queued activations instead of sending them to the broker."""
    return mocker.patch("recommender.tasks.model_version_activation_execute_task.delay")
