"""/favicon.ico, which browsers and crawlers request whatever a page links."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon_view(request):
    # Resolved per request: in production the static name is hashed by collectstatic.
    return redirect(static("web/favicon.ico"), permanent=True)
