"""The image, as far as it can be checked without a Docker engine: the final stage read
with a Dockerfile parser, its command and its static-files step run here under its
environment, and how it installs the lock (test_locks.py: what the locks hold)."""

import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.deploy.conftest import PRODUCTION_ENV, ROOT

IMAGE_ROOT = "/app"  # where the Dockerfile copies the repository
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    # From a copy in memory: given a path, the parser may write back to the file.
    return DockerfileParser(fileobj=io.BytesIO((ROOT / "Dockerfile").read_bytes()))


def _final_stage(dockerfile: DockerfileParser) -> list[dict]:
    starts = [i for i, step in enumerate(dockerfile.structure) if step["instruction"] == "FROM"]
    return dockerfile.structure[starts[-1] :]


def _run_in_image_env(
    dockerfile: DockerfileParser, command: list[str], tmp_path: Path, **env: str
) -> subprocess.CompletedProcess:
    """`command` here with the final stage's ENV (its /app paths moved to this checkout,
    its var directory to `tmp_path`) and `env` on top. Nothing of this suite's own
    settings leaks in, except where PostgreSQL, Redis and Milvus are."""
    image = {k: v.replace(IMAGE_ROOT, str(ROOT)) for k, v in dockerfile.envs.items()}
    image["PATH"] = f"{tmp_path / 'bin'}:{VENV_BIN}:{os.environ['PATH']}"
    image["MOVIEREC_VAR_DIR"] = str(tmp_path / "var")
    image["MODEL_DIR"] = str(tmp_path / "var" / "models")
    services = {k: v for k, v in os.environ.items() if k.endswith("_URL") or k.endswith("_URI")}
    return subprocess.run(
        [part.replace(IMAGE_ROOT, str(ROOT)) for part in command],
        cwd=ROOT,
        env={"HOME": str(tmp_path), **services, **image, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _default_command(dockerfile, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The image's CMD (the web start script) with gunicorn told to load the app and stop
    (`--check-config`) instead of serving: the script's options and the app's start-up
    under the image's settings are the real ones."""
    (tmp_path / "bin").mkdir()
    gunicorn = tmp_path / "bin" / "gunicorn"
    gunicorn.write_text(f'#!/bin/sh\nexec "{VENV_BIN}/gunicorn" "$@" --check-config\n')
    gunicorn.chmod(0o755)
    return _run_in_image_env(dockerfile, json.loads(dockerfile.cmd), tmp_path, **env)


def test_every_stage_uses_the_python_these_tests_run_on(dockerfile):
    """The build stage's virtualenv is copied into the final stage, so both need the same
    Python; the lock was resolved, and this suite passes, on this interpreter's version."""
    versions = {image.split(":")[1].split("-")[0] for image in dockerfile.parent_images}

    assert len(dockerfile.parent_images) >= 2
    assert versions == {f"{sys.version_info.major}.{sys.version_info.minor}"}


def test_the_final_stage_runs_as_a_user_without_privileges(dockerfile):
    users = [step["value"] for step in _final_stage(dockerfile) if step["instruction"] == "USER"]

    assert users, "the final stage sets no USER: its processes would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_the_default_command_starts_the_app_under_the_images_settings(dockerfile, tmp_path):
    result = _default_command(dockerfile, tmp_path, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr


def test_the_image_refuses_to_start_without_a_deployments_secret_key(dockerfile, tmp_path):
    """The image carries no key of its own (not even the build step's throwaway one)."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _default_command(dockerfile, tmp_path, **env)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_static_files_collect_under_the_images_settings_with_a_throwaway_key(dockerfile, tmp_path):
    """The build step: WhiteNoise's manifest storage refuses a stylesheet that points at a
    missing file, so a broken reference fails the build, and here."""
    settings = tmp_path / "build_settings.py"
    settings.write_text(
        "from movierec_site.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    result = _run_in_image_env(
        dockerfile,
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        tmp_path,
        PYTHONPATH=f"{ROOT}:{tmp_path}",
        DJANGO_SETTINGS_MODULE="build_settings",
        SECRET_KEY="collectstatic-only-" + "0123456789abcdef" * 2,
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    ours = subprocess.run(
        ["git", "ls-files", "*/static/*"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ours
    assert {path.split("/static/", 1)[1] for path in ours} <= set(manifest)


def test_the_image_installs_the_runtime_lock_alone_checking_its_hashes(dockerfile):
    """Only requirements.lock reaches the image's virtualenv (tests/deploy/test_locks.py
    checks what it holds), every file checked against its hashes; the project itself
    brings nothing the lock does not name."""
    installs = [
        step["value"].split()
        for step in dockerfile.structure
        if step["instruction"] == "RUN" and "pip install" in step["value"]
    ]
    files = [words[i + 1] for words in installs for i, word in enumerate(words) if word == "-r"]

    assert files == ["requirements.lock"]
    assert all("--require-hashes" in words for words in installs if "-r" in words)
    assert all("--no-deps" in words for words in installs if "-r" not in words)


def test_the_build_stage_installs_every_package_of_the_project(dockerfile):
    """`pip install .` in the build stage sees only what was copied before it: a package
    left out would be missing from the installed project."""
    starts = [i for i, step in enumerate(dockerfile.structure) if step["instruction"] == "FROM"]
    build = dockerfile.structure[starts[0] : starts[1]]
    copied = {step["value"].split()[0] for step in build if step["instruction"] == "COPY"}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in patterns}
    assert packages <= copied, f"not copied before pip install: {packages - copied}"
    assert all((ROOT / package / "__init__.py").exists() for package in packages)
