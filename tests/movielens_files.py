"""Small MovieLens folders in the original formats, generated for tests.

The real data may not be redistributed, so tests write their own: a handful of users and
movies with every field kind, in ml-1m (`::`, latin-1) and ml-100k (`|` and tab) layouts.
"""

from pathlib import Path

ML1M_USERS = [
    "1::F::1::10::48067",
    "2::M::56::16::70072",
    "3::M::25::15::55117",
    "4::F::45::7::02460-1234",
]
ML1M_MOVIES = [
    "1::Toy Story (1995)::Animation|Children's|Comedy",
    "2::Jumanji (1995)::Adventure|Children's|Fantasy",
    "3::Cité des enfants perdus, La (1995)::Adventure|Sci-Fi",
    "4::Untitled::Drama",
    "5::Heat (1995)::",
]
ML1M_RATINGS = [
    "1::1::5::978300760",
    "1::2::3::978302109",
    "2::1::4::978301968",
    "2::3::1::978300275",
    "3::4::2::978824291",
    "4::5::5::978302268",
    "4::1::3::978302039",
]

ML100K_USERS = ["1|24|M|technician|85711", "2|53|F|other|94043", "3|17|M|student|32067"]
ML100K_GENRES = "|".join(["0"] * 19)


def _item(movie_id: int, title: str, flags: str = ML100K_GENRES) -> str:
    return f"{movie_id}|{title}|01-Jan-1995||http://example.invalid/{movie_id}|{flags}"


ML100K_MOVIES = [
    _item(1, "Toy Story (1995)", "|".join("0001110000000000000")),
    _item(2, "GoldenEye (1995)", "|".join("0110000000000000100")),
    _item(3, "unknown", "|".join("1000000000000000000")),
]
ML100K_RATINGS = ["1\t1\t5\t881250949", "2\t1\t3\t891717742", "3\t2\t1\t878887116"]


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes("".join(line + "\n" for line in lines).encode("latin-1"))


def ml1m_folder(root: Path, *, users=None, movies=None, ratings=None) -> Path:
    folder = root / "ml-1m"
    folder.mkdir(parents=True, exist_ok=True)
    write_lines(folder / "users.dat", ML1M_USERS if users is None else users)
    write_lines(folder / "movies.dat", ML1M_MOVIES if movies is None else movies)
    write_lines(folder / "ratings.dat", ML1M_RATINGS if ratings is None else ratings)
    return folder


def ml100k_folder(root: Path) -> Path:
    folder = root / "ml-100k"
    folder.mkdir(parents=True, exist_ok=True)
    write_lines(folder / "u.user", ML100K_USERS)
    write_lines(folder / "u.item", ML100K_MOVIES)
    write_lines(folder / "u.data", ML100K_RATINGS)
    return folder
