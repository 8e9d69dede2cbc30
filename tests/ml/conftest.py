"""Session fixtures: the synthetic data set and a tiny model trained (and reloaded) once."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.model.config import ModelConfig
from recommender.scoring import ScoringModel, load_scoring_model
from recommender.training.artifacts import load_bundle
from recommender.training.data import RatingsData
from recommender.training.pipeline import TrainResult, train_and_evaluate
from tests.ml.synthetic import make_synthetic

__all__ = ["make_synthetic"]  # tests/conftest.py imports it from here


@pytest.fixture(scope="session")
def synthetic() -> RatingsData:
    return make_synthetic()


@pytest.fixture(scope="session")
def trained(synthetic: RatingsData, tmp_path_factory: pytest.TempPathFactory) -> TrainResult:
    return train_and_evaluate(synthetic, ModelConfig.tiny(), tmp_path_factory.mktemp("artifact"))


@pytest.fixture(scope="session")
def loaded(trained: TrainResult) -> ScoringModel:
    """The trained model as serving loads it (numpy, no Paddle)."""
    return load_scoring_model(Path(trained.artifact_dir))


@pytest.fixture(scope="session")
def paddle_net(trained: TrainResult):
    """The same trained network in Paddle: the reference the numpy serving must match."""
    return load_bundle(Path(trained.artifact_dir)).net
