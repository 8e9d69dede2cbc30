"""Session fixtures: the synthetic data set and a tiny model trained (and reloaded) once."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.model.config import ModelConfig
from recommender.training.data import RatingsData
from recommender.training.inference import TrainedModel, load_model
from recommender.training.pipeline import TrainResult, train_and_evaluate
from tests.recommender.synthetic import make_synthetic

__all__ = ["make_synthetic"]  # tests/conftest.py imports it from here


@pytest.fixture(scope="session")
def synthetic() -> RatingsData:
    return make_synthetic()


@pytest.fixture(scope="session")
def trained(synthetic: RatingsData, tmp_path_factory: pytest.TempPathFactory) -> TrainResult:
    return train_and_evaluate(synthetic, ModelConfig.tiny(), tmp_path_factory.mktemp("artifact"))


@pytest.fixture(scope="session")
def loaded(trained: TrainResult) -> TrainedModel:
    return load_model(Path(trained.artifact_dir))
