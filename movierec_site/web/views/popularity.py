"""The popularity dial on the home page: where a person's picks sit between "hidden gems"
and "well known". With htmx the picks section comes back ranked by the new setting (the
radio keeps its id, so focus stays on it); without, a POST and a redirect home."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from movierec_site.web.views.home import DIAL_STEPS, picks_html
from movierec_site.web.views.ratings import is_htmx
from recommender.services.feedback import popularity_dial_set

LABELS = dict(DIAL_STEPS)


@login_required
@require_POST
def popularity_dial_view(request):
    value = request.POST.get("popularity", "")
    popularity = int(value) if value.lstrip("-").isdigit() else None
    try:
        popularity_dial_set(user=request.user, popularity=popularity)
    except ApplicationError as error:
        if is_htmx(request):
            return HttpResponse(error.message, status=400)
        messages.error(request, error.message)
        return redirect("home")
    status = f"Your picks now lean toward: {LABELS[popularity]}."
    if not is_htmx(request):
        messages.success(request, status)
        return redirect("home")
    hide = [int(part) for part in request.POST.get("hide", "").split(",") if part.isdigit()]
    announcer = format_html('<div id="announcer" hx-swap-oob="innerHTML">{}</div>', status)
    return HttpResponse(picks_html(request, hide=hide) + announcer)
