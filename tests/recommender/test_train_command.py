"""manage.py train: --inline trains here and prints the metrics table."""

import pytest
from django.core.management import CommandError

from tests.commands import command_run


def test_train_inline_prints_the_metrics_table(synthetic_catalog):
    out, _ = command_run("train", "--inline", "--epochs", "2")

    assert "predictor" in out
    assert "global mean" in out
    assert "most popular" in out
    assert "Model version" in out
    assert "active" in out


def test_train_refuses_a_bad_epoch_count(db):
    with pytest.raises(CommandError, match="epochs"):
        command_run("train", "--inline", "--epochs", "0")
