"""Which MovieLens distribution a folder holds, and where its three files are."""

from dataclasses import dataclass
from pathlib import Path

from catalog.movielens.errors import MovieLensFormatError

ML_1M = "ml-1m"
ML_100K = "ml-100k"
ENCODING = "latin-1"  # both distributions are latin-1, not UTF-8

_FILES = {
    ML_1M: ("users.dat", "movies.dat", "ratings.dat"),
    ML_100K: ("u.user", "u.item", "u.data"),
}
# Field separators: of the users and movies files, then of the ratings file.
_SEPARATORS = {ML_1M: ("::", "::"), ML_100K: ("|", "\t")}


@dataclass(frozen=True)
class Layout:
    dataset: str
    folder: Path
    users: Path
    movies: Path
    ratings: Path
    separator: str
    ratings_separator: str


def layout_detect(folder: Path) -> Layout:
    """The layout of `folder`, or a clear error naming what is missing."""
    if not folder.is_dir():
        raise MovieLensFormatError(str(folder), None, "not a folder")
    for dataset, names in _FILES.items():
        paths = [folder / name for name in names]
        if all(path.is_file() for path in paths):
            return Layout(dataset, folder, *paths, *_SEPARATORS[dataset])
    expected = " or ".join(", ".join(names) for names in _FILES.values())
    raise MovieLensFormatError(str(folder), None, f"not a MovieLens folder: expected {expected}")
