import numpy as np

from recommender.model.vocab import (
    PAD,
    IdVocabulary,
    Vocabularies,
    age_index,
    gender_index,
    occupation_index,
    tokenize_title,
)


def test_tokenizer_drops_year_and_punctuation():
    assert tokenize_title("Toy Story (1995)") == ["toy", "story"]
    assert tokenize_title("Schindler's List (1993)") == ["schindlers", "list"]
    assert tokenize_title("Star Wars: Episode IV - A New Hope (1977)") == [
        "star", "wars", "episode", "iv", "a", "new", "hope"
    ]  # fmt: skip


def test_tokenizer_moves_trailing_article_to_the_front():
    assert tokenize_title("Matrix, The (1999)") == ["the", "matrix"]
    assert tokenize_title("City of Lost Children, The (Cité des enfants perdus, La) (1995)") == [
        "the", "city", "of", "lost", "children", "cité", "des", "enfants", "perdus", "la"
    ]  # fmt: skip
    assert tokenize_title("Good, the Bad and the Ugly (1966)")[:3] == ["good", "the", "bad"]


def _build(order: list[int]) -> Vocabularies:
    users = np.array([30, 10, 20, 10])[order]
    titles = ["Matrix, The (1999)", "Alien (1979)", "Heat (1995)", "Alien (1979)"]
    genres = [["Sci-Fi"], ["Horror", "Sci-Fi"], ["Crime"], ["Horror"]]
    return Vocabularies.build(
        users, users * 2, [genres[i] for i in order], [titles[i] for i in order]
    )


def test_vocabularies_do_not_depend_on_input_order(tmp_path):
    first, second = _build([0, 1, 2, 3]), _build([3, 2, 1, 0])
    assert first.to_dict() == second.to_dict()
    assert first.to_dict()["title_words"] == ["alien", "heat", "matrix", "the"]
    first.save(tmp_path / "vocab.json")
    assert Vocabularies.load(tmp_path / "vocab.json").to_dict() == first.to_dict()


def test_known_ids_get_1_to_n_and_unknown_ids_get_padding():
    vocab = IdVocabulary.build(np.array([7, 3, 5, 3]))
    assert vocab.lookup([3, 5, 7, 4, 99, -1]).tolist() == [1, 2, 3, PAD, PAD, PAD]
    assert IdVocabulary.build(np.array([], dtype=np.int64)).lookup([1]).tolist() == [PAD]


def test_padded_lookup_truncates_and_pads():
    vocab = _build([0, 1, 2, 3]).genres
    assert vocab.padded_lookup([["Sci-Fi", "Drama"], []], 3).tolist() == [[3, 0, 0], [0, 0, 0]]


def test_demographic_indices():
    assert gender_index([0, 1, 2]).tolist() == [1, 2, PAD]
    assert age_index([1, 18, 56, 30]).tolist() == [1, 2, 7, PAD]
    assert occupation_index([0, 20, 21]).tolist() == [1, 21, PAD]
