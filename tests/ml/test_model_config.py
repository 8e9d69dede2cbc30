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


def test_a_saved_config_from_before_a_key_existed_loads_with_that_keys_past_value():
    saved = ModelConfig().to_dict()
    del saved["dropout"], saved["lr_decay"]

    config = ModelConfig.from_saved(saved)

    assert (config.dropout, config.lr_decay) == (0.0, 1.0)
    with pytest.raises(ValueError, match="missing"):
        ModelConfig.from_dict(saved)


def test_a_saved_config_keeps_its_own_values_and_still_refuses_unknown_keys():
    saved = {**ModelConfig(dropout=0.3).to_dict(), "mystery": 1}

    with pytest.raises(ValueError, match="unknown"):
        ModelConfig.from_saved(saved)
    del saved["mystery"]
    assert ModelConfig.from_saved(saved).dropout == 0.3


def test_a_config_saved_before_the_neighbourhood_stage_serves_without_it():
    saved = ModelConfig().to_dict()
    for key in ("cooccurrence_weights", "residual_weights", "refit_epochs", "neighbours_kept"):
        del saved[key]

    config = ModelConfig.from_saved(saved)

    assert (config.cooccurrence_weights, config.residual_weights) == ((0.0,), (0.0,))
    assert config.refit_epochs == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cooccurrence_weights": ()}, "cooccurrence_weights must be"),
        ({"residual_weights": (-1.0,)}, "residual_weights must be"),
        ({"residual_l2": 0.0}, "residual_l2 must be > 0"),
        ({"refit_epochs": -1}, "refit_epochs must be an int >= 0"),
        ({"lr_schedule": "step"}, "lr_schedule must be one of"),
        ({"neighbours_kept": 0}, "neighbours_kept must be a positive int"),
    ],
)
def test_invalid_neighbourhood_settings_are_explained(changes, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**changes)
