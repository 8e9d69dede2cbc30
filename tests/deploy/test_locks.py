"""The two locks, read as pip reads them: requirements.lock, all the production image
installs (what the project needs to run, nothing more), and requirements-dev.lock, what the
dev extra adds; every pin with the hashes `--require-hashes` checks downloads against."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.conftest import ROOT

RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
SHA256 = re.compile(r"--hash=sha256:([0-9a-f]*)")


def _read_lock(path: Path) -> dict[str, tuple[str, list[str]]]:
    """{name: (version, sha256 hashes)}; a pin may go on over lines ending in a backslash."""
    text = path.read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split()
        name, version = requirement.split("==")
        pins[canonicalize_name(name)] = (version, SHA256.findall(" ".join(options)))
    return pins


def _closure(direct: list[str]) -> set[str]:
    """Installed distributions `direct` needs, with extras, on this platform."""
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


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _runtime() -> set[str]:
    return _closure(_project()["dependencies"])


def _unpinned(lock: dict[str, tuple[str, list[str]]], names: set[str]) -> list[str]:
    """Each of `names` the lock does not pin at its installed version."""
    return sorted(
        f"{name}=={importlib.metadata.version(name)}"
        for name in names
        if lock.get(name, ("",))[0] != importlib.metadata.version(name)
    )


def test_the_runtime_lock_pins_every_package_the_project_needs_to_run():
    """The image installs this lock and nothing else: a runtime dependency missing from it
    would be missing from the image."""
    missing = _unpinned(_read_lock(RUNTIME_LOCK), _runtime())

    assert not missing, f"add to requirements.lock: {missing}"


def test_the_runtime_lock_holds_nothing_the_project_does_not_need_to_run():
    """Test and lint tools, and packages nothing needs, stay out of the production image."""
    extra = set(_read_lock(RUNTIME_LOCK)) - _runtime()

    assert not extra, f"not needed to run; move to requirements-dev.lock or drop: {extra}"


def test_the_dev_lock_pins_exactly_what_the_dev_extra_adds():
    dev = _closure(_project()["optional-dependencies"]["dev"]) - _runtime()
    lock = _read_lock(DEV_LOCK)

    assert _unpinned(lock, dev) == []
    assert set(lock) == dev


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_every_pin_carries_sha256_hashes(lock):
    pins = _read_lock(lock)

    assert pins
    for name, (_, hashes) in pins.items():
        assert hashes, f"{name} has no --hash"
        assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in hashes), name
