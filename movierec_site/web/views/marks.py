""" "Not interested" and "Want to watch" (with htmx: the buttons swap themselves; without:
POST and redirect), and the pages listing each: "Hidden" and "Watchlist"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import hidden_movie_list, movie_marks_for, movies_by_id
from core.exceptions import ApplicationError
from movierec_site.web.forms import WatchlistSortForm
from movierec_site.web.views.ratings import is_htmx, next_url
from recommender.services.feedback import hidden_movie_set, watchlist_entry_set
from recommender.serving import watchlist_with_stars

MOVIES_PER_PAGE = 24
# The event a saved mark sends to the page, so the home page can offer updated picks.
MARKED_EVENT = "marked"
ON_OFF = {"1": True, "0": False}


@login_required
@require_POST
def movie_marks_view(request, movie_id: int):
    """One button's worth: `hidden` or `watchlist`, "1" to set it and "0" to undo it."""
    movie = movies_by_id(ids=[movie_id]).get(movie_id)
    if movie is None:
        raise Http404("There is no such movie.")
    hidden, listed = (
        ON_OFF.get(request.POST.get("hidden")),
        ON_OFF.get(request.POST.get("watchlist")),
    )
    try:
        if hidden is not None:
            hidden_movie_set(user=request.user, movie_id=movie_id, hidden=hidden)
            status = "Not interested: hidden from your picks." if hidden else "Back in your picks."
        elif listed is not None:
            watchlist_entry_set(user=request.user, movie_id=movie_id, listed=listed)
            status = "Added to your watchlist." if listed else "Removed from your watchlist."
        else:
            raise ApplicationError("Choose Not interested or Want to watch.")
    except ApplicationError as error:
        return _answer(request, movie, error.message, status_code=400)
    return _answer(request, movie, status)


@login_required
@require_GET
def hidden_list_view(request):
    page = Paginator(hidden_movie_list(user=request.user), MOVIES_PER_PAGE)
    return render(request, "web/hidden.html", {"page": page.get_page(request.GET.get("page"))})


@login_required
@require_GET
def watchlist_view(request):
    form = WatchlistSortForm(request.GET)
    # The whole watchlist is scored in one call, then paged: a person's own few dozen.
    entries = watchlist_with_stars(user=request.user, order=form.order())
    page = Paginator(entries, MOVIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/watchlist.html", {"form": form, "page": page})


def _answer(request, movie, status: str, status_code: int = 200):
    error = status if status_code != 200 else None
    if not is_htmx(request):
        if error:
            return render(request, "web/error.html", {"message": error}, status=status_code)
        messages.success(request, f"{movie.display_title}: {status}")
        return redirect(next_url(request, movie.pk))
    hidden, listed = movie_marks_for(user=request.user, movie_ids=[movie.pk]).get(
        movie.pk, (False, False)
    )
    context = {
        "movie": movie,
        "hidden": hidden,
        "watchlisted": listed,
        "error": error,
        "announce": status,
        "next": next_url(request, movie.pk),
    }
    response = render(request, "web/_marks_widget.html", context, status=status_code)
    if not error:
        response["HX-Trigger"] = MARKED_EVENT
    return response
