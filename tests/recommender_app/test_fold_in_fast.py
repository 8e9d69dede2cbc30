"""The numpy fold-in used for serving must match the Paddle one it stands in for."""

import numpy as np
import pytest

from recommender.fold_in_fast import fold_in_fast
from recommender.model.config import ModelConfig
from recommender.training.fold_in import fold_in_user
from recommender.training.inference import load_model
from recommender.training.pipeline import train_and_evaluate
from tests.recommender.synthetic import make_synthetic, movie_theme


@pytest.fixture(scope="module", params=["multitask", "book"])
def model(request, tmp_path_factory):
    result = train_and_evaluate(
        make_synthetic(), ModelConfig.tiny(request.param), tmp_path_factory.mktemp("m")
    )
    return load_model(result.artifact_dir)


def _ratings():
    movies = np.arange(1, 81)
    themes = movie_theme(movies)
    liked, disliked = movies[themes == 0][:6], movies[themes == 1][:6]
    stars = np.r_[np.full(6, 5.0), np.full(6, 1.0)].astype(np.float32)
    return np.r_[liked, disliked], stars


def test_it_matches_the_paddle_fold_in(model):
    movie_ids, stars = _ratings()

    paddle_version = fold_in_user(model, movie_ids, stars, 1, 25, 4)
    numpy_version = fold_in_fast(model, movie_ids, stars, 1, 25, 4)

    cosine = float(paddle_version.vectors[0] @ numpy_version.vectors[0])
    assert cosine > 0.999
    np.testing.assert_allclose(numpy_version.biases, paddle_version.biases, atol=1e-3)


def test_no_ratings_gives_the_demographics_only_vector(model):
    empty = np.array([], dtype=np.int64)

    folded = fold_in_fast(model, empty, np.array([], np.float32), 0, 35, 7)
    tower = model.encode_users(np.array([-1]), np.array([0]), np.array([35]), np.array([7]))

    np.testing.assert_allclose(folded.vectors, tower.vectors, atol=1e-5)
