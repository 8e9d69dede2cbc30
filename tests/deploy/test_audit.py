"""scripts/audit (`make audit`, run by CI): pip-audit on both locks against PyPI's advisory
data. A known vulnerability fails; an advisory service out of reach is a skip that says so;
any other failure of pip-audit fails. pip-audit is replaced by a stand-in module, found
first on PYTHONPATH, that answers as pip-audit does (its JSON report, its exit codes)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT

CLEAN = {"name": "six", "version": "1.17.0", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.19",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": ["CVE-2099-1"]}],
}
NOT_FOUND = {
    "name": "amqp",
    "skip_reason": "Dependency not found on PyPI and could not be audited: amqp (5.4.2)",
}
CONNECTION_ERROR = (
    "Traceback (most recent call last):\n  ...\n"
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): "
    "Max retries exceeded with url: /pypi/six/1.17.0/json\n"
)


@pytest.fixture
def audit(tmp_path: Path):
    """Run scripts/audit with pip-audit answering `report` (JSON on stdout), `stderr` and
    `exit_code`; (result, the arguments pip-audit was given)."""

    def run(*, report=None, stderr: str = "", exit_code: int = 0):
        stand_in = tmp_path / "pip_audit"
        stand_in.mkdir(exist_ok=True)
        (stand_in / "__init__.py").write_text("")
        (stand_in / "__main__.py").write_text(
            textwrap.dedent(f"""
                import json, sys
                with open({str(tmp_path / "argv.json")!r}, "w") as f:
                    json.dump(sys.argv[1:], f)
                sys.stdout.write({json.dumps(report) if report is not None else ""!r})
                sys.stderr.write({stderr!r})
                sys.exit({exit_code})
            """)
        )
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "audit")],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result, json.loads((tmp_path / "argv.json").read_text())

    return run


def _report(*dependencies: dict) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def test_it_audits_both_locks_against_pypi(audit):
    _, argv = audit(report=_report(CLEAN))

    locks = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-r"]
    assert [Path(lock).resolve() for lock in locks] == [
        ROOT / "requirements.lock",
        ROOT / "requirements-dev.lock",
    ]
    assert argv[argv.index("--vulnerability-service") + 1] == "pypi"


def test_a_known_vulnerability_fails_the_audit_naming_it(audit):
    result, _ = audit(report=_report(CLEAN, VULNERABLE), exit_code=1)

    assert result.returncode == 1
    assert "django 5.2.19" in result.stdout
    assert "PYSEC-2099-1" in result.stdout
    assert "5.2.20" in result.stdout


def test_no_known_vulnerability_passes(audit):
    result, _ = audit(report=_report(CLEAN, NOT_FOUND))

    assert result.returncode == 0
    assert "no known vulnerabilities in 1 of 2" in result.stdout
    assert "amqp" in result.stdout  # the one it could not check is named


def test_an_advisory_service_out_of_reach_is_a_skip_that_says_so(audit):
    result, _ = audit(stderr=CONNECTION_ERROR, exit_code=1)

    assert result.returncode == 0
    assert "audit skipped" in result.stdout
    assert "cannot be reached" in result.stdout


def test_a_service_that_knows_none_of_the_pins_is_a_skip_that_says_so(audit):
    result, _ = audit(report=_report(NOT_FOUND))

    assert result.returncode == 0
    assert "audit skipped" in result.stdout
    assert NOT_FOUND["skip_reason"] in result.stdout


def test_any_other_failure_of_pip_audit_fails(audit):
    """A broken lock (say, a bad hash line) must not pass for an offline skip."""
    result, _ = audit(stderr="ERROR:pip_audit._cli:invalid requirement\n", exit_code=1)

    assert result.returncode != 0
    assert "invalid requirement" in result.stderr
