import http.server
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

from catalog.movielens.download import Checksum, file_digest, movielens_download
from catalog.movielens.errors import MovieLensFormatError
from tests.movielens_files import ml1m_folder


@pytest.fixture
def served(tmp_path: Path):
    """A local HTTP server for tmp_path/www; yields its base URL."""
    www = tmp_path / "www"
    www.mkdir()
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(www))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield www, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _zip_of(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in folder.iterdir():
            bundle.write(path, f"ml-1m/{path.name}")


def _checksums(folder: Path) -> dict[str, Checksum]:
    return {
        "users.dat": Checksum("sha256", file_digest(folder / "users.dat", "sha256")),
        "ratings.dat": Checksum("git-blob", file_digest(folder / "ratings.dat", "git-blob")),
    }


def test_it_downloads_verifies_and_unpacks(tmp_path: Path, served):
    www, base = served
    source = ml1m_folder(tmp_path / "src")
    _zip_of(source, www / "ml-1m.zip")

    folder = movielens_download(
        cache_dir=tmp_path / "cache", url=f"{base}/ml-1m.zip", checksums=_checksums(source)
    )

    assert sorted(p.name for p in folder.iterdir()) == ["movies.dat", "ratings.dat", "users.dat"]
    assert (folder / "ratings.dat").read_bytes() == (source / "ratings.dat").read_bytes()


def test_a_checksum_mismatch_leaves_no_folder(tmp_path: Path, served):
    www, base = served
    source = ml1m_folder(tmp_path / "src")
    _zip_of(source, www / "ml-1m.zip")
    wrong = {"users.dat": Checksum("sha256", "0" * 64)}

    with pytest.raises(MovieLensFormatError, match=r"users\.dat: checksum mismatch"):
        movielens_download(cache_dir=tmp_path / "cache", url=f"{base}/ml-1m.zip", checksums=wrong)
    assert not (tmp_path / "cache" / "ml-1m").exists()


def test_a_missing_archive_is_a_clear_error(tmp_path: Path, served):
    _, base = served

    with pytest.raises(MovieLensFormatError, match="download failed"):
        movielens_download(cache_dir=tmp_path / "cache", url=f"{base}/nope.zip", checksums={})


def test_git_blob_digest_matches_git(tmp_path: Path):
    path = tmp_path / "ratings.dat"
    path.write_bytes(b"1::1193::5::978300760\n")
    result = subprocess.run(["git", "hash-object", str(path)], capture_output=True, check=True)

    assert file_digest(path, "git-blob") == result.stdout.decode().strip()
