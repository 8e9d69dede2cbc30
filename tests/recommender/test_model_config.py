import json

import pytest

from recommender.model.config import ModelConfig


def test_defaults_book_and_tiny_are_valid():
    assert ModelConfig().variant == "multitask"
    assert ModelConfig.book().variant == "book"
    assert ModelConfig.tiny("book").retrieval_weight == 0


def test_round_trips_through_json():
    config = ModelConfig.tiny()
    assert ModelConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_unknown_key_is_refused():
    values = ModelConfig().to_dict() | {"learning_rat": 0.1}
    with pytest.raises(ValueError, match="unknown \\['learning_rat'\\]"):
        ModelConfig.from_dict(values)


def test_missing_key_is_refused():
    values = ModelConfig().to_dict()
    del values["seed"]
    with pytest.raises(ValueError, match="missing \\['seed'\\]"):
        ModelConfig.from_dict(values)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"variant": "deep"}, "variant must be one of"),
        ({"learning_rate": 0.0}, "learning_rate must be > 0"),
        ({"vector_dim": 0}, "vector_dim must be a positive int"),
        ({"val_fraction": 1.0}, "val_fraction must be in"),
        ({"variant": "book", "retrieval_weight": 1.0}, "book variant has no retrieval loss"),
        ({"popularity_weights": ()}, "popularity_weights must be"),
    ],
)
def test_invalid_values_are_explained(changes, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**changes)
