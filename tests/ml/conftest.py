"""Session fixtures: the synthetic data set and a tiny model trained (and reloaded) once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from recommender.model.config import ModelConfig
from recommender.scoring import ScoringModel, load_scoring_model
from recommender.training.artifacts import load_bundle
from recommender.training.data import RatingsData
from recommender.training.pipeline import TrainResult, train_and_evaluate
from tests.ml.synthetic import make_synthetic


@pytest.fixture(scope="session")
def synthetic() -> RatingsData:
    return make_synthetic()


@pytest.fixture(scope="session")
def train_result(synthetic: RatingsData, tmp_path_factory: pytest.TempPathFactory) -> TrainResult:
    """One tiny training run: its artifact directory, metrics, history and timings.

    Not the Django ``trained`` fixture of tests/conftest.py, which is an active ModelVersion.
    """
    return train_and_evaluate(synthetic, ModelConfig.tiny(), tmp_path_factory.mktemp("artifact"))


@pytest.fixture(scope="session")
def evaluated_result(
    synthetic: RatingsData, tmp_path_factory: pytest.TempPathFactory
) -> TrainResult:
    """The same run without the refit on all ratings: its saved model is the evaluated one."""
    config = dataclasses.replace(ModelConfig.tiny(), refit_epochs=0)
    return train_and_evaluate(synthetic, config, tmp_path_factory.mktemp("evaluated"))


@pytest.fixture(scope="session")
def evaluated_model(evaluated_result: TrainResult) -> ScoringModel:
    return load_scoring_model(Path(evaluated_result.artifact_dir))


@pytest.fixture(scope="session")
def scoring_model(train_result: TrainResult) -> ScoringModel:
    """The trained model as serving loads it (numpy, no Paddle)."""
    return load_scoring_model(Path(train_result.artifact_dir))


@pytest.fixture(scope="session")
def paddle_net(train_result: TrainResult):
    """The same trained network in Paddle: the reference the numpy serving must match."""
    return load_bundle(Path(train_result.artifact_dir)).net
