"""manage.py evaluate: the active model's metrics on held-out ratings."""

import pytest
from django.core.management import CommandError

from tests.commands import command_run


def test_evaluate_prints_the_metrics_of_the_active_model(trained, synthetic_catalog, tmp_path):
    data, _ = synthetic_catalog
    held = tmp_path / "held.dat"
    rows = zip(data.user_ids[:300], data.movie_ids[:300], data.stars[:300], strict=True)
    held.write_text("".join(f"{u}::{m}::{int(s)}::978300000\n" for u, m, s in rows))

    out, _ = command_run("evaluate", "--ratings", str(held))

    values = dict(line.split() for line in out.splitlines()[1:])
    assert out.startswith("ratings evaluated: 300")
    assert 0 < float(values["rmse"]) < 1.5
    assert 0 <= float(values["recall@10"]) <= float(values["capped_recall@10"]) <= 1


def test_evaluate_without_a_model_says_so(db, tmp_path):
    held = tmp_path / "held.dat"
    held.write_text("1::1::5::978300000\n")

    with pytest.raises(CommandError, match="no usable ratings"):
        command_run("evaluate", "--ratings", str(held))
