import pytest

from catalog.models import Movie
from catalog.selectors import movie_list
from movielens.titles import movie_title_fields
from tests.titled_movies import titled_movies_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def titled(db):
    return titled_movies_create()


def _titles(search: str, **filters) -> list[str]:
    return [movie.display_title for movie in movie_list(search=search, **filters)]


@pytest.mark.parametrize("search", ["matrix", "the matrix", "Matrix, The", "THE MATRIX (1999)"])
def test_it_finds_a_title_with_or_without_its_article_in_any_case(titled, search):
    assert _titles(search)[0] == "The Matrix (1999)"


@pytest.mark.parametrize("search", ["amelie", "Amélie", "AMELIE", "fabuleux destin"])
def test_it_ignores_accents_both_ways(titled, search):
    assert _titles(search)[0] == "Amélie (Le Fabuleux destin d'Amélie Poulain) (2001)"


def test_it_finds_a_title_by_its_alternate_title(titled):
    assert _titles("la cite des enfants perdus")[0] == (
        "The City of Lost Children (La Cité des enfants perdus) (1995)"
    )


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Matirx", "The Matrix (1999)"),
        ("toy stroy", "Toy Story (1995)"),
        ("abys", "The Abyss (1989)"),
    ],
)
def test_it_forgives_a_typo(titled, typo, meant):
    assert meant in _titles(typo)


def test_it_leaves_out_titles_that_are_not_close(titled):
    assert _titles("toy story") == ["Toy Story (1995)"]
    assert _titles("zzzz") == []


def test_the_closest_titles_come_first_then_the_chosen_order(db):
    Movie.objects.bulk_create(
        Movie(id=movie_id, **movie_title_fields(title), rating_count=count)
        for movie_id, title, count in [
            (1, "Heat (1995)", 1000),
            (2, "In the Heat of the Night (1967)", 1200),
            (3, "Heathers (1989)", 5000),
        ]
    )

    # Both have the word "heat"; "Heathers" only comes close, however often it was rated.
    assert _titles("heat") == ["In the Heat of the Night (1967)", "Heat (1995)", "Heathers (1989)"]
    assert _titles("heat", order="title") == [
        "Heat (1995)",
        "In the Heat of the Night (1967)",
        "Heathers (1989)",
    ]


def test_a_blank_search_lists_everything(titled):
    assert len(_titles("  ")) == len(titled)
