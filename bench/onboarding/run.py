"""Onboarding by groups, measured on people the model never saw.

  .venv/bin/python -m bench.onboarding.train --data /tmp/ml/ml-100k --out /tmp/onboarding
  .venv/bin/python -m bench.onboarding.run --data /tmp/ml/ml-100k --out /tmp/onboarding

For each held-out person, 10 of their ratings (at random) are "given" and the rest are the
test set; every list leaves the 10 given movies out, so all conditions rank the same
candidates against the same test set. Conditions:
  demographics   fold-in with no ratings (the list a newcomer gets today)
  N groups       fold-in on the seed movies of the N groups the person likes best, as
                 PICK_STARS pseudo-ratings (the serving path, recommender.scoring.groups)
  10 ratings     fold-in on the 10 given ratings
"Likes best": the groups with the highest sum of (stars - 3) over the person's ratings of
movies nearest each group's centroid, the person's taste as they would know it. Relevant:
test movies rated 4 or 5. Recall@10 as `evaluate` reports it, plain and capped at 10.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from recommender.scoring import fold_in_user
from recommender.scoring.groups import group_of, movie_groups, ratings_with_picks
from recommender.scoring.model import load_scoring_model
from recommender.scoring.weights import ServingWeights

from ..train.movielens import load_ml1m

GIVEN, TOP_K, RELEVANT_STARS, SEED = 10, 10, 4, 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = load_ml1m(args.data)
    model = load_scoring_model(args.out / "model")
    counts = ServingWeights.load(args.out / "model").rating_counts
    genre_of = dict(zip(data.movie_table_ids.tolist(), data.genres, strict=True))
    ids, vectors = model.movie_vectors()
    groups = movie_groups(vectors, counts, [genre_of.get(int(m), []) for m in ids])
    nearest = group_of(vectors, groups)  # [M] group of every catalog movie
    for number, group in enumerate(groups):
        print(f"group {number}: {', '.join(group.genres)}; {len(group.members)} movies")
    demographics = dict(
        zip(
            data.user_table_ids.tolist(),
            zip(data.gender, data.age, data.occupation, strict=True),
            strict=True,
        )
    )
    rng = np.random.default_rng(SEED)
    recalls: dict[str, list[tuple[float, float]]] = {}
    for person in np.load(args.out / "held_out.npy"):
        mine = data.user_ids == person
        movie_ids, stars = data.movie_ids[mine], data.stars[mine]
        given = rng.permutation(len(movie_ids))[:GIVEN]
        test = np.setdiff1d(np.arange(len(movie_ids)), given)
        relevant = set(movie_ids[test][stars[test] >= RELEVANT_STARS].tolist())
        if not relevant:
            continue
        codes = demographics[int(person)]
        lists = {"demographics": (np.zeros(0, np.int64), np.zeros(0, np.float32))}
        ranked = _groups_liked(model, nearest, len(groups), movie_ids, stars)
        for n in (1, 2, 3):
            seeds = np.concatenate([ids[groups[g].seeds] for g in ranked[:n]])
            lists[f"{n} group{'s' if n > 1 else ''}"] = ratings_with_picks(
                np.zeros(0, np.int64), np.zeros(0, np.float32), seeds
            )
        lists["10 ratings"] = (movie_ids[given], stars[given])
        for name, (seed_ids, seed_stars) in lists.items():
            user = fold_in_user(model, seed_ids, seed_stars, *codes)
            user = model.personalize(user, [seed_ids], [seed_stars])
            top = model.recommend(user, [movie_ids[given]], TOP_K)[0]
            hits = len(relevant & set(top.tolist()))
            recalls.setdefault(name, []).append(
                (hits / len(relevant), hits / min(len(relevant), TOP_K))
            )
    people = len(next(iter(recalls.values())))
    print(f"\n{people} held-out people; Recall@10 (plain / capped at 10 relevant)")
    for name, values in recalls.items():
        plain, capped = np.mean(values, axis=0)
        print(f"  {name:<14} {plain:.4f} / {capped:.4f}")


def _groups_liked(model, nearest: np.ndarray, k: int, movie_ids, stars) -> list[int]:
    positions = model.catalog_positions(movie_ids)
    known = positions >= 0
    score = np.bincount(nearest[positions[known]], weights=stars[known] - 3.0, minlength=k)
    return [int(g) for g in np.argsort(-score, kind="stable")]


if __name__ == "__main__":
    main()
