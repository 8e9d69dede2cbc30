"""Malformed MovieLens lines the catalog tests do not already cover.

Covered there (tests/catalog/test_movielens_import.py BAD_LINES, and
tests/catalog/test_movielens_import_bulk.py test_it_names_the_first_bad_line): wrong field
counts, bad gender/age/occupation codes, repeated ids, unknown genres, non-numeric ids and
stars, NUL bytes, bad encoding, stars out of range, unknown user or movie, numbers too
large in ratings.dat, blank lines, bad line endings, timestamps past year 9999.
Here: ids too large for the database in users.dat and movies.dat, digits that are not
ASCII (latin-1 '²', which str.isdigit accepts), and ml-100k lines. Each must be a
`file:line: reason` error with nothing written.
"""

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Movie, Profile, Rating
from catalog.movielens.errors import MovieLensFormatError
from catalog.services.movielens_import import movielens_import
from tests.movielens_files import (
    ML100K_MOVIES,
    ML100K_RATINGS,
    ML100K_USERS,
    ml1m_folder,
    write_lines,
)

pytestmark = pytest.mark.django_db

ML1M_CASES = [
    ("users", ["1::F::1::10::48067", "99999999999::M::25::1::1"], "users.dat:2"),
    ("users", ["1::F::1::10::48067", "²::M::25::1::1"], "users.dat:2"),
    ("movies", ["1::Toy Story (1995)::Comedy", "99999999999::Big (1988)::Comedy"], "movies.dat:2"),
    ("movies", ["1::Toy Story (1995)::Comedy", "2::" + "T" * 300 + "::Comedy"], "movies.dat:2"),
]


def _counts():
    return (
        get_user_model().objects.count(),
        Profile.objects.count(),
        Movie.objects.count(),
        Rating.objects.count(),
    )


@pytest.mark.parametrize(("which", "lines", "where"), ML1M_CASES)
def test_an_id_the_database_cannot_hold_is_a_line_error(tmp_path, which, lines, where):
    folder = ml1m_folder(tmp_path, **{which: lines}, ratings=["1::1::5::978300760"])

    with pytest.raises(MovieLensFormatError) as caught:
        movielens_import(path=folder)

    assert str(caught.value).startswith(where), str(caught.value)
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "bad", "where"),
    [
        ("u.user", "4|abc|M|student|32067", "u.user:4"),
        ("u.user", "4|24|X|student|32067", "u.user:4"),
        ("u.user", "4|24|M|astronaut|32067", "u.user:4"),
        ("u.item", "4|Heat (1995)|01-Jan-1995||http://x|" + "|".join("2" * 19), "u.item:4"),
        ("u.data", "1\t1\t9\t881250949", "u.data:4"),
        ("u.data", "1 1 5 881250949", "u.data:4"),
    ],
)
def test_a_malformed_ml100k_line_is_a_line_error(tmp_path, name, bad, where):
    files = {"u.user": ML100K_USERS, "u.item": ML100K_MOVIES, "u.data": ML100K_RATINGS}
    files[name] = [*files[name], bad]
    for file_name, lines in files.items():
        write_lines(tmp_path / file_name, lines)

    with pytest.raises(MovieLensFormatError) as caught:
        movielens_import(path=tmp_path)

    assert str(caught.value).startswith(where), str(caught.value)
    assert _counts() == (0, 0, 0, 0)
