from pathlib import Path

import pytest

from catalog.models import Movie
from catalog.services.movielens_import import movielens_import
from tests.movielens_files import (
    ML1M_MOVIES,
    ML100K_GENRES,
    ml1m_folder,
    ml100k_folder,
    write_lines,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _titles(movie_id: int) -> tuple[str, str, str]:
    movie = Movie.objects.get(pk=movie_id)
    return movie.title, movie.display_title, movie.search_title


def test_an_ml1m_import_fills_the_display_and_search_titles(tmp_path: Path):
    movies = [*ML1M_MOVIES[:4], "5::Matrix, The (1999)::Action|Sci-Fi|Thriller"]

    movielens_import(path=ml1m_folder(tmp_path, movies=movies))

    assert _titles(5) == ("Matrix, The (1999)", "The Matrix (1999)", "the matrix 1999")
    assert _titles(3) == (
        "Cité des enfants perdus, La (1995)",
        "La Cité des enfants perdus (1995)",
        "la cite des enfants perdus 1995",
    )
    assert _titles(1)[1:] == ("Toy Story (1995)", "toy story 1995")


def test_an_ml100k_import_fills_them_too(tmp_path: Path):
    folder = ml100k_folder(tmp_path)
    write_lines(
        folder / "u.item",
        [
            f"1|Toy Story (1995)|01-Jan-1995||http://example.invalid/1|{ML100K_GENRES}",
            f"2|Usual Suspects, The (1995)|01-Jan-1995||http://example.invalid/2|{ML100K_GENRES}",
            f"3|unknown|||http://example.invalid/3|{ML100K_GENRES}",
        ],
    )

    movielens_import(path=folder)

    assert _titles(2) == (
        "Usual Suspects, The (1995)",
        "The Usual Suspects (1995)",
        "the usual suspects 1995",
    )
    assert _titles(3)[1:] == ("unknown", "unknown")
