"""What the popularity dial and the diversification trade, on a trained artifact.

Run from the repository root on an artifact trained with `--set refit_epochs=0` (so the
saved model is the evaluated one, fitted without the held-out ratings):
  .venv/bin/python -m bench.train.run --data /tmp/ml/ml-100k --folds 1 \
      --variants multitask --no-peers --artifacts /tmp/dial/art --set refit_epochs=0
  .venv/bin/python -m bench.steering.run --data /tmp/ml/ml-100k --fold 1 \
      --artifact /tmp/dial/art/ml-100k-multitask/u1
The held-out split is the one training made (ml-100k: the official fold; ml-1m: the
config's random split), with the evaluation's protocol: every person with a held-out rating
of 4 or 5 stars gets a top-10 over the movies they did not rate, ranked by the served
model's own `recommend` (exact search + the product's re-rank), folded in from their known
ratings. Prints two tables: one row per dial step, one row per diversity value.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from recommender.model.cpu import configure_cpu
from recommender.model.ranking import POPULARITY_STEPS
from recommender.scoring import ScoringModel, load_scoring_model
from recommender.training.evaluation import TOP_K, ranking_metrics, ranking_protocol
from recommender.training.inputs import RatingRows, table_rows

from ..train.movielens import is_ml100k, load_ml1m, ml100k_fold
from ..train.peers import model_split

DIVERSITIES = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--fold", type=int, default=1, help="ml-100k's official fold")
    parser.add_argument("--artifact", type=Path, required=True)
    parser.add_argument("--diversity", type=float, nargs="+", default=list(DIVERSITIES))
    parser.add_argument(
        "--dial-diversity", type=float, help="diversity for the dial table (default: served)"
    )
    args = parser.parse_args()
    configure_cpu(1)
    if is_ml100k(args.data):
        data, held_out = ml100k_fold(args.data, args.fold)
    else:
        data, held_out = load_ml1m(args.data), None
    model = load_scoring_model(args.artifact)
    split = model_split(data, model.config, held_out)
    bench = _Bench(model, data, split.known, split.test)
    served = model.policy
    dial_policy = served
    if args.dial_diversity is not None:
        dial_policy = dataclasses.replace(served, diversity=args.dial_diversity)
    print(f"{len(bench.people)} people ranked; served policy {served.to_dict()}\n")
    print(f"Popularity dial (diversity {dial_policy.diversity}):\n")
    print(
        "| dial | popularity weight | Recall@10 | capped Recall@10 | coverage "
        "| mean log(1+count) | ILS |"
    )
    print("|---|---|---|---|---|---|---|")
    for step in POPULARITY_STEPS:
        row = bench.measure(dial_policy, step)
        weight = dial_policy.dialled(step).popularity_weight
        print(f"| {step:+d} | {weight:.2f} | {_cells(row)} |")
    print("\nDiversity (dial 0):\n")
    print("| diversity | Recall@10 | capped Recall@10 | coverage | mean log(1+count) | ILS |")
    print("|---|---|---|---|---|---|")
    for diversity in args.diversity:
        row = bench.measure(dataclasses.replace(served, diversity=diversity), 0)
        print(f"| {diversity:.2f} | {_cells(row)} |")


def _cells(row: dict[str, float]) -> str:
    names = ("recall", "capped_recall", "coverage", "log_popularity", "ils")
    return " | ".join(f"{row[name]:.4f}" for name in names)


class _Bench:
    """The evaluated people, encoded and folded in once; `measure` ranks them again."""

    def __init__(self, model: ScoringModel, data, known: RatingRows, test: RatingRows) -> None:
        self.model, self.data = model, data
        movie_count = len(data.movie_table_ids)
        self.people, known_mask, self.relevant = ranking_protocol(known, test, movie_count)
        users = model.encode_users(
            data.user_table_ids[self.people],
            data.gender[self.people],
            data.age[self.people],
            data.occupation[self.people],
        )
        by_person = [known.user_rows == person for person in self.people]
        self.rated = [data.movie_table_ids[known.movie_rows[mine]] for mine in by_person]
        stars = [known.stars[mine] for mine in by_person]
        self.users = model.personalize(users, self.rated, stars)
        counts = np.bincount(known.movie_rows, minlength=movie_count)
        self.log_popularity = np.log1p(counts)
        del known_mask

    def measure(self, policy, step: int) -> dict[str, float]:
        self.model.policy = policy
        top_ids = self.model.recommend(self.users, self.rated, TOP_K, popularity=step)
        top = table_rows(self.data.movie_table_ids, top_ids.ravel()).reshape(top_ids.shape)
        metrics = ranking_metrics(top, self.relevant)
        vectors = self.model.movie_encodings(top_ids).vectors  # [E, k, D]
        similarity = np.einsum("ekd,eld->ekl", vectors, vectors)
        pairs = TOP_K * (TOP_K - 1)
        ils = (similarity.sum(axis=(1, 2)) - np.trace(similarity, axis1=1, axis2=2)) / pairs
        return {
            "recall": metrics[f"recall@{TOP_K}"],
            "capped_recall": metrics[f"capped_recall@{TOP_K}"],
            "coverage": len(np.unique(top_ids)) / len(self.model.movie_ids),
            "log_popularity": float(self.log_popularity[top].mean()),
            "ils": float(ils.mean()),
        }


if __name__ == "__main__":
    main()
