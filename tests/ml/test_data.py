import dataclasses

import numpy as np
import pytest

from recommender.model.vocab import UNKNOWN_CODE
from recommender.training.data import random_split
from recommender.training.inputs import rating_rows, table_rows


def test_random_split_is_deterministic_and_disjoint(synthetic):
    rest, held_out = random_split(synthetic, 0.1, seed=3)
    again_rest, again_held_out = random_split(synthetic, 0.1, seed=3)
    assert len(held_out) == round(0.1 * len(synthetic))
    assert len(rest) + len(held_out) == len(synthetic)
    np.testing.assert_array_equal(held_out.movie_ids, again_held_out.movie_ids)
    np.testing.assert_array_equal(rest.user_ids, again_rest.user_ids)
    other = random_split(synthetic, 0.1, seed=4)[1]
    assert not np.array_equal(held_out.timestamps, other.timestamps)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stars": np.full(2400, 3.0)}, "stars must be a 1-d float32 array"),
        ({"user_ids": np.zeros(0, np.int32)}, "user_ids must be a 1-d int64 array"),
        ({"genres": [["Space Opera"]] * 80}, "unknown genres"),
        ({"age": np.full(60, 30, np.int64)}, "age must be one of"),
        ({"gender": np.full(60, 2, np.int64)}, "gender must be 0"),
    ],
)
def test_invalid_data_is_refused(synthetic, changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(synthetic, **changes)


def test_people_who_preferred_not_to_say_are_accepted(synthetic):
    unknown = np.full(60, UNKNOWN_CODE, np.int64)
    data = dataclasses.replace(synthetic, gender=unknown, age=unknown, occupation=unknown)
    assert (data.gender == UNKNOWN_CODE).all()


def test_ratings_of_unknown_users_are_refused(synthetic):
    with pytest.raises(ValueError, match="every rating's user"):
        dataclasses.replace(synthetic, user_ids=synthetic.user_ids + 1000)


def test_rows_point_into_the_tables(synthetic):
    rows = rating_rows(synthetic)
    np.testing.assert_array_equal(synthetic.user_table_ids[rows.user_rows], synthetic.user_ids)
    np.testing.assert_array_equal(synthetic.movie_table_ids[rows.movie_rows], synthetic.movie_ids)
    assert table_rows(np.array([30, 10, 20]), np.array([20, 30, 10])).tolist() == [2, 0, 1]
