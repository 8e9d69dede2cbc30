import pytest

from tests.database_fill import catalog_fill
from tests.recommender.conftest import make_synthetic


@pytest.fixture
def synthetic_catalog(db, settings, tmp_path):
    """The synthetic data set in the database, and model artifacts under tmp_path."""
    settings.MODEL_DIR = tmp_path / "models"
    settings.TRAINING_PRESET = "tiny"
    data = make_synthetic()
    return data, catalog_fill(data)
