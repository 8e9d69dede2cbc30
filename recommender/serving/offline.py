"""Offline predictions and evaluation with the active model, for data scientists.

Files use MovieLens ids (`UserID::MovieID[::...]`), mapped to people through their profile.
Lines naming a person or movie missing from the database are reported and skipped.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from catalog.models import Movie, Profile, Rating
from movielens.ids import id_fields
from recommender.model.vocab import demographic_codes
from recommender.scoring import Encoded, ScoringModel
from recommender.selectors import scoring_model_get_active

TOP_K = 10
RELEVANT_STARS = 4


@dataclass
class Pairs:
    lines: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)  # MovieLens ids, as in the file
    movie_ids: list[int] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


@dataclass(frozen=True)
class Predictions:
    pairs: Pairs
    stars: np.ndarray
    out_of_vocabulary: int  # pairs whose person or movie the model never saw


def pairs_read(lines: Iterable[str], *, with_stars: bool = False) -> Pairs:
    pairs, parsed = Pairs(), []
    names = ("UserID", "MovieID", "Rating") if with_stars else ("UserID", "MovieID")
    for number, line in enumerate(lines, start=1):
        try:
            fields = id_fields(line, names)
        except ValueError as error:
            pairs.skipped.append((number, str(error)))
            continue
        if fields is not None:
            parsed.append((number, *fields))
    return _known_only(pairs, parsed, with_stars)


def _known_only(pairs: Pairs, parsed: list[tuple], with_stars: bool) -> Pairs:
    users = set(
        Profile.objects.filter(movielens_id__in={p[1] for p in parsed}).values_list(
            "movielens_id", flat=True
        )
    )
    movies = set(Movie.objects.filter(id__in={p[2] for p in parsed}).values_list("id", flat=True))
    for number, user, movie, *stars in parsed:
        if user not in users:
            pairs.skipped.append((number, f"no user with MovieLens id {user}"))
        elif movie not in movies:
            pairs.skipped.append((number, f"no movie with id {movie}"))
        else:
            pairs.lines.append(number)
            pairs.user_ids.append(user)
            pairs.movie_ids.append(movie)
            pairs.stars.extend(stars)
    pairs.skipped.sort()
    return pairs


def pairs_predict(*, pairs: Pairs) -> Predictions:
    _, model = scoring_model_get_active()
    people = _people(pairs.user_ids)
    pks = np.array([people[u][0] for u in pairs.user_ids], dtype=np.int64)
    movie_ids = np.array(pairs.movie_ids, dtype=np.int64)
    persons = sorted(set(pairs.user_ids))
    ratings = _ratings_of(people, persons, _asked_pairs(pairs.user_ids, pairs.movie_ids))
    encoded = _encoded(model, people, persons, ratings)
    position = {user: row for row, user in enumerate(persons)}
    rows = np.array([position[u] for u in pairs.user_ids], dtype=np.int64)
    stars = model.stars(encoded.take(rows), movie_ids[:, None])[:, 0] if len(pks) else np.zeros(0)
    unseen = (model.vocab.user_ids.lookup(pks) == 0) | (
        model.vocab.movie_ids.lookup(movie_ids) == 0
    )
    return Predictions(pairs, stars, int(unseen.sum()))


def held_out_evaluate(*, pairs: Pairs) -> dict[str, float]:
    """RMSE and MAE on the pairs' stars; Recall@10 and NDCG@10 of the product's ranking for
    each person with a held-out rating of 4+, excluding the rest of what they rated."""
    predictions = pairs_predict(pairs=pairs)
    error = predictions.stars - np.array(pairs.stars, dtype=np.float64)
    metrics = {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}
    return metrics | _ranking(pairs)


def _ranking(pairs: Pairs) -> dict[str, float]:
    _, model = scoring_model_get_active()
    liked = defaultdict(set)
    held = defaultdict(set)
    for user, movie, stars in zip(pairs.user_ids, pairs.movie_ids, pairs.stars, strict=True):
        held[user].add(movie)
        if stars >= RELEVANT_STARS:
            liked[user].add(movie)
    if not liked:
        return {name: float("nan") for name in ("recall@10", "capped_recall@10", "ndcg@10")}
    people = _people(list(liked))
    users = sorted(liked)
    ratings = _ratings_of(people, users, held)
    exclude = [np.array(sorted(ratings[u]), dtype=np.int64) for u in users]
    top = model.recommend(_encoded(model, people, users, ratings), exclude, TOP_K)
    return _recall_ndcg(top, [liked[u] for u in users])


def _recall_ndcg(top: np.ndarray, relevant: list[set]) -> dict[str, float]:
    discounts = 1.0 / np.log2(np.arange(2, TOP_K + 2))
    recalls, capped, ndcgs = [], [], []
    for ids, wanted in zip(top, relevant, strict=True):
        hits = np.array([movie in wanted for movie in ids], dtype=np.float64)
        recalls.append(hits.sum() / len(wanted))
        capped.append(hits.sum() / min(len(wanted), TOP_K))
        ndcgs.append((hits @ discounts) / discounts[: min(len(wanted), TOP_K)].sum())
    return {
        "recall@10": float(np.mean(recalls)),
        "capped_recall@10": float(np.mean(capped)),
        "ndcg@10": float(np.mean(ndcgs)),
    }


def _people(movielens_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """MovieLens id -> (user pk, gender, age, occupation codes)."""
    rows = Profile.objects.filter(movielens_id__in=set(movielens_ids)).values_list(
        "movielens_id", "user_id", "gender", "age", "occupation"
    )
    return {ml: (pk, *demographic_codes(gender, age, occ)) for ml, pk, gender, age, occ in rows}


def _asked_pairs(user_ids: list[int], movie_ids: list[int]) -> dict[int, set[int]]:
    asked = defaultdict(set)
    for user, movie in zip(user_ids, movie_ids, strict=True):
        asked[user].add(movie)
    return asked


def _encoded(
    model: ScoringModel, people: dict, users: list[int], ratings: dict[int, dict[int, float]]
) -> Encoded:
    """The people's (MovieLens ids) tower vectors with their neighbourhood terms from
    `ratings` (MovieLens id -> {movie id: stars})."""
    encoded = model.encode_users(
        *(np.array([people[u][i] for u in users], dtype=np.int64) for i in range(4))
    )
    rated = [ratings[u] for u in users]
    return model.personalize(
        encoded,
        [np.fromiter(r, dtype=np.int64, count=len(r)) for r in rated],
        [np.fromiter(r.values(), dtype=np.float32, count=len(r)) for r in rated],
    )


def _ratings_of(
    people: dict, users: list[int], held: dict[int, set[int]]
) -> dict[int, dict[int, float]]:
    """MovieLens id -> {movie id: stars} of the people's database ratings, minus the held
    pairs (MovieLens id -> movie ids) being evaluated."""
    by_pk = {people[u][0]: u for u in users}
    ratings: dict[int, dict[int, float]] = {u: {} for u in users}
    for pk, movie, stars in Rating.objects.filter(user_id__in=by_pk).values_list(
        "user_id", "movie_id", "stars"
    ):
        user = by_pk[pk]
        if movie not in held.get(user, ()):
            ratings[user][movie] = float(stars)
    return ratings
