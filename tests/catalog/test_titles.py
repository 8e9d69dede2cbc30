import pytest

from movielens.titles import title_display, title_search_key
from recommender.model.vocab import tokenize_title


@pytest.mark.parametrize(
    ("filed", "said"),
    [
        ("Matrix, The (1999)", "The Matrix (1999)"),
        ("Family Thing, A (1996)", "A Family Thing (1996)"),
        ("Toy Story (1995)", "Toy Story (1995)"),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            "The City of Lost Children (La Cité des enfants perdus) (1995)",
        ),
        ("Cité des enfants perdus, La (1995)", "La Cité des enfants perdus (1995)"),
        ("Hate (Haine, La) (1995)", "Hate (La Haine) (1995)"),
        ("Bewegte Mann, Der (1994)", "Der Bewegte Mann (1994)"),
        ("Appartement, L' (1996)", "L'Appartement (1996)"),
        ("Good, The Bad and The Ugly, The (1966)", "The Good, The Bad and The Ugly (1966)"),
        ("Sex, Lies, and Videotape (1989)", "Sex, Lies, and Videotape (1989)"),
        ("unknown", "unknown"),
    ],
)
def test_titles_display_as_people_say_them(filed, said):
    assert title_display(filed) == said


def test_the_search_key_drops_case_accents_and_punctuation():
    assert title_search_key("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)") == (
        "amelie le fabuleux destin damelie poulain 2001"
    )
    assert title_search_key("Schindler's List (1993)") == "schindlers list 1993"


def test_a_query_with_the_article_at_the_end_reads_as_the_title_does():
    assert title_search_key("MATRIX, the") == "the matrix"
    assert title_search_key("Matrix, The (1999)").startswith(title_search_key("the matrix"))


def test_the_model_still_reads_alternate_titles_as_filed():
    # Moving the alternate title's article too would change what trained models were fed.
    assert tokenize_title("Hate (Haine, La) (1995)") == ["hate", "haine", "la"]
