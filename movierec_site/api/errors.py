"""The API's one error shape, for every 4xx a client can receive:

    {"error": {"code": "not_found", "message": "...", "fields": {"stars": ["..."]}, "extra": {}}}

`code` is stable and machine-readable; `message` is for people; `fields` maps an input field
to its problems (empty when the error is not about one field); `extra` carries what the
application attached (e.g. the id of the training run that is in the way).
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.exceptions import ApplicationError
from core.limits import TooManyAttempts


class Refused(exceptions.APIException):
    """An ApplicationError from a service, with the status this route gives it."""

    def __init__(self, error: ApplicationError, status_code: int, code: str):
        super().__init__(error.message, code)
        self.status_code = status_code
        self.application_error = error


@contextmanager
def application_errors_as(status_code: int, code: str):
    """Answer a service's ApplicationError with `status_code` (409 for a conflict, 404 for a
    missing object) instead of the default 400."""
    try:
        yield
    except ApplicationError as error:
        raise Refused(error, status_code, code) from error


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: anything a client caused becomes the one error shape; any
    other exception is left to Django (a 500, logged)."""
    if isinstance(exc, TooManyAttempts):  # log-in and sign-up limits: as a throttle answers
        exc = Refused(exc, status.HTTP_429_TOO_MANY_REQUESTS, "throttled")
        exc.wait = exc.application_error.retry_after
    elif isinstance(exc, ApplicationError):
        exc = Refused(exc, status.HTTP_400_BAD_REQUEST, "invalid")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response({"error": error_body(exc)}, status=exc.status_code, headers=headers)


def error_body(exc: exceptions.APIException) -> dict:
    code, message, fields, extra = _code(exc), _message(exc.detail), {}, {}
    if isinstance(exc, Refused):
        extra = dict(exc.application_error.extra)
        field = extra.pop("field", None)
        if field:
            fields = {field: [exc.application_error.message]}
    elif isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        message = _validation_message(exc.detail, fields)
    elif isinstance(exc, exceptions.Throttled):
        extra = {"retry_after": exc.wait}
    return {"code": code, "message": message, "fields": fields, "extra": extra}


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    # simplejwt's token errors carry their code inside a dict detail.
    if isinstance(exc.detail, dict) and isinstance(exc.detail.get("code"), str):
        return str(exc.detail["code"])
    return exc.default_code


def _message(detail) -> str:
    if isinstance(detail, dict):
        if "detail" in detail:
            return str(detail["detail"])
        return "Invalid input."
    if isinstance(detail, list):
        return " ".join(_flatten(detail)) or "Invalid input."
    return str(detail)


def _validation_message(detail, fields: dict) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(detail)) or "Invalid input."
    general = fields.pop("non_field_errors", None)
    if general:
        return " ".join(general)
    names = ", ".join(sorted(fields))
    return f"Check these fields: {names}." if names else "Invalid input."


def _fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """{"a": ["..."], "items.0.b": ["..."]} from DRF's nested error detail."""
    if not isinstance(detail, dict):
        return {prefix or "non_field_errors": _flatten(detail)}
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        key = f"{prefix}.{name}" if prefix else str(name)
        if isinstance(value, dict):
            fields.update(_fields(value, key))
        else:
            fields[key] = _flatten(value)
    return fields


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [message for item in value.values() for message in _flatten(item)]
    if isinstance(value, list):
        return [message for item in value for message in _flatten(item)]
    return [str(value)]
