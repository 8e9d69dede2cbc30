"""Field encodings and names, no server needed."""

import numpy as np
import pytest

from recommender.vector_index.collection import (
    collection_name_for,
    collection_version_id,
    genre_filter,
    genres_encode,
    vectors_normalize,
)


def test_genres_are_delimited_so_like_matches_whole_genres():
    assert genres_encode(genres=["Sci-Fi", "Children's"]) == "|Sci-Fi|Children's|"
    assert genres_encode(genres=[]) == ""
    assert genre_filter(genre="Sci-Fi") == 'genres like "%|Sci-Fi|%"'


@pytest.mark.parametrize("genre", ["", "Sci_Fi", "100%", 'a"b', "a|b", "a\\b"])
def test_genres_that_would_change_the_filter_are_rejected(genre):
    with pytest.raises(ValueError, match="genre"):
        genre_filter(genre=genre)


def test_vectors_normalize_keeps_zero_rows():
    normalized = vectors_normalize(vectors=np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(normalized, [[0.6, 0.8], [0.0, 0.0]])
    assert normalized.dtype == np.float32


def test_collection_names_round_trip_and_ignore_foreign_collections():
    assert collection_name_for(version_id=12) == "movies_v12"
    assert collection_version_id(name="movies_v12") == 12
    assert collection_version_id(name="movies_live") is None
    assert collection_version_id(name="movies_v12_tmp") is None
