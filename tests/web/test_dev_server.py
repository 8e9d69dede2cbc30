"""The server `make demo` starts (Django's runserver: threaded, every request on a new
thread) as a subprocess, with a real Celery worker, through two people's journeys in a row:
sign up, rate, home, new picks. No answer may be a 5xx and its log may hold no traceback.

pytest's live_server would not do: it runs in the test's process, where the model was
already loaded on the main thread, which hid a Paddle serving path that failed on any
other thread (TypeError in the fold-in, then a segmentation fault)."""

import re
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.celery_worker import ROOT, celery_worker, wait_for, worker_env
from tests.web.helpers import rate_onboarding, sign_up

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # a new log record, after a traceback
SERVER_ERROR_LINE = re.compile(r"\b(GET|POST) \S+ 5\d\d\b|Internal Server Error|Traceback")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server(catalog, trained, tmp_path):
    """runserver on the test database, Redis db, Milvus server and trained model (the same
    environment the test worker gets), DEBUG on as `make demo` runs it; its URL and log."""
    log = tmp_path / "runserver.log"
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    env = {**worker_env(), "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
    with (
        celery_worker(f"devserver-{uuid.uuid4().hex[:8]}@%h", tmp_path / "worker.log"),
        log.open("ab") as handle,
    ):
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: _answers(url, server, log), 60, "runserver to answer", log)
            yield url, log
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _answers(url: str, server: subprocess.Popen, log: Path) -> bool:
    if server.poll() is not None:
        raise RuntimeError(f"runserver exited:\n{log.read_text()[-3000:]}")
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _journey(page, url: str, username: str) -> None:
    sign_up(page, url, username)
    rate_onboarding(page, 10)
    page.reload()
    picks = page.locator("#picks")
    expect(picks.get_by_text(re.compile("^For you: ")).first).to_be_visible()
    first = picks.locator("section").first.locator("article").first
    first.get_by_role("button", name="Rate 4 stars", exact=True).click()
    expect(first.locator(".rating-status")).to_have_text("Rated 4 stars.")
    page.get_by_role("button", name="Show updated picks").click()
    expect(page.get_by_role("heading", name="Top picks for you")).to_be_focused()
    page.goto(f"{url}/ratings/")
    expect(page.locator("article.movie-card")).to_have_count(11)


def test_two_people_in_a_row_never_meet_a_server_error(browser, dev_server):
    url, log = dev_server
    server_errors: list[str] = []
    for username in ("first-viewer", "second-viewer"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.on(
            "response",
            lambda response: (
                response.status >= 500
                and server_errors.append(
                    f"{response.status} {response.request.method} {response.url}"
                )
            ),
        )
        try:
            _journey(page, url, username)
        except (AssertionError, PlaywrightError) as error:
            raise AssertionError(
                f"{username}'s journey stopped: {str(error)[:600]}\n"
                f"server errors: {server_errors}\nserver log:\n{_log_tail(log)}"
            ) from error
        finally:
            context.close()

    assert not server_errors, server_errors
    problems = [line for line in log.read_text().splitlines() if SERVER_ERROR_LINE.search(line)]
    assert not problems, "\n".join(problems)


def _log_tail(log: Path) -> str:
    """The end of the last traceback in the server's log (where the error is named), or
    the log's last lines."""
    lines = log.read_text(errors="replace").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if not starts:
        return "\n".join(lines[-30:])
    block = lines[starts[-1] :]
    end = next((i for i, line in enumerate(block) if LOG_LINE.match(line)), len(block))
    return "\n".join(block[:end][-20:])
