"""The servers a load run measures: gunicorn (worker class and count as given) and a Celery
worker for the refreshes that ratings queue, started from this checkout, on loopback."""

import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.common import OUT_DIR, ROOT

LOGS = OUT_DIR / "load-logs"
# As compose/web: a request that takes longer gets its worker replaced.
WORKER_TIMEOUT_S = 30


@dataclass(frozen=True)
class Gunicorn:
    workers: int
    worker_class: str = "sync"
    threads: int = 1

    def __str__(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread -w {self.workers} --threads {self.threads}"
        return f"{self.worker_class} -w {self.workers}"

    def command(self, port: int) -> list[str]:
        return [
            str(Path(sys.executable).with_name("gunicorn")),
            "movierec_site.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--threads", str(self.threads),
            "--timeout", str(WORKER_TIMEOUT_S),
            "--worker-tmp-dir", "/dev/shm",
            "--no-control-socket",
        ]  # fmt: skip


def servers_start(
    *, gunicorn: Gunicorn, port: int, env: dict[str, str], celery: bool
) -> list[subprocess.Popen]:
    """gunicorn, and a Celery worker on the default queue when `celery`; waits until
    gunicorn answers /healthz."""
    LOGS.mkdir(parents=True, exist_ok=True)
    commands = {"gunicorn": gunicorn.command(port)}
    if celery:
        name = f"loadbench-{uuid.uuid4().hex[:6]}@%h"
        commands["worker"] = [
            sys.executable, "-m", "celery", "-A", "movierec_site", "worker", "-Q", "celery",
            "--concurrency", "1", "-n", name, "--loglevel", "WARNING",
        ]  # fmt: skip
    processes = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=(LOGS / f"{label}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for label, command in commands.items()
    ]
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", processes[0])
    except BaseException:
        servers_stop(processes)
        raise
    return processes


def servers_stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {base}; see {LOGS.relative_to(ROOT)}/")
