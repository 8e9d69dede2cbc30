"""The Dockerfile and the lock it installs from."""

import importlib.metadata
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_it_builds_on_python_311_slim():
    assert re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE) == [
        "python:3.11-slim",
        "python:3.11-slim",
    ]


def test_it_installs_the_lock_then_the_project_without_dependencies():
    assert "pip install --require-virtualenv -r requirements.lock" in DOCKERFILE
    assert "pip install --require-virtualenv --no-deps ." in DOCKERFILE


def test_it_runs_as_a_user_without_privileges():
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)

    assert users == ["movierec"]


def test_static_files_are_collected_with_a_key_that_is_not_kept():
    assert "collectstatic --no-input" in DOCKERFILE
    assert not re.search(r"^ENV .*SECRET_KEY", DOCKERFILE, re.MULTILINE)


def test_the_lock_pins_every_package_the_project_needs_to_run():
    """The image installs the lock and nothing else: a runtime dependency missing from it
    would be missing from the image."""
    locked = {
        canonicalize_name(name): version
        for name, version in (
            line.split("==") for line in (ROOT / "requirements.lock").read_text().split()
        )
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    missing = []
    for requirement in _runtime_closure(project["dependencies"]):
        name = canonicalize_name(requirement)
        if locked.get(name) != importlib.metadata.version(name):
            missing.append(f"{requirement}=={importlib.metadata.version(name)}")

    assert not missing, f"add to requirements.lock: {missing}"


def _runtime_closure(direct: list[str]) -> set[str]:
    """Installed distributions the direct dependencies need, with extras, on this platform."""
    seen: dict[str, set[str]] = {}
    pending = [Requirement(spec) for spec in direct]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        extras = seen.get(name)
        if extras is not None and set(requirement.extras) <= extras:
            continue
        seen[name] = (extras or set()) | set(requirement.extras)
        for spec in importlib.metadata.requires(name) or []:
            needed = Requirement(spec)
            wanted = ["", *sorted(seen[name])]
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in wanted):
                pending.append(needed)
    return set(seen)
