"""Browsing: the movie list with search, filters and sorting; title suggestions; a movie's
own page."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from catalog.selectors import movie_list as movies_matching
from catalog.selectors import (
    movie_marks_for,
    movie_title_suggestions,
    movies_by_id,
    rating_stars_for,
)
from movierec_site.web.forms import MovieFilterForm
from recommender.serving import movie_similar_list

MOVIES_PER_PAGE = 24
SIMILAR_COUNT = 8
SUGGESTION_COUNT = 8
QUERY_MAX_LENGTH = 100  # as the movie list's search field
VISITOR_PAGE_SECONDS = 60


@require_GET
def movie_list_view(request):
    form = MovieFilterForm(request.GET)
    # get_page turns a page number that is not a number into the first page and one past
    # the end into the last, so a hand-edited URL never errors.
    page = Paginator(movies_matching(**form.filters()), MOVIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    ids = [movie.pk for movie in page]
    stars = rating_stars_for(user=request.user, movie_ids=ids)
    marks = movie_marks_for(user=request.user, movie_ids=ids)
    rows = [(movie, stars.get(movie.pk), *marks.get(movie.pk, (False, False))) for movie in page]
    context = {"form": form, "page": page, "rows": rows}
    return render(request, "web/movie_list.html", context)


@require_GET
def movie_detail_view(request, movie_id: int):
    """A visitor's page is the same for every visitor (no stars of their own, no forms), so
    its body is rendered once a minute at most; a signed-in person's is their own."""
    visitor = not request.user.is_authenticated
    key = f"web:movie:{movie_id}"
    page = cache.get(key) if visitor else None
    if page is None:
        page = _movie_page(request, movie_id)
        if visitor:
            cache.set(key, page, VISITOR_PAGE_SECONDS)
    title, body = page
    return render(request, "web/movie_detail.html", {"title": title, "body": mark_safe(body)})


def _movie_page(request, movie_id: int) -> tuple[str, str]:
    """(title, body) of a movie's page for this request's person."""
    movie = movies_by_id(ids=[movie_id]).get(movie_id)
    if movie is None:
        raise Http404("There is no such movie.")
    similar = movie_similar_list(movie_id=movie_id, limit=SIMILAR_COUNT)
    ids = [movie_id, *(m.pk for m in similar)]
    stars = rating_stars_for(user=request.user, movie_ids=ids)
    marks = movie_marks_for(user=request.user, movie_ids=ids)
    is_hidden, on_watchlist = marks.get(movie_id, (False, False))
    # A movie stays findable here whatever its marks; only the similar row leaves out what
    # this person hid (read with the marks, so it costs no query of its own).
    similar = [other for other in similar if not marks.get(other.pk, (False, False))[0]]
    context = {
        "movie": movie,
        "stars": stars.get(movie_id),
        "is_hidden": is_hidden,
        "on_watchlist": on_watchlist,
        "similar_rows": [
            (other, stars.get(other.pk), marks.get(other.pk, (False, False))[1])
            for other in similar
        ],
    }
    return movie.display_title, render_to_string(
        "web/_movie_detail_body.html", context, request=request
    )


@require_GET
def movie_suggest_view(request):
    """A few titles for the header search box, as someone types (htmx)."""
    query = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    movies = movie_title_suggestions(search=query, limit=SUGGESTION_COUNT)
    return render(request, "web/_movie_suggestions.html", {"movies": movies, "query": query})
