"""Logging: plain or JSON lines, each carrying the request id or Celery task id it belongs to.

- ``RequestIdMiddleware`` takes the caller's ``X-Request-ID`` (a load balancer's, or a
  mobile client's) or makes one, returns it on the response, and keeps it in a contextvar
  for the length of the request, so every log line written while serving it can be found
  with one search.
- ``ContextFilter`` sits on the handler, not on a logger: records from every logger
  (Django's, Celery's, ours) pass through it, including those that propagate up.
- Celery workers use the same configuration: ``celery_logging_from_django`` answers
  Celery's ``setup_logging`` signal, which stops Celery from adding handlers of its own
  (lines written twice, and task lines formatted by Celery instead of us).
"""

import json
import logging
import logging.config
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery import current_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id goes into every log line: accept only short, plain tokens (no newlines or
# quotes that could forge log lines), otherwise make our own.
_REQUEST_ID_SHAPE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Successful health probes arrive every few seconds from Docker and load balancers.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})
LOG_FORMATS = ("plain", "json")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
request_logger = logging.getLogger("movierec.request")


class RequestIdMiddleware:
    """Put a request id on the request, the response and every log record in between."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            _request_log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)


def _request_id_from(header: str | None) -> str:
    if header and _REQUEST_ID_SHAPE.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _request_log(request, status: int, started: float) -> None:
    if status < 400 and request.path in _QUIET_PATHS:
        return
    request_logger.info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        status,
        (time.perf_counter() - started) * 1000,
        extra={"http_status": status},
    )


class ContextFilter(logging.Filter):
    """Add ``request_id`` and ``task_id`` (None outside a request / task) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a 4xx/5xx after the middleware has returned, but hands over
        # the request itself.
        request = getattr(record, "request", None)
        record.request_id = request_id_var.get() or getattr(request, "request_id", None)
        record.task_id = _celery_task_id()
        parts = [f"request_id={record.request_id}"] if record.request_id else []
        parts += [f"task_id={record.task_id}"] if record.task_id else []
        record.context = f"[{' '.join(parts)}] " if parts else ""
        return True


def _celery_task_id() -> str | None:
    # Celery's own notion of the running task (per thread, per process); None elsewhere.
    request = getattr(current_task, "request", None) if current_task else None
    return getattr(request, "id", None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors (Loki, CloudWatch, Elasticsearch)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "task_id": getattr(record, "task_id", None),
            "process": record.process,
        }
        if hasattr(record, "http_status"):
            entry["http_status"] = record.http_status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: one console handler, plain text or JSON."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT={log_format!r}; use plain or json.")
    if not isinstance(logging.getLevelName(level.upper()), int):
        raise ImproperlyConfigured(f"LOG_LEVEL={level!r} is not a logging level.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "movierec_site.logs.ContextFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(context)s%(message)s"},
            "json": {"()": "movierec_site.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level.upper()},
    }


def celery_logging_from_django(**kwargs) -> None:
    """Receiver for ``celery.signals.setup_logging``: workers and beat log like the web."""
    logging.config.dictConfig(settings.LOGGING)
