import json

import numpy as np
import paddle
import pytest

from recommender.model.config import ModelConfig
from recommender.scoring import Encoded
from recommender.training.data import random_split
from recommender.training.evaluation import rating_metrics
from recommender.training.inputs import movie_features, user_features


def test_artifact_is_self_describing(train_result):
    directory = train_result.artifact_dir
    config = ModelConfig.from_dict(json.loads((directory / "config.json").read_text()))
    assert config == ModelConfig.tiny()
    assert json.loads((directory / "metrics.json").read_text())["metrics"] == train_result.metrics
    snapshot = json.loads((directory / "data_snapshot.json").read_text())
    assert snapshot["ratings"] == 60 * 40
    assert snapshot["max_timestamp"] > 0


def _personalized(model, data, user_ids, known):
    """Serving's path for each person: tower vector, then their neighbourhood terms from the
    ratings they made in `known`."""
    rows = np.searchsorted(data.user_table_ids, user_ids)
    users = model.encode_users(user_ids, data.gender[rows], data.age[rows], data.occupation[rows])
    rated = [known.movie_ids[known.user_ids == user] for user in user_ids]
    stars = [known.stars[known.user_ids == user] for user in user_ids]
    return model.personalize(users, rated, stars)


def test_reloaded_model_reproduces_the_held_out_metrics(
    synthetic, evaluated_result, evaluated_model
):
    """Serving, one person at a time with the saved sparse rows, gives the stars and the
    ranking evaluation measured in one batch."""
    config = evaluated_model.config
    known, test = random_split(synthetic, config.test_fraction, config.seed)
    people = np.unique(test.user_ids)
    users = _personalized(evaluated_model, synthetic, people, known)
    rows = np.searchsorted(people, test.user_ids)
    stars = evaluated_model.stars(
        Encoded(users.vectors[rows], users.biases[rows], None, users.correction[rows]),
        test.movie_ids[:, None],
    )[:, 0]
    metrics = evaluated_result.metrics
    assert rating_metrics(stars, test.stars)["rmse"] == pytest.approx(
        metrics["model_rmse"], abs=1e-5
    )
    liked = np.unique(test.user_ids[test.stars >= 4])
    top = evaluated_model.recommend(
        _personalized(evaluated_model, synthetic, liked, known),
        [known.movie_ids[known.user_ids == user] for user in liked],
        k=10,
    )
    hits = [
        len(set(top[i]) & set(test.movie_ids[(test.user_ids == user) & (test.stars >= 4)]))
        for i, user in enumerate(liked)
    ]
    relevant = [((test.user_ids == user) & (test.stars >= 4)).sum() for user in liked]
    recall = np.mean(np.array(hits) / np.array(relevant))
    assert recall == pytest.approx(metrics["model_recall@10"], abs=1e-6)


def test_the_evaluated_model_uses_its_neighbourhood(evaluated_model, evaluated_result):
    description = json.loads((evaluated_result.artifact_dir / "model.json").read_text())
    assert description["neighbourhood"]["file"] == "neighbourhood.npz"
    assert evaluated_model.neighbourhood is not None
    assert (
        evaluated_model.policy.cooccurrence_weight > 0
        or evaluated_model.neighbourhood.residual_weight > 0
    ), "on the synthetic data the validation split picks at least one term"


def test_the_served_model_is_refitted_on_every_rating(
    synthetic, train_result, evaluated_result, scoring_model, evaluated_model
):
    served = json.loads((train_result.artifact_dir / "metrics.json").read_text())["served"]
    assert "refitted on all 2,400 ratings" in served["served"]
    assert len(served["refit_losses"]) == ModelConfig.tiny().refit_epochs
    counts = json.loads((train_result.artifact_dir / "catalog.json").read_text())["rating_counts"]
    assert sum(counts) == len(synthetic)
    # Same evaluation (the refit comes after it), different served weights.
    assert train_result.metrics == evaluated_result.metrics
    _, vectors = scoring_model.movie_vectors()
    assert not np.allclose(vectors, evaluated_model.movie_vectors()[1])


def _run_exported(artifact_dir, tower: str, inputs: tuple[np.ndarray, ...]):
    exported = paddle.jit.load(str(artifact_dir / "export" / tower))
    vectors, biases = exported(*[paddle.to_tensor(a) for a in inputs])
    return vectors.numpy(), biases.numpy()


def test_exported_user_tower_matches_the_loaded_model(train_result, scoring_model, synthetic):
    demographics = (synthetic.gender[:5], synthetic.age[:5], synthetic.occupation[:5])
    ids = np.array([1, 2, 3, 4, 999_999])  # the last is unknown: index 0
    inputs = user_features(scoring_model.vocab, ids, *demographics).take(np.arange(5))
    vectors, biases = _run_exported(train_result.artifact_dir, "user_tower", inputs)
    expected = scoring_model.encode_users(ids, *demographics)
    np.testing.assert_allclose(vectors, expected.vectors, atol=1e-6)
    np.testing.assert_allclose(biases, expected.biases, atol=1e-6)


def test_exported_movie_tower_matches_the_loaded_model(train_result, scoring_model, synthetic):
    config = scoring_model.config
    ids, titles, genres = synthetic.movie_table_ids, synthetic.titles, synthetic.genres
    inputs = movie_features(scoring_model.vocab, config, ids, titles, genres).take(
        np.arange(len(ids))
    )
    vectors, biases = _run_exported(train_result.artifact_dir, "movie_tower", inputs)
    expected = scoring_model.movie_encodings(ids)
    np.testing.assert_allclose(vectors, expected.vectors, atol=1e-6)
    np.testing.assert_allclose(biases, expected.biases, atol=1e-6)


def test_movie_vectors_are_unit_length_for_the_whole_catalog(scoring_model, synthetic):
    ids, vectors = scoring_model.movie_vectors()
    np.testing.assert_array_equal(ids, np.sort(synthetic.movie_table_ids))
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_unknown_users_and_movies_still_get_stars(scoring_model):
    stars = scoring_model.predict(
        [999_999, 1], [1, 999_999], gender=[0, 1], age=[25, 1], occupation=[4, 0]
    )
    assert np.all((stars >= 1) & (stars <= 5))
    with pytest.raises(ValueError, match="pass their demographics"):
        scoring_model.predict([999_999], [1])


def test_rerank_of_vector_db_candidates_matches_exact_recommend(scoring_model, synthetic):
    rated = synthetic.movie_ids[synthetic.user_ids == 1]
    stars = synthetic.stars[synthetic.user_ids == 1]
    user = scoring_model.personalize(
        scoring_model.encode_users([1], [0], [25], [4]), [rated], [stars]
    )
    assert user.affinity is not None
    assert np.any(user.affinity)
    ids, vectors = scoring_model.movie_vectors()
    cosines = vectors @ user.vectors[0]
    cosines[np.isin(ids, rated)] = -np.inf
    top = np.argsort(-cosines)[: scoring_model.policy.overfetch]  # what the vector DB returns
    from_candidates = scoring_model.rerank(ids[top][None], cosines[top][None], k=10, users=user)
    assert from_candidates.tolist() == scoring_model.recommend(user, [rated], k=10).tolist()
