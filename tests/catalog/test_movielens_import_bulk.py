"""The two ways ratings go in (bulk and incremental) and what both must keep."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from catalog.models import Movie, MovieLensImport, Profile, Rating
from catalog.movielens import ratings as ratings_module
from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import layout_detect
from catalog.movielens.ratings import ratings_read
from catalog.services.movielens_import import movielens_import
from tests.movielens_files import ML1M_RATINGS, ml1m_folder, write_lines

pytestmark = pytest.mark.django_db(transaction=True)

BULK = "ratings: COPY into catalog_rating (bulk)"
INCREMENTAL = "ratings: COPY into catalog_rating (incremental)"


def _rating_schema() -> tuple[list, list]:
    """catalog_rating's indexes and constraints as PostgreSQL defines them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'catalog_rating' ORDER BY indexname"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid), convalidated,"
            " condeferrable, condeferred, conindid::regclass::text FROM pg_constraint"
            " WHERE conrelid = 'catalog_rating'::regclass ORDER BY conname"
        )
        constraints = cursor.fetchall()
    return indexes, constraints


def _pairs() -> set[tuple[int, int, int]]:
    return set(Rating.objects.values_list("user__profile__movielens_id", "movie_id", "stars"))


def _all_pairs_folder(root: Path, users: int = 4, movies: int = 5) -> tuple[Path, list[str]]:
    lines = [
        f"{user}::{movie}::{(user + movie) % 5 + 1}::{978300000 + user * 100 + movie}"
        for user in range(users, 0, -1)
        for movie in range(1, movies + 1)
    ]
    return ml1m_folder(root, ratings=lines), lines


def test_a_first_import_takes_the_bulk_path_and_keeps_the_schema(tmp_path: Path):
    before = _rating_schema()
    folder, lines = _all_pairs_folder(tmp_path)

    report = movielens_import(path=folder)

    assert BULK in report.phases
    assert report.ratings_added == len(lines) == Rating.objects.count()
    assert _rating_schema() == before
    expected = {tuple(int(f) for f in line.split("::")[:3]) for line in lines}
    assert _pairs() == expected
    rating = Rating.objects.get(user__profile__movielens_id=2, movie_id=3)
    assert int(rating.rated_at.timestamp()) == 978300203


def test_the_bulk_path_leaves_the_id_sequence_past_its_rows(tmp_path: Path):
    movielens_import(path=ml1m_folder(tmp_path))
    user = get_user_model().objects.create_user("ann")

    rating = Rating.objects.create(user=user, movie_id=1, stars=4, rated_at=timezone.now())

    assert rating.pk > max(Rating.objects.exclude(pk=rating.pk).values_list("pk", flat=True))


def test_a_small_addition_takes_the_incremental_path(tmp_path: Path):
    folder = ml1m_folder(tmp_path)
    movielens_import(path=folder)
    before = _rating_schema()
    write_lines(folder / "ratings.dat", [*ML1M_RATINGS, "3::1::4::978300000"])

    report = movielens_import(path=folder)

    assert INCREMENTAL in report.phases
    assert BULK not in report.phases
    assert report.ratings_added == 1
    assert Rating.objects.count() == 8
    assert _rating_schema() == before


def test_a_large_addition_to_a_filled_table_takes_the_bulk_path(tmp_path: Path, monkeypatch):
    folder, lines = _all_pairs_folder(tmp_path)
    write_lines(folder / "ratings.dat", lines[:6])
    movielens_import(path=folder)
    before, kept = _rating_schema(), set(Rating.objects.values_list("pk", flat=True))
    monkeypatch.setattr(ratings_module, "BULK_MIN_SHARE", 0.0)
    write_lines(folder / "ratings.dat", lines)

    report = movielens_import(path=folder)

    assert BULK in report.phases
    assert report.ratings_added == len(lines) - 6
    assert Rating.objects.count() == len(lines)
    assert kept < set(Rating.objects.values_list("pk", flat=True))
    assert _rating_schema() == before
    assert not movielens_import(path=folder).added_anything


def test_the_schema_matches_the_migrations_after_a_bulk_import(tmp_path: Path):
    movielens_import(path=ml1m_folder(tmp_path))

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_failure_during_the_bulk_load_restores_everything(tmp_path: Path, monkeypatch):
    before = _rating_schema()

    def broken_copy(*args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(ratings_module, "_copy", broken_copy)

    with pytest.raises(RuntimeError, match="connection lost"):
        movielens_import(path=ml1m_folder(tmp_path))

    assert _rating_schema() == before
    assert (Profile.objects.count(), Movie.objects.count(), Rating.objects.count()) == (0, 0, 0)
    assert MovieLensImport.objects.count() == 0


def test_a_pair_rated_twice_in_the_file_is_refused_naming_both_lines(tmp_path: Path):
    folder = ml1m_folder(tmp_path, ratings=[*ML1M_RATINGS, "2::3::5::978300999"])

    with pytest.raises(MovieLensFormatError) as caught:
        movielens_import(path=folder)

    assert str(caught.value) == "ratings.dat:8: user 2 rated movie 3 already on line 4"
    assert Rating.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_a_pair_already_in_the_database_is_skipped_not_refused(tmp_path: Path):
    folder = ml1m_folder(tmp_path)
    movielens_import(path=folder)
    # Same pair, other stars: the database's rating stands, as on any re-run.
    write_lines(folder / "ratings.dat", ["1::1::1::978399999", "1::3::2::978300001"])

    report = movielens_import(path=folder)

    assert report.ratings_added == 1
    assert Rating.objects.get(user__profile__movielens_id=1, movie_id=1).stars == 5


def _read(tmp_path: Path, content: bytes):
    folder = ml1m_folder(tmp_path)
    (folder / "ratings.dat").write_bytes(content)
    return ratings_read(layout_detect(folder))


@pytest.mark.parametrize(
    "content",
    [
        b"1::2::3::978300760\n2::10::5::978300761\n",
        b"1::2::3::978300760\r\n2::10::5::978300761\r\n",
        b"1::2::3::978300760\n2::10::5::978300761",
        b"0001::2::03::978300760\n2::10::5::978300761\n",
    ],
)
def test_it_reads_lf_crlf_a_missing_last_newline_and_leading_zeros(tmp_path, content):
    ratings = _read(tmp_path, content)

    assert len(ratings) == 2
    assert ratings.user_ml.tolist() == [1, 2]
    assert ratings.movie.tolist() == [2, 10]
    assert ratings.stars.tolist() == [3, 5]
    assert ratings.timestamp.tolist() == [978300760, 978300761]


def test_it_reads_an_empty_file(tmp_path):
    assert len(_read(tmp_path, b"")) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1::2::3::4\n1:::2::3::4\n", "ratings.dat:2: fields must be whole numbers"),
        (b"1::2::3::4\n1::2::3:4\n", "ratings.dat:2: expected 4 fields, found 3"),
        (b"1::2::3::4\n\n1::2::3::4\n", "ratings.dat:2: expected 4 fields, found 1"),
        (b"1::2::3::4\n1::2::3:: 4\n", "ratings.dat:2: fields must be whole numbers"),
        (b"1::2::3::4\n1::2::3::-4\n", "ratings.dat:2: fields must be whole numbers"),
        (b"1::2::3::4\n1::2::3::4\r\r\n", "ratings.dat:2: malformed line"),
        (b"1::2::3::4\n3000000000::2::3::4\n", "ratings.dat:2: number too large"),
        (b"1::2::3::4\n1::2::3::" + b"9" * 19 + b"\n", "ratings.dat:2: number too large"),
        (b"1::2::3::4\n1::2::3::253402300800\n", "ratings.dat:2: timestamp 253402300800"),
        (b"1::2::3::4\n1::2::0::4\n", "ratings.dat:2: stars 0 outside 1-5"),
    ],
)
def test_it_names_the_first_bad_line(tmp_path, content, message):
    with pytest.raises(MovieLensFormatError) as caught:
        _read(tmp_path, content)

    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("share", "path"), [(10.0, INCREMENTAL), (0.0, BULK)])
def test_movie_rating_totals_follow_both_paths(tmp_path: Path, monkeypatch, share, path):
    monkeypatch.setattr(ratings_module, "BULK_MIN_SHARE", share)
    folder, lines = _all_pairs_folder(tmp_path)
    write_lines(folder / "ratings.dat", lines[:15])
    movielens_import(path=folder)
    write_lines(folder / "ratings.dat", lines)

    assert path in movielens_import(path=folder).phases
    for movie in Movie.objects.all():
        stars = list(Rating.objects.filter(movie=movie).values_list("stars", flat=True))
        assert (movie.rating_count, movie.rating_sum) == (len(stars), sum(stars))
    assert Movie.objects.get(id=1).rating_count == 4


def test_large_movie_ids_are_counted_too(tmp_path: Path):
    folder = ml1m_folder(
        tmp_path,
        movies=["1::Toy Story (1995)::Comedy", "2000000000::Far Away (2001)::Drama"],
        ratings=["1::2000000000::4::978300760", "2::2000000000::2::978300761", "2::1::5::1"],
    )

    movielens_import(path=folder)

    far = Movie.objects.get(id=2_000_000_000)
    assert (far.rating_count, far.rating_sum) == (2, 6)
    assert (Movie.objects.get(id=1).rating_count, Movie.objects.get(id=1).rating_sum) == (1, 5)
