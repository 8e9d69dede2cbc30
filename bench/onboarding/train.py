"""Train the model the onboarding measurement serves: ml-100k without 10% of its people.

  .venv/bin/python -m bench.onboarding.train --data /tmp/ml/ml-100k --out /tmp/onboarding
Writes OUT/model (the artifact) and OUT/held_out.npy (the people it never saw).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from recommender.model.config import ModelConfig
from recommender.training.pipeline import train_and_evaluate

from ..train.movielens import load_ml1m

HELD_OUT_FRACTION, SEED = 0.1, 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    # load_ml1m reads every rating of any MovieLens layout (ml-100k's u.data here).
    data = load_ml1m(args.data)
    people = np.unique(data.user_ids)
    rng = np.random.default_rng(SEED)
    held_out = np.sort(rng.choice(people, round(len(people) * HELD_OUT_FRACTION), replace=False))
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "held_out.npy", held_out)
    kept = data.with_ratings(~np.isin(data.user_ids, held_out))
    result = train_and_evaluate(kept, ModelConfig(), args.out / "model")
    print(f"held out {len(held_out)} people; model in {result.artifact_dir}")


if __name__ == "__main__":
    main()
