import numpy as np
import paddle

from recommender.scoring.fold_in import FoldInProblem, fold_in_user
from recommender.training.encoding import to_tensors
from tests.ml.synthetic import movie_theme

SCI_FI, ROMANCE = 0, 1
DEMOGRAPHICS = {"gender": 0, "age": 25, "occupation": 4}


def _themes_in_top_10(scoring_model, user, rated) -> np.ndarray:
    top = scoring_model.recommend(user, [rated], k=10)[0]
    return np.bincount(movie_theme(top), minlength=4)


def test_fold_in_shifts_the_list_towards_liked_movies(scoring_model):
    movie_ids = np.arange(1, 81)
    rated = np.concatenate([movie_ids[movie_theme(movie_ids) == t][:5] for t in (SCI_FI, ROMANCE)])
    stars = np.array([5.0] * 5 + [1.0] * 5)
    user = fold_in_user(scoring_model, rated, stars, **DEMOGRAPHICS)
    cold = fold_in_user(scoring_model, rated[:0], stars[:0], **DEMOGRAPHICS)
    folded, before = (
        _themes_in_top_10(scoring_model, user, rated),
        _themes_in_top_10(scoring_model, cold, rated),
    )
    assert folded[SCI_FI] > before[SCI_FI]
    assert folded[SCI_FI] > folded[ROMANCE]
    predicted = scoring_model.stars(user, rated[None])[0]
    assert predicted[:5].mean() > predicted[5:].mean()


def test_fold_in_without_ratings_is_the_demographics_only_user(scoring_model):
    cold = fold_in_user(scoring_model, np.array([], np.int64), np.array([]), **DEMOGRAPHICS)
    unknown = scoring_model.encode_users([999_999], [0], [25], [4])
    np.testing.assert_allclose(cold.vectors, unknown.vectors, atol=1e-6)


def _problem(scoring_model) -> FoldInProblem:
    movie_ids, stars = np.array([1, 2, 5, 6, 999_999]), np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    return FoldInProblem.build(scoring_model, movie_ids, stars, **DEMOGRAPHICS)


def test_closed_form_matches_the_network(scoring_model, paddle_net):
    problem = _problem(scoring_model)
    embedding = np.random.default_rng(0).normal(0, 0.3, problem.affine_p.shape[0])
    demographics = [paddle.to_tensor(a) for a in (np.array([1]), np.array([3]), np.array([5]))]
    with paddle.no_grad():
        vector, bias = paddle_net.user_tower_from_id_embedding(
            paddle.to_tensor(embedding[None].astype(np.float32)), *demographics
        )  # gender F → 1, age 25 → 3, occupation 4 → 5
        unit = vector / paddle.linalg.norm(vector)
        rated = scoring_model.movie_encodings(np.array([1, 2, 5, 6, 999_999]))
        stars = paddle_net.stars(unit, *to_tensors(rated.vectors, bias.numpy(), rated.biases))
    encoded = problem.encode(embedding)
    np.testing.assert_allclose(encoded.vectors, unit.numpy(), atol=1e-5)
    np.testing.assert_allclose(encoded.biases, bias.numpy(), atol=1e-5)
    closed_form = problem.predicted_stars(encoded.vectors[0], float(encoded.biases[0]))
    np.testing.assert_allclose(closed_form, stars.numpy(), atol=1e-4)


def test_gradient_matches_finite_differences(scoring_model):
    problem = _problem(scoring_model)
    embedding = np.random.default_rng(1).normal(0, 0.3, problem.affine_p.shape[0])
    step = 1e-6
    numeric = [
        (problem.loss(embedding + step * e) - problem.loss(embedding - step * e)) / (2 * step)
        for e in np.eye(len(embedding))
    ]
    np.testing.assert_allclose(problem.gradient(embedding), numeric, rtol=1e-4, atol=1e-6)
