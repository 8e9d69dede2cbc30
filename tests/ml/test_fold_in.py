import copy
import dataclasses

import numpy as np
import paddle
import pytest

from recommender.scoring.fold_in import FoldInProblem, Marked, fold_in_user
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
    _assert_gradient_matches_finite_differences(_problem(scoring_model), seed=1)


def _assert_gradient_matches_finite_differences(problem: FoldInProblem, seed: int) -> None:
    embedding = np.random.default_rng(seed).normal(0, 0.3, problem.affine_p.shape[0])
    step = 1e-6
    numeric = [
        (problem.loss(embedding + step * e) - problem.loss(embedding - step * e)) / (2 * step)
        for e in np.eye(len(embedding))
    ]
    np.testing.assert_allclose(problem.gradient(embedding), numeric, rtol=1e-4, atol=1e-6)


def _with_feedback(scoring_model, **feedback):
    """The same model as if trained with other mark settings (fold-in reads its config)."""
    model = copy.copy(scoring_model)
    model.config = dataclasses.replace(scoring_model.config, **feedback)
    return model


def _theme(theme: int, count: int = 5) -> np.ndarray:
    movie_ids = np.arange(1, 81)
    return movie_ids[movie_theme(movie_ids) == theme][:count]


@pytest.mark.parametrize("hidden_feedback", ["hard_negative", "pseudo_rating"])
def test_gradient_with_marks_matches_finite_differences(scoring_model, hidden_feedback):
    model = _with_feedback(scoring_model, hidden_feedback=hidden_feedback)
    marks = Marked(wanted=_theme(SCI_FI, 3), hidden=_theme(ROMANCE, 3))
    problem = FoldInProblem.build(
        model, np.array([2, 7]), np.array([4.0, 2.0]), **DEMOGRAPHICS, marks=marks
    )
    _assert_gradient_matches_finite_differences(problem, seed=2)


def test_a_watchlist_alone_draws_the_list_towards_it(scoring_model):
    none = np.array([], np.int64)
    wanted = _theme(SCI_FI)
    cold = fold_in_user(scoring_model, none, none, **DEMOGRAPHICS)
    user = fold_in_user(scoring_model, none, none, **DEMOGRAPHICS, marks=Marked(wanted=wanted))

    after, before = (
        _themes_in_top_10(scoring_model, user, wanted),
        _themes_in_top_10(scoring_model, cold, wanted),
    )
    assert after[SCI_FI] > before[SCI_FI]


def test_a_model_that_ignores_the_watchlist_folds_in_without_it(scoring_model):
    model = _with_feedback(scoring_model, wanted_feedback="ignore", hidden_feedback="ignore")
    none = np.array([], np.int64)
    marks = Marked(wanted=_theme(SCI_FI), hidden=_theme(ROMANCE))

    user = fold_in_user(model, none, none, **DEMOGRAPHICS, marks=marks)

    cold = fold_in_user(model, none, none, **DEMOGRAPHICS)
    np.testing.assert_array_equal(user.vectors, cold.vectors)


@pytest.mark.parametrize("hidden_feedback", ["hard_negative", "pseudo_rating"])
def test_hidden_movies_move_away_from_the_person(scoring_model, hidden_feedback):
    model = _with_feedback(scoring_model, hidden_feedback=hidden_feedback)
    rated, stars = _theme(SCI_FI), np.full(5, 4.0)
    hidden = _theme(ROMANCE)
    plain = fold_in_user(model, rated, stars, **DEMOGRAPHICS)
    user = fold_in_user(model, rated, stars, **DEMOGRAPHICS, marks=Marked(hidden=hidden))

    def cosine(encoded):
        return (encoded.vectors @ model.movie_encodings(hidden).vectors.T).mean()

    assert cosine(user) < cosine(plain) - 0.03
