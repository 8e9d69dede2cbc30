"""OpenAPI generation: every operation documents the one error shape for the 4xx it can give."""

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `fields` names each problem.",
    "401": "Not authenticated, or the token is invalid or expired.",
    "403": "Authenticated but not allowed (e.g. staff only).",
    "404": "No such object, or no such page.",
    "409": "Conflicts with the current state.",
    "415": "Unsupported media type: send JSON.",
    "429": "Too many requests: wait `extra.retry_after` seconds.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable, e.g. `not_found`.")
    message = serializers.CharField(help_text="For people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Input field -> its problems; empty unless the error is about fields.",
    )
    extra = serializers.DictField(help_text="Context from the application, e.g. `run_id`.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def error_response(status: int) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[str(status)])


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_statuses():
            if code not in responses:
                response = error_response(int(code))
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _error_statuses(self) -> list[str]:
        codes = ["400", "401", "429"]
        if not self._is_public_read():
            codes.append("403")
        if re.search(r"{\w+}", self.path) or self._is_paginated_list():
            codes.append("404")
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("415")
        return codes

    def _is_public_read(self) -> bool:
        if self.method not in permissions.SAFE_METHODS:
            return False
        allowed = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
        return all(isinstance(p, allowed) for p in self.view.get_permissions())

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
