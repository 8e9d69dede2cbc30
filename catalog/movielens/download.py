"""Fetching the official ml-1m.zip from GroupLens and checking it before use."""

import hashlib
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalog.movielens.errors import MovieLensFormatError

ML_1M_URL = "https://files.grouplens.org/datasets/movielens/ml-1m.zip"


@dataclass(frozen=True)
class Checksum:
    algorithm: str  # "sha256", or "git-blob" (SHA-1 of git's blob header and the bytes)
    hexdigest: str


# From the files as GroupLens publishes them (ml-1m/README of the shared data notes).
ML_1M_CHECKSUMS = {
    "users.dat": Checksum(
        "sha256", "1dc3a95300cb19f7c10e027daf29b8cdf1d908dab65b5edfb45950aa389a10a3"
    ),
    "movies.dat": Checksum(
        "sha256", "0140fc2356357c1a851d0f52e893a1e4d3696df632c4141cea8d5bc3d621f0b9"
    ),
    "ratings.dat": Checksum("git-blob", "77a7c4b150f588c23bb9e1f068aa996c0b413695"),
}


def movielens_download(
    *,
    cache_dir: Path,
    url: str = ML_1M_URL,
    checksums: dict[str, Checksum] = ML_1M_CHECKSUMS,
    on_progress: Callable[[int, int], None] | None = None,
) -> Path:
    """The verified ml-1m folder under `cache_dir`, downloading it if it is not there yet.

    The folder only appears once every file has passed its checksum, so an interrupted or
    corrupt download is never mistaken for a good one.
    """
    target = cache_dir / "ml-1m"
    if target.is_dir():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as work:
        archive = Path(work) / "ml-1m.zip"
        _fetch(url, archive, on_progress)
        unpacked = _unzip(archive, Path(work) / "unpacked")
        _verify(unpacked, checksums)
        unpacked.rename(target)
    return target


def _fetch(url: str, dest: Path, on_progress) -> None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response, dest.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            while block := response.read(1 << 20):
                out.write(block)
                if on_progress:
                    on_progress(len(block), total)
    except OSError as error:
        raise MovieLensFormatError(url, None, f"download failed: {error}") from error


def _unzip(archive: Path, dest: Path) -> Path:
    try:
        with zipfile.ZipFile(archive) as bundle:
            bad = bundle.testzip()
            if bad:
                raise MovieLensFormatError(archive.name, None, f"corrupt member {bad}")
            names = [name for name in bundle.namelist() if name.endswith(".dat")]
            for name in names:
                member = dest / Path(name).name  # flatten: never trust paths inside a zip
                member.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(name) as source, member.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except zipfile.BadZipFile as error:
        raise MovieLensFormatError(archive.name, None, f"not a zip archive: {error}") from None
    return dest


def _verify(folder: Path, checksums: dict[str, Checksum]) -> None:
    for name, expected in checksums.items():
        path = folder / name
        if not path.is_file():
            raise MovieLensFormatError(name, None, "missing from the downloaded archive")
        actual = file_digest(path, expected.algorithm)
        if actual != expected.hexdigest:
            raise MovieLensFormatError(
                name, None, f"checksum mismatch: expected {expected.hexdigest}, got {actual}"
            )


def file_digest(path: Path, algorithm: str) -> str:
    if algorithm == "sha256":
        digest = hashlib.sha256()
    elif algorithm == "git-blob":
        digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    else:
        raise ValueError(f"unknown checksum algorithm {algorithm!r}")
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
