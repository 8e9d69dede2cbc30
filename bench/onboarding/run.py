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

Marks in the fold-in, on the people with at least WANTED + 1 liked and 2 disliked (1-2
stars) test movies: WANTED liked ones go on their watchlist and half the disliked ones are
hidden; lists leave all of these out, relevant are the other liked ones, and "disliked@10"
is the share of the top 10 taken by the other disliked ones. Conditions: the 10 ratings
alone, with the watchlist as retrieval positives, with the hidden movies as hard negatives
or as 1-star ratings (recommender.scoring.fold_in, under each config.hidden_feedback).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
from pathlib import Path

import numpy as np

from recommender.scoring import fold_in_user
from recommender.scoring.fold_in import Marked
from recommender.scoring.groups import group_of, movie_groups, ratings_with_picks
from recommender.scoring.model import load_scoring_model
from recommender.scoring.weights import ServingWeights

from ..train.movielens import load_ml1m

GIVEN, TOP_K, RELEVANT_STARS, SEED = 10, 10, 4, 0
WANTED, DISLIKED_STARS = 5, 2


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
    marked: dict[str, list[tuple[float, float]]] = {}
    marks_rng = np.random.default_rng(SEED + 1)  # its own: the draws above stay as they were
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
        given_ids, given_stars = movie_ids[given], stars[given]
        test_ids, test_stars = movie_ids[test], stars[test]
        for name, figures in _with_marks(
            model, codes, given_ids, given_stars, test_ids, test_stars, marks_rng
        ).items():
            marked.setdefault(name, []).append(figures)
    people = len(next(iter(recalls.values())))
    print(f"\n{people} held-out people; Recall@10 (plain / capped at 10 relevant)")
    for name, values in recalls.items():
        plain, capped = np.mean(values, axis=0)
        print(f"  {name:<14} {plain:.4f} / {capped:.4f}")
    people = len(next(iter(marked.values()), []))
    print(f"\nMarks in the fold-in, {people} held-out people; Recall@10 (capped) / disliked@10")
    for name, values in marked.items():
        capped, disliked = np.mean(values, axis=0)
        print(f"  {name:<24} {capped:.4f} / {disliked:.4f}")


def _with_marks(model, codes, given_ids, given_stars, test_ids, test_stars, rng) -> dict:
    """{condition: (capped Recall@10, disliked@10)} for one person; {} when they have too
    few liked or disliked test movies."""
    liked = rng.permutation(test_ids[test_stars >= RELEVANT_STARS])
    disliked = rng.permutation(test_ids[test_stars <= DISLIKED_STARS])
    if len(liked) <= WANTED or len(disliked) < 2:
        return {}
    wanted, relevant = liked[:WANTED], set(liked[WANTED:].tolist())
    hidden, other_disliked = np.array_split(disliked, 2)
    left_out = np.concatenate([given_ids, wanted, hidden])
    figures = {}
    for name, (marks, hidden_feedback) in {
        "10 ratings": (Marked(), "ignore"),
        "+ 5 watchlisted": (Marked(wanted=wanted), "ignore"),
        "+ hidden as hard negatives": (Marked(hidden=hidden), "hard_negative"),
        "+ hidden as 1-star ratings": (Marked(hidden=hidden), "pseudo_rating"),
    }.items():
        # The fold-in reads how to take marks from the model's config.
        folding = copy.copy(model)
        folding.config = dataclasses.replace(
            model.config, wanted_feedback="positive", hidden_feedback=hidden_feedback
        )
        user = fold_in_user(folding, given_ids, given_stars, *codes, marks=marks)
        user = model.personalize(user, [given_ids], [given_stars])
        top = set(model.recommend(user, [left_out], TOP_K)[0].tolist())
        figures[name] = (
            len(relevant & top) / min(len(relevant), TOP_K),
            len(set(other_disliked.tolist()) & top) / TOP_K,
        )
    return figures


def _groups_liked(model, nearest: np.ndarray, k: int, movie_ids, stars) -> list[int]:
    positions = model.catalog_positions(movie_ids)
    known = positions >= 0
    score = np.bincount(nearest[positions[known]], weights=stars[known] - 3.0, minlength=k)
    return [int(g) for g in np.argsort(-score, kind="stable")]


if __name__ == "__main__":
    main()
