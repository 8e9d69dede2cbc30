from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Rating
from tests.movielens_files import ML1M_RATINGS, ml1m_folder

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_movielens", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_counts_then_nothing_new(tmp_path: Path):
    folder = ml1m_folder(tmp_path)

    first = _run("--path", str(folder))
    second = _run("--path", str(folder))

    assert "4 users, 5 movies, 7 ratings added" in first
    assert "Nothing new" in second


def test_a_bad_line_is_a_command_error_naming_file_and_line(tmp_path: Path):
    folder = ml1m_folder(tmp_path, ratings=[*ML1M_RATINGS, "1::2::3"])

    with pytest.raises(CommandError, match=r"ratings\.dat:8: expected 4 fields"):
        _run("--path", str(folder))
    assert Rating.objects.count() == 0


def test_it_reads_movielens_dir_when_no_path_is_given(tmp_path: Path, settings):
    settings.MOVIELENS_DIR = str(ml1m_folder(tmp_path))

    assert "7 ratings added" in _run()


def test_it_asks_for_a_source(settings):
    settings.MOVIELENS_DIR = None

    with pytest.raises(CommandError, match="Give --path DIR"):
        _run()
