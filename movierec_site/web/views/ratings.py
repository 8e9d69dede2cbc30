"""Rating a movie (with htmx: the widget swaps itself; without: POST and redirect), and
the "My ratings" page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import movies_by_id, rating_list, rating_stars_for
from core.exceptions import ApplicationError
from movierec_site.web.forms import RatingSortForm
from recommender.services.feedback import rating_submit, rating_withdraw

RATINGS_PER_PAGE = 25
# The event a saved rating sends to the page, so the home page can reload its picks.
RATED_EVENT = "rated"


@login_required
@require_POST
def rating_set_view(request, movie_id: int):
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        stars = None  # the service refuses it with the message a person should see
    try:
        rating_submit(user=request.user, movie_id=movie_id, stars=stars)
    except ApplicationError as error:
        return _refused(request, movie_id, error.message)
    return _saved(request, movie_id, stars, f"Rated {stars} star{'s' if stars > 1 else ''}.")


@login_required
@require_POST
def rating_remove_view(request, movie_id: int):
    # A rating of a movie that does not exist cannot be there to remove, and there is no
    # widget to send back for it: say so, rather than pretend it was removed.
    if not movies_by_id(ids=[movie_id]):
        raise Http404("There is no such movie.")
    try:
        removed = rating_withdraw(user=request.user, movie_id=movie_id)
    except ApplicationError as error:
        return _refused(request, movie_id, error.message)
    return _saved(request, movie_id, None, "Rating removed." if removed else "Not rated.")


@login_required
@require_GET
def my_ratings_view(request):
    form = RatingSortForm(request.GET)
    page = Paginator(rating_list(user=request.user, order=form.order()), RATINGS_PER_PAGE)
    context = {"form": form, "page": page.get_page(request.GET.get("page"))}
    return render(request, "web/my_ratings.html", context)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def next_url(request, movie_id: int) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("movie_detail", args=[movie_id])


def _saved(request, movie_id: int, stars: int | None, status: str):
    if not is_htmx(request):
        messages.success(request, status)
        return redirect(next_url(request, movie_id))
    movie = movies_by_id(ids=[movie_id])[movie_id]
    target = next_url(request, movie_id)
    # "announce" also sends the status to the page's live region (see _rating_widget.html).
    context = {
        "movie": movie,
        "stars": stars,
        "status": status,
        "announce": status,
        "next": target,
    }
    response = render(request, "web/_rating_widget.html", context)
    response["HX-Trigger"] = RATED_EVENT
    return response


def _refused(request, movie_id: int, message: str):
    movie = movies_by_id(ids=[movie_id]).get(movie_id)
    if is_htmx(request) and movie is not None:
        context = {
            "movie": movie,
            "stars": rating_stars_for(user=request.user, movie_ids=[movie_id]).get(movie_id),
            "error": message,
            "announce": message,
            "next": next_url(request, movie_id),
        }
        return render(request, "web/_rating_widget.html", context, status=400)
    return render(request, "web/error.html", {"message": message}, status=400)
