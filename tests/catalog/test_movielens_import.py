from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Movie, MovieLensImport, Profile, Rating
from catalog.movielens.errors import MovieLensFormatError
from catalog.services.movielens_import import DatasetMismatch, movielens_import
from tests.movielens_files import ML1M_RATINGS, ml1m_folder, ml100k_folder, write_lines

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> tuple[int, int, int]:
    return Profile.objects.count(), Movie.objects.count(), Rating.objects.count()


def test_it_imports_an_ml1m_folder(tmp_path: Path):
    report = movielens_import(path=ml1m_folder(tmp_path))

    assert (report.users_added, report.movies_added, report.ratings_added) == (4, 5, 7)
    assert _counts() == (4, 5, 7)
    profile = Profile.objects.get(movielens_id=4)
    assert (profile.gender, profile.age, profile.occupation) == ("F", 45, 7)
    assert profile.zip_code == "02460-1234"
    assert profile.user.username == "movielens-4"
    assert not profile.user.has_usable_password()
    rating = Rating.objects.get(user=Profile.objects.get(movielens_id=1).user, movie_id=1)
    assert rating.stars == 5
    assert int(rating.rated_at.timestamp()) == 978300760


def test_it_parses_titles_years_genres_and_latin1(tmp_path: Path):
    movielens_import(path=ml1m_folder(tmp_path))

    cite = Movie.objects.get(id=3)
    assert cite.title == "Cité des enfants perdus, La (1995)"
    assert (cite.year, cite.genres) == (1995, ["Adventure", "Sci-Fi"])
    assert Movie.objects.get(id=4).year is None
    assert Movie.objects.get(id=5).genres == []


def test_it_imports_an_ml100k_folder_onto_ml1m_codes(tmp_path: Path):
    report = movielens_import(path=ml100k_folder(tmp_path))

    assert (report.dataset, *_counts()) == ("ml-100k", 3, 3, 3)
    technician = Profile.objects.get(movielens_id=1)
    assert (technician.age, technician.occupation) == (18, 17)
    retiree = Profile.objects.get(movielens_id=2)
    assert (retiree.age, retiree.occupation) == (50, 0)
    assert Profile.objects.get(movielens_id=3).age == 1
    assert Movie.objects.get(id=1).genres == ["Animation", "Children's", "Comedy"]
    assert Movie.objects.get(id=3).genres == []


def test_a_second_run_adds_nothing(tmp_path: Path):
    folder = ml1m_folder(tmp_path)
    movielens_import(path=folder)

    report = movielens_import(path=folder)

    assert not report.added_anything
    assert _counts() == (4, 5, 7)
    assert MovieLensImport.objects.count() == 1


def test_a_run_with_new_lines_adds_only_those(tmp_path: Path):
    movielens_import(path=ml1m_folder(tmp_path))
    write_lines(tmp_path / "ml-1m" / "ratings.dat", [*ML1M_RATINGS, "3::1::4::978300000"])

    report = movielens_import(path=tmp_path / "ml-1m")

    assert (report.users_added, report.movies_added, report.ratings_added) == (0, 0, 1)
    assert _counts() == (4, 5, 8)


def test_it_refuses_the_other_dataset(tmp_path: Path):
    movielens_import(path=ml1m_folder(tmp_path))

    with pytest.raises(DatasetMismatch, match="holds ml-1m data"):
        movielens_import(path=ml100k_folder(tmp_path))
    assert _counts() == (4, 5, 7)


def test_it_refuses_a_folder_without_movielens_files(tmp_path: Path):
    with pytest.raises(MovieLensFormatError, match="not a MovieLens folder"):
        movielens_import(path=tmp_path)


BAD_LINES = [
    ("users", "5::F::25", "users.dat:5: expected 5 fields, found 3"),
    ("users", "5::X::25::1::1", "users.dat:5: gender 'X' is not F or M"),
    ("users", "5::F::26::1::1", "users.dat:5: age 26 is not an ml-1m age code"),
    ("users", "5::F::25::21::1", "users.dat:5: occupation 21 is not between 0 and 20"),
    ("users", "1::F::25::1::1", "users.dat:5: id 1 repeats line 1"),
    ("movies", "6::Film (2000)::Comedy|Cartoon", "movies.dat:6: unknown genre 'Cartoon'"),
    ("movies", "x::Film (2000)::Comedy", "movies.dat:6: movie id 'x' is not a whole number"),
    ("movies", "6::Bad\x00Title::Comedy", "movies.dat:6: bad encoding: control byte 0x00"),
    ("ratings", "1::3::4", "ratings.dat:8: expected 4 fields, found 3"),
    ("ratings", "1::3::4::9::9", "ratings.dat:8: expected 4 fields, found 5"),
    ("ratings", "1::3::6::978300760", "ratings.dat:8: stars 6 outside 1-5"),
    ("ratings", "1::3::0::978300760", "ratings.dat:8: stars 0 outside 1-5"),
    ("ratings", "99::3::4::978300760", "ratings.dat:8: unknown user id 99"),
    ("ratings", "1::99::4::978300760", "ratings.dat:8: unknown movie id 99"),
    ("ratings", "1::3::four::978300760", "ratings.dat:8: fields must be whole numbers"),
    ("ratings", "1::3::\xe9::978300760", "ratings.dat:8: bad encoding"),
]


@pytest.mark.parametrize(("which", "line", "message"), BAD_LINES)
def test_a_malformed_line_aborts_and_changes_nothing(tmp_path, which, line, message):
    movielens_import(path=ml1m_folder(tmp_path / "first"))
    before = _counts(), get_user_model().objects.count()
    folder = ml1m_folder(tmp_path / "second")
    original = {
        "users": ["1::F::1::10::48067", "2::M::56::16::70072", "3::M::25::15::55117"],
        "movies": [f"{n}::Movie {n} (1990)::Drama" for n in range(1, 6)],
        "ratings": ML1M_RATINGS,
    }
    lines = {**original, "users": [*original["users"], "4::F::45::7::02460"]}
    lines[which] = [*lines[which], line]
    for name, content in lines.items():
        write_lines(folder / f"{name}.dat", content)

    with pytest.raises(MovieLensFormatError) as caught:
        movielens_import(path=folder)

    assert str(caught.value).startswith(message)
    assert (_counts(), get_user_model().objects.count()) == before
    assert MovieLensImport.objects.count() == 1


def test_a_bad_ratings_line_in_a_first_import_leaves_the_database_empty(tmp_path: Path):
    folder = ml1m_folder(tmp_path, ratings=[*ML1M_RATINGS, "1::3::7::978300760"])

    with pytest.raises(MovieLensFormatError, match=r"ratings\.dat:8: stars 7"):
        movielens_import(path=folder)

    assert _counts() == (0, 0, 0)
    assert get_user_model().objects.count() == 0
