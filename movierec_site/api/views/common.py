from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from movierec_site.api.fields import DB_INT_MAX


def object_id(value: str, what: str) -> int:
    """An id from the URL. Routes take any text there so that a malformed id is the API's JSON
    404, not the site's HTML one."""
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= DB_INT_MAX:
        raise NotFound(f"There is no {what} with id {value!r}.")
    return int(value)


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
        OpenApiParameter.PATH, description=description,
    )  # fmt: skip


@extend_schema(exclude=True)
class RouteNotFoundView(APIView):
    """Any other path under /api/: the API's JSON 404, not the site's HTML page."""

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        hint = "" if request.path.endswith("/") else " (API routes end with a slash)"
        raise NotFound(f"No API route {request.path}{hint}.")

    post = put = patch = delete = get
