"""What a person sees: the one surface web pages, the API, commands and tasks call.

  recommendation_list(user=, limit=, offset=, genre=)   a page of their ranked list
  recommendation_refresh(user_id=)                      recompute it now (after a rating,
                                                        a hide or a watchlist change)
  recommendation_state(user=)                           changes whenever their list would
  predicted_stars_get(user=, movie_id=)                 their stars for one movie
  predicted_stars_for(user=, movie_ids=)                their stars for many, in one call
  watchlist_with_stars(user=, order=)                   their watchlist, scored, sorted
  movie_similar_list(movie_id=, limit=)                 movies near one movie

Inside: retrieval (Milvus search, re-rank, stars), user_vectors (the tower or a fold-in,
cached), cache_keys (per install, model version and rating generation); profiles and
offline serve the recommend, predict and evaluate commands.
"""

from recommender.serving.lists import (
    BECAUSE_KINDS,
    POPULAR_REASON,
    Recommendation,
    RecommendationPage,
    movie_similar_list,
    recommendation_list,
    recommendation_refresh,
    recommendation_state,
)
from recommender.serving.predictions import (
    WATCHLIST_ORDERS,
    predicted_stars_for,
    predicted_stars_get,
    watchlist_with_stars,
)

__all__ = [
    "BECAUSE_KINDS",
    "POPULAR_REASON",
    "WATCHLIST_ORDERS",
    "Recommendation",
    "RecommendationPage",
    "movie_similar_list",
    "predicted_stars_for",
    "predicted_stars_get",
    "recommendation_list",
    "recommendation_refresh",
    "recommendation_state",
    "watchlist_with_stars",
]
