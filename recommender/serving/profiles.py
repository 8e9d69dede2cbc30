"""Recommendations for a bare demographic profile, or in batch for MovieLens user ids:
the `recommend` command's two modes, through the same Milvus retrieval and re-rank."""

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from catalog.models import Movie, Profile
from catalog.selectors import rating_movie_ids
from core.exceptions import ApplicationError
from movielens.ids import id_fields
from recommender.model.vocab import demographic_codes
from recommender.selectors import scoring_model_get_active
from recommender.serving.lists import recommendation_list
from recommender.serving.retrieval import top_movies

UNKNOWN_USER_ID = -1  # not in any vocabulary: the tower's out-of-vocabulary embedding


def recommendations_for_profile(
    *,
    gender: str | None,
    age: int | None,
    occupation: int | None,
    movielens_id: int | None,
    k: int,
) -> list[tuple[Movie, float]]:
    """[(movie, predicted stars)], best first. A given MovieLens id supplies the id
    embedding, any demographic left out, and the movies to leave out (already rated)."""
    version, model = scoring_model_get_active()
    user_pk, rated = UNKNOWN_USER_ID, []
    if movielens_id is not None:
        profile = Profile.objects.filter(movielens_id=movielens_id).first()
        if profile is None:
            raise ApplicationError(f"No user with MovieLens id {movielens_id}.")
        user_pk, rated = profile.user_id, rating_movie_ids(user=profile.user)
        gender = gender or profile.gender
        age = age if age is not None else profile.age
        occupation = occupation if occupation is not None else profile.occupation
    codes = demographic_codes(gender, age, occupation)
    encoded = model.encode_users(np.array([user_pk]), *([code] for code in codes))
    top, stars = top_movies(
        version_id=version.pk, model=model, user=encoded, k=k, exclude_movie_ids=rated
    )
    movies = Movie.objects.in_bulk(top.tolist())
    return [(movies[int(m)], float(s)) for m, s in zip(top, stars, strict=True) if int(m) in movies]


@dataclass
class BatchReport:
    rows: list[tuple[int, int, int, float]] = field(
        default_factory=list
    )  # user, rank, movie, stars
    skipped: list[tuple[int, str]] = field(default_factory=list)
    users: int = 0


def recommendations_for_file(*, lines: Iterable[str], k: int) -> BatchReport:
    report = BatchReport()
    scoring_model_get_active()  # fail once, clearly, when there is no model
    for number, line in enumerate(lines, start=1):
        try:
            fields = id_fields(line, ("UserID",))
        except ValueError as error:
            report.skipped.append((number, str(error)))
            continue
        if fields is None:
            continue
        (movielens_id,) = fields
        profile = Profile.objects.select_related("user").filter(movielens_id=movielens_id).first()
        if profile is None:
            report.skipped.append((number, f"no user with MovieLens id {movielens_id}"))
            continue
        page = recommendation_list(user=profile.user, limit=k)
        report.users += 1
        report.rows += [
            (movielens_id, rank, item.movie.pk, item.predicted_stars or 0.0)
            for rank, item in enumerate(page.items, start=1)
        ]
    return report
