"""Export of ratings and features from PostgreSQL into the arrays training needs.

One pass per table, no ORM objects per rating: ratings stream out with a binary COPY that
numpy reads as fixed-width records (core.pgcopy).
"""

from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from catalog.models import GroupPick, HiddenMovie, Movie, Profile, WatchlistEntry
from core import pgcopy
from recommender.model.vocab import demographic_codes
from recommender.training.data import Marks, RatingsData

_RATING_COLUMNS = [("user", ">i4"), ("movie", ">i4"), ("stars", ">i2"), ("time", ">i8")]


@dataclass(frozen=True)
class Export:
    data: RatingsData
    snapshot: dict


def training_data_export() -> Export:
    """Every rating and mark (hidden, watchlist, onboarding pick) with its people and
    movies, and a snapshot describing them."""
    exported_at = timezone.now().timestamp()
    ratings = _ratings()
    profiles = list(Profile.objects.values_list("user_id", "gender", "age", "occupation"))
    # "Prefer not to say" exports as -1, which the model takes as unknown.
    codes = [demographic_codes(gender, age, occupation) for _, gender, age, occupation in profiles]
    movies = list(Movie.objects.values_list("id", "title", "genres"))
    data = RatingsData(
        user_ids=ratings["user"].astype(np.int64),
        movie_ids=ratings["movie"].astype(np.int64),
        stars=ratings["stars"].astype(np.float32),
        timestamps=ratings["time"].astype(np.int64),
        user_table_ids=np.array([p[0] for p in profiles], dtype=np.int64),
        gender=np.array([c[0] for c in codes], dtype=np.int64),
        age=np.array([c[1] for c in codes], dtype=np.int64),
        occupation=np.array([c[2] for c in codes], dtype=np.int64),
        movie_table_ids=np.array([m[0] for m in movies], dtype=np.int64),
        titles=[m[1] for m in movies],
        genres=[list(m[2]) for m in movies],
        marks=_marks(),
    )
    return Export(data, {**_snapshot(data), "exported_at": exported_at})


def _ratings() -> np.ndarray:
    # Ratings of people without a profile (e.g. a staff account) cannot be encoded: the
    # user tower needs demographics. The join leaves them out.
    query = (
        "SELECT r.user_id::int4, r.movie_id::int4, r.stars::int2,"
        " extract(epoch FROM r.rated_at)::int8"
        " FROM catalog_rating r JOIN catalog_profile p ON p.user_id = r.user_id"
        " ORDER BY r.id"
    )
    return pgcopy.copy_out(query, _RATING_COLUMNS)


def _marks() -> Marks:
    """Hidden movies, then wanted ones: the watchlist and onboarding picks, a movie on both
    once. Like ratings, only of people with a profile."""
    with_profile = {"user__profile__isnull": False}
    hidden = set(HiddenMovie.objects.filter(**with_profile).values_list("user_id", "movie_id"))
    wanted = set(WatchlistEntry.objects.filter(**with_profile).values_list("user_id", "movie_id"))
    wanted |= set(GroupPick.objects.filter(**with_profile).values_list("user_id", "movie_id"))
    # A movie both hidden and wanted (possible only through a race between two requests)
    # counts as hidden: "Not interested" is the stronger word.
    pairs = sorted(hidden) + sorted(wanted - hidden)
    return Marks(
        user_ids=np.array([user for user, _ in pairs], dtype=np.int64),
        movie_ids=np.array([movie for _, movie in pairs], dtype=np.int64),
        hidden=np.arange(len(pairs)) < len(hidden),
    )


def _snapshot(data: RatingsData) -> dict:
    newest = int(data.timestamps.max()) if len(data) else None
    return {
        "ratings": len(data),
        "users": len(np.unique(data.user_ids)),
        "movies": len(np.unique(data.movie_ids)),
        "max_rated_at": newest,
        "hidden_marks": int(data.marks.hidden.sum()),
        "wanted_marks": int((~data.marks.hidden).sum()),
    }
