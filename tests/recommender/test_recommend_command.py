"""manage.py recommend: a table for one profile, or a file of lists for many users."""

import pytest
from django.core.management import CommandError

from tests.commands import command_run


def _recommend(*args: str) -> str:
    out, _ = command_run("recommend", *args)
    return out


def test_recommend_prints_a_ranked_table_for_a_profile(trained):
    out = _recommend("--age", "25", "--gender", "F", "--occupation", "4", "-k", "5")

    lines = out.splitlines()
    assert lines[0].split() == ["rank", "movie", "id", "score", "title"]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2", "3", "4", "5"]


def test_two_profiles_can_get_different_lists(trained):
    young = _recommend("--age", "18", "--gender", "F", "--occupation", "4", "-k", "10")
    other = _recommend("--user", "7", "-k", "10")

    assert young != other


def test_recommend_in_batch_writes_a_line_per_rank(trained, tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("1\n2\n999\n")
    output = tmp_path / "recs.txt"

    out = _recommend("--users", str(users), "-k", "3", "--output", str(output))

    lines = [line.split("::") for line in output.read_text().splitlines()]
    assert [(u, r) for u, r, _, _ in lines] == [
        ("1", "1"), ("1", "2"), ("1", "3"), ("2", "1"), ("2", "2"), ("2", "3"),
    ]  # fmt: skip
    assert "2 users, 6 lines written" in out


def test_recommend_without_a_model_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No model is trained yet"):
        _recommend("--age", "25", "--gender", "F", "--occupation", "4")
