"""Onboarding by groups: a newcomer ticks the groups of movies they like (with htmx the
form swaps itself and the picks below reload; without, a POST and a redirect home)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from movierec_site.web.views.ratings import is_htmx
from recommender.services.feedback import group_picks_submit
from recommender.serving.groups import onboarding_groups

# The event saved picks send to the page: the home page's picks reload on it.
PICKED_EVENT = "marked"


@login_required
@require_POST
def onboarding_picks_view(request):
    group_ids = [int(value) for value in request.POST.getlist("group") if value.isdigit()]
    try:
        changed = group_picks_submit(user=request.user, group_ids=group_ids)
    except ApplicationError as error:
        if not is_htmx(request):
            return render(request, "web/error.html", {"message": error.message}, status=400)
        return _form(request, error=error.message, status=400)
    status = "Your groups are saved: your picks below follow them." if changed else "No change."
    if not is_htmx(request):
        messages.success(request, status)
        return redirect("home")
    response = _form(request, announce=status)
    if changed:
        response["HX-Trigger"] = PICKED_EVENT
    return response


def _form(request, *, error: str | None = None, announce: str | None = None, status: int = 200):
    context = {"groups": onboarding_groups(user=request.user), "error": error, "announce": announce}
    return render(request, "web/_onboarding_groups.html", context, status=status)
