"""Hidden and wanted marks in training: each setting moves the marked pairs its own way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from recommender.model.config import ModelConfig
from recommender.scoring import load_scoring_model
from recommender.training.data import Marks, RatingsData
from recommender.training.pipeline import train_and_evaluate

MARKS_PER_USER = 10


@pytest.fixture(scope="module")
def marked(synthetic: RatingsData) -> RatingsData:
    """The first half of the people hide the movies they rated best, whose ratings leave
    the data (a hidden movie is one the model would offer: "Not interested" is said of a
    shown movie); the others want MARKS_PER_USER movies they did not rate, at random."""
    rng = np.random.default_rng(3)
    users, movies, hidden = [], [], []
    half = np.median(synthetic.user_table_ids)
    dropped = np.zeros(len(synthetic), dtype=bool)
    for user in synthetic.user_table_ids:
        mine = np.flatnonzero(synthetic.user_ids == user)
        if user <= half:
            best = mine[np.argsort(-synthetic.stars[mine], kind="stable")[:MARKS_PER_USER]]
            dropped[best] = True
            chosen = synthetic.movie_ids[best]
        else:
            unrated = np.setdiff1d(synthetic.movie_table_ids, synthetic.movie_ids[mine])
            chosen = rng.choice(unrated, MARKS_PER_USER, replace=False)
        users += [user] * len(chosen)
        movies += chosen.tolist()
        hidden += [user <= half] * len(chosen)
    marks = Marks(np.array(users, np.int64), np.array(movies, np.int64), np.array(hidden))
    return dataclasses.replace(synthetic.with_ratings(~dropped), marks=marks)


def _marked_pairs(data: RatingsData, tmp_path: Path, **feedback) -> dict[str, float]:
    """Where the hidden and the wanted movies rank for their person, as served (the share
    of the catalog below them by cosine), and the hidden movies' predicted stars."""
    config = dataclasses.replace(ModelConfig.tiny(), **feedback)
    model = load_scoring_model(train_and_evaluate(data, config, tmp_path).artifact_dir)
    marks, rows = data.marks, np.searchsorted(data.user_table_ids, data.marks.user_ids)
    users = model.encode_users(
        marks.user_ids, data.gender[rows], data.age[rows], data.occupation[rows]
    )
    cosine = (users.vectors * model.movie_encodings(marks.movie_ids).vectors).sum(axis=1)
    catalog = users.vectors @ model.movie_encodings(data.movie_table_ids).vectors.T
    percentile = (catalog < cosine[:, None]).mean(axis=1)
    stars = [
        model.stars(users.take(np.array([i])), marks.movie_ids[i : i + 1])[0]
        for i in np.flatnonzero(marks.hidden)
    ]
    return {
        "hidden rank": percentile[marks.hidden].mean(),
        "wanted rank": percentile[~marks.hidden].mean(),
        "hidden stars": float(np.mean(stars)),
    }


@pytest.fixture(scope="module")
def ignored(marked, tmp_path_factory):
    return _marked_pairs(
        marked,
        tmp_path_factory.mktemp("ignored"),
        hidden_feedback="ignore",
        wanted_feedback="ignore",
    )


def test_hard_negatives_pull_hidden_movies_away(marked, ignored, tmp_path):
    trained = _marked_pairs(
        marked, tmp_path, hidden_feedback="hard_negative", wanted_feedback="ignore"
    )

    assert trained["hidden rank"] < ignored["hidden rank"] - 0.08


def test_pseudo_ratings_lower_the_hidden_movies_stars(marked, ignored, tmp_path):
    trained = _marked_pairs(
        marked, tmp_path, hidden_feedback="pseudo_rating", wanted_feedback="ignore"
    )

    assert trained["hidden stars"] < ignored["hidden stars"] - 0.2


def test_wanted_positives_draw_wanted_movies_near(marked, ignored, tmp_path):
    trained = _marked_pairs(marked, tmp_path, hidden_feedback="ignore", wanted_feedback="positive")

    assert trained["wanted rank"] > ignored["wanted rank"] + 0.05


@pytest.fixture(scope="module")
def ignored_runs(marked, tmp_path_factory):
    """(with the marks, without them) trained with marks ignored."""
    config = dataclasses.replace(
        ModelConfig.tiny(), hidden_feedback="ignore", wanted_feedback="ignore"
    )
    scratch = tmp_path_factory.mktemp("ignored-runs")
    unmarked = dataclasses.replace(marked, marks=Marks.none())
    return (
        train_and_evaluate(marked, config, scratch / "marked"),
        train_and_evaluate(unmarked, config, scratch / "plain"),
    )


def test_ignored_marks_change_nothing(ignored_runs):
    with_marks, without = ignored_runs

    assert with_marks.history == [
        dataclasses.replace(e, seconds=w.seconds)
        for e, w in zip(without.history, with_marks.history, strict=True)
    ]


def test_evaluation_leaves_marked_movies_out_of_the_lists(ignored_runs):
    with_marks, without = ignored_runs

    # Same network (previous test), other candidates: the ranking figures move.
    assert with_marks.metrics["model_rmse"] == pytest.approx(without.metrics["model_rmse"])
    assert with_marks.metrics["model_recall@10"] != without.metrics["model_recall@10"]
