from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from catalog.models import Profile
from recommender.selectors import scoring_model_get_active
from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_run_request


@pytest.fixture
def trained(synthetic_catalog):
    run = training_run_request(dispatch=False)
    training_run_execute(run_id=run.pk, worker="test")
    return synthetic_catalog


def _call(name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_predict_writes_a_line_per_known_pair_and_reports_the_rest(
    trained, tmp_path, capsys, django_user_model
):
    newcomer = django_user_model.objects.create_user("newcomer")
    Profile.objects.create(user=newcomer, movielens_id=999, gender="F", age=25, occupation=4)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("1::1\n2::3\n12345::1\n1::9999\nnot a pair\n999::2\n")
    output = tmp_path / "out.txt"

    call_command("predict", "--pairs", str(pairs), "--output", str(output))

    lines = output.read_text().splitlines()
    assert [line.rsplit("::", 1)[0] for line in lines] == ["1::1", "2::3", "999::2"]
    stars = [float(line.rsplit("::", 1)[1]) for line in lines]
    assert all(1.0 <= value <= 5.0 for value in stars)
    _, model = scoring_model_get_active()
    user_pk = trained[1][1]
    expected = model.predict(np.array([user_pk]), np.array([1]))[0]
    assert stars[0] == pytest.approx(expected, abs=1e-4)
    err = capsys.readouterr().err
    assert "skipped line 3: no user with MovieLens id 12345" in err
    assert "skipped line 4: no movie with id 9999" in err
    assert "skipped line 5: expected UserID::MovieID" in err
    assert "3 predicted, 3 skipped, 1 with a person or movie the model never saw" in err


def test_evaluate_prints_the_metrics_of_the_active_model(trained, tmp_path):
    data, _ = trained
    held = tmp_path / "held.dat"
    rows = zip(data.user_ids[:300], data.movie_ids[:300], data.stars[:300], strict=True)
    held.write_text("".join(f"{u}::{m}::{int(s)}::978300000\n" for u, m, s in rows))

    out, _ = _call("evaluate", "--ratings", str(held))

    values = dict(line.split() for line in out.splitlines()[1:])
    assert out.startswith("ratings evaluated: 300")
    assert 0 < float(values["rmse"]) < 1.5
    assert 0 <= float(values["recall@10"]) <= 1


def test_evaluate_without_a_model_says_so(db, tmp_path):
    held = tmp_path / "held.dat"
    held.write_text("1::1::5::978300000\n")

    with pytest.raises(CommandError, match="no usable ratings"):
        _call("evaluate", "--ratings", str(held))


def test_train_inline_prints_the_metrics_table(synthetic_catalog):
    out, _ = _call("train", "--inline", "--epochs", "2")

    assert "predictor" in out
    assert "global mean" in out
    assert "most popular" in out
    assert "Model version" in out
    assert "active" in out


def test_train_refuses_a_bad_epoch_count(db):
    with pytest.raises(CommandError, match="epochs"):
        _call("train", "--inline", "--epochs", "0")
