"""Hidden and watchlisted movies as training signals, simulated on MovieLens.

  .venv/bin/python -m bench.marks.run --data /tmp/ml/ml-1m-u2999

MovieLens has no "Not interested" or watchlist, so some ratings become marks: of the
ratings outside the test split, HIDDEN_SHARE of those of 1-2 stars become hidden marks (a
person says "not for me" without rating) and WANTED_SHARE of those of 4-5 stars become
watchlist marks (the person wants to see it; the stars are not known). Every variant trains
on the same ratings and marks and is tested on the same held-out ratings; marked movies are
left out of every list, as the site does. Variants differ only in how training uses marks
(ModelConfig.hidden_feedback, wanted_feedback). Results: a table, and JSON under --out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path

import numpy as np

from recommender.model.config import ModelConfig
from recommender.model.cpu import configure_cpu
from recommender.training.data import Marks, RatingsData, held_out_mask
from recommender.training.pipeline import train_and_evaluate

from ..train.movielens import load_ml1m

HIDDEN_SHARE, WANTED_SHARE, SEED = 0.5, 0.1, 0
METRICS = ("rmse", "recall@10", "capped_recall@10", "ndcg@10")
VARIANTS = {
    "marks ignored": {"hidden_feedback": "ignore", "wanted_feedback": "ignore"},
    "hidden as 1-star ratings": {"hidden_feedback": "pseudo_rating", "wanted_feedback": "ignore"},
    "hidden as hard negatives": {"hidden_feedback": "hard_negative", "wanted_feedback": "ignore"},
    "watchlist as positives": {"hidden_feedback": "ignore", "wanted_feedback": "positive"},
    "hidden as 1-star ratings, watchlist as positives": {
        "hidden_feedback": "pseudo_rating",
        "wanted_feedback": "positive",
    },
    "hidden as hard negatives, watchlist as positives": {
        "hidden_feedback": "hard_negative",
        "wanted_feedback": "positive",
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="an ml-1m-style directory")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", type=Path, default=Path("bench/out/marks"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="the config's: split and weights")
    args = parser.parse_args()
    configure_cpu(args.threads)
    config = ModelConfig(seed=args.seed)
    data, held_out = marked_data(load_ml1m(args.data), config)
    print(
        f"{len(data):,} ratings ({held_out.sum():,} held out), "
        f"{data.marks.hidden.sum():,} hidden and {(~data.marks.hidden).sum():,} wanted marks"
    )
    rows = []
    for name in args.variants:
        variant = dataclasses.replace(config, **VARIANTS[name])
        with tempfile.TemporaryDirectory() as scratch:
            result = train_and_evaluate(data, variant, scratch, held_out=held_out)
        rows.append({"variant": name, **{m: result.metrics[f"model_{m}"] for m in METRICS}})
        print(_row(rows[-1]), flush=True)
    print("| variant | " + " | ".join(METRICS) + " |\n|---|" + "---|" * len(METRICS))
    print("\n".join(_row(row) for row in rows))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"results-seed{args.seed}.json").write_text(json.dumps(rows, indent=1))


def marked_data(data: RatingsData, config: ModelConfig) -> tuple[RatingsData, np.ndarray]:
    """(data with some ratings turned into marks, held-out mask over its ratings). The test
    split is drawn first, as the pipeline would, so no test rating becomes a mark."""
    test = held_out_mask(len(data), config.test_fraction, config.seed)
    rng = np.random.default_rng(SEED)
    hidden = ~test & (data.stars <= 2) & (rng.random(len(data)) < HIDDEN_SHARE)
    wanted = ~test & (data.stars >= 4) & (rng.random(len(data)) < WANTED_SHARE)
    marked = hidden | wanted
    marks = Marks(data.user_ids[marked], data.movie_ids[marked], hidden[marked])
    kept = dataclasses.replace(data.with_ratings(~marked), marks=marks)
    return kept, test[~marked]


def _row(row: dict) -> str:
    return f"| {row['variant']} | " + " | ".join(f"{row[m]:.4f}" for m in METRICS) + " |"


if __name__ == "__main__":
    main()
