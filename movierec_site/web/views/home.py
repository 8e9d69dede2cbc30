"""The home page: picks for a signed-in person, popular movies for a visitor.

The signed-in page is the heaviest thing the site renders (sixty cards, each with its
rating form) and the page people load most, so the whole page is rendered once per list
state and kept in the cache, as is the picks section the page reloads after a rating: the
key is the person's recommendation state (model version, their ratings, their demographics:
recommendation_state, one query), so a rating, a new model or a profile change shows on the
next view. What else the page shows of the person (name, staff links) is in the key too;
their rating count and onboarding cards follow their ratings, so the state implies them
and a cached page asks for neither. Each form's CSRF token is a slot filled per request,
so a cached page never carries another session's token.
"""

import hashlib

from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from catalog.selectors import (
    movie_excluded_ids,
    movie_onboarding_list,
    movie_popular_ids,
    movies_by_id,
    profile_for,
    rating_count_of,
    rating_stars_by_movie,
)
from core.exceptions import ApplicationError
from recommender.serving import recommendation_list, recommendation_state
from recommender.serving.groups import onboarding_groups

# The popularity dial's steps (recommender.model.ranking.POPULARITY_STEPS) as the page names them.
DIAL_STEPS = (
    (-2, "Hidden gems"),
    (-1, "Lesser known"),
    (0, "Balanced"),
    (1, "Better known"),
    (2, "Well known"),
)
ONBOARDING_TARGET = 10
ONBOARDING_SIZE = 12
TOP_PICKS = 12
LIST_FETCH = 60
BECAUSE_ROWS, BECAUSE_ROW_SIZE = 3, 6
# A row's heading before the title of the movie it rests on (recommendation kinds).
BECAUSE_HEADINGS = {
    "rated": "Because you rated",
    "watchlist": "Because you want to watch",
    "picked": "Because you picked the group with",
}
POPULAR_SIZE = 12
PICKS_CACHE_SECONDS = 600  # a safety net: the key changes whenever the picks would
PAGE_CACHE_SECONDS = PICKS_CACHE_SECONDS
CSRF_SLOT = "csrf-token-slot-8d1f"
VISITOR_POPULAR_KEY, VISITOR_POPULAR_SECONDS = "web:visitor-popular", 60


@require_GET
def home_view(request):
    if not request.user.is_authenticated:
        return render(request, "web/home_visitor.html", {"popular": _visitor_popular_html()})
    user, state = request.user, recommendation_state(user=request.user)
    # A page with messages to show is rendered for this request alone: they are shown once.
    messages = get_messages(request)
    key = f"web:home:{state}:{_shown_of(user)}" if state and not messages else None
    html = cache.get(key) if key else None
    if html is None:
        onboarding, groups = [], []
        if rating_count_of(user=user) < ONBOARDING_TARGET:
            onboarding = movie_onboarding_list(user=user, limit=ONBOARDING_SIZE)
            groups = _groups_of(user)
        picks, personal = _picks_render(user, state, hide=[movie.pk for movie in onboarding])
        # Rendered without the request, as the picks are: nothing per request may enter a
        # cached page.
        html = render_to_string(
            "web/home.html",
            {
                "onboarding": onboarding,
                "groups": groups,
                "picks": mark_safe(picks),
                "user": user,
                "csrf_token": CSRF_SLOT,
                "messages": messages,
                "next": reverse("home"),
            },
        )
        if key and personal:
            cache.set(key, html, PAGE_CACHE_SECONDS)
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))


def _groups_of(user) -> list:
    """The groups of movies a newcomer may pick from; none while no model serves (the
    groups are clusters of its vectors). The picks move the list state, so the cached page
    shows them as they are."""
    try:
        return onboarding_groups(user=user)
    except ApplicationError:
        return []


def _shown_of(user) -> str:
    """What the page shows of the person beside their list (their name, the staff links),
    short enough for a cache key: an admin's change to either shows on the next view."""
    shown = f"{user.get_username()}\0{user.is_staff}".encode()
    return hashlib.blake2b(shown, digest_size=8).hexdigest()


@login_required
@require_GET
def home_picks_view(request):
    """The picks section alone, which the home page reloads after each rating. `hide` lists
    the movies the page shows elsewhere (the onboarding cards), so none is shown twice."""
    hide = [int(part) for part in request.GET.get("hide", "").split(",") if part.isdigit()]
    return HttpResponse(picks_html(request, hide=hide))


def _visitor_popular_html() -> str:
    """The same for every visitor (no rating forms), so rendered once a minute at most."""
    html = cache.get(VISITOR_POPULAR_KEY)
    if html is None:
        movies = movies_by_id(ids=movie_popular_ids(limit=POPULAR_SIZE * 2))
        popular = sorted(movies.values(), key=lambda movie: -movie.rating_count)
        html = render_to_string("web/_popular_grid.html", {"popular": popular})
        cache.set(VISITOR_POPULAR_KEY, html, VISITOR_POPULAR_SECONDS)
    return mark_safe(html)


def picks_html(request, *, hide: list[int]) -> str:
    """The picks section for the signed-in person, from the cache when their list has not
    changed since it was rendered."""
    html, _ = _picks_render(request.user, recommendation_state(user=request.user), hide=hide)
    return mark_safe(html.replace(CSRF_SLOT, get_token(request)))


def _picks_render(user, state: str | None, *, hide: list[int]) -> tuple[str, bool]:
    """(the picks section with CSRF slots, whether it is personal). Popular stand-ins
    (fallback) are not cached, nor are pages around them: they get personal soon."""
    key = f"web:picks:{state}:{','.join(map(str, sorted(hide)))}" if state else None
    html = cache.get(key) if key else None
    if html is not None:
        return html, True
    context = picks_context(user, hide=hide)
    # Rendered without the request: nothing per request may enter a cached fragment.
    html = render_to_string(
        "web/_home_picks.html",
        {**context, "user": user, "csrf_token": CSRF_SLOT, "next": reverse("home")},
    )
    personal = not context["page"].fallback
    if key and personal:
        cache.set(key, html, PICKS_CACHE_SECONDS)
    return html, personal


def picks_context(user, *, hide: list[int]) -> dict:
    page = recommendation_list(user=user, limit=LIST_FETCH)
    items = [item for item in page.items if item.movie.pk not in hide]
    top, rest = _by_predicted_stars(items[:TOP_PICKS]), items[TOP_PICKS:]
    shown = {item.movie.pk for item in page.items} | set(hide)
    rated_count = rating_count_of(user=user)
    return {
        "page": page,
        "top_picks": top,
        "because_rows": _because_rows(rest),
        "popular_like_you": _popular_like_you(user, exclude=shown),
        "rated_count": rated_count,
        "ratings_to_go": max(ONBOARDING_TARGET - rated_count, 0),
        "onboarding_target": ONBOARDING_TARGET,
        "hide": ",".join(map(str, hide)),
        "popularity": page.popularity,
        "dial_steps": DIAL_STEPS,
    }


def _by_predicted_stars(items: list) -> list:
    """A row of picks, highest predicted stars first, so the order on the page never
    contradicts the "For you" stars on its cards. The ranker chose the row (by how likely
    the person is to watch and like each movie); the stars come from the model's rating
    head, which can disagree with the ranker's order. Popular fallback picks have no stars
    and keep their order (the sort is stable)."""
    return sorted(items, key=lambda item: -(item.predicted_stars or 0))


def _because_rows(items) -> list[dict]:
    """The picks explained by one movie (liked, watchlisted or picked), one row per such
    movie, fullest first."""
    groups: dict[tuple[int, str], list] = {}
    for item in items:
        if item.because_movie_id is not None:
            groups.setdefault((item.because_movie_id, item.because_kind), []).append(item)
    fullest = sorted(groups.items(), key=lambda group: -len(group[1]))[:BECAUSE_ROWS]
    titles = movies_by_id(ids=[movie_id for (movie_id, _), _ in fullest])
    return [
        {
            "because": titles[movie_id],
            "heading": BECAUSE_HEADINGS[kind],
            "items": _by_predicted_stars(group[:BECAUSE_ROW_SIZE]),
        }
        for (movie_id, kind), group in fullest
        if len(group) > 1 and movie_id in titles
    ]


def _popular_like_you(user, *, exclude: set[int]) -> list:
    """Most-rated among people of the same gender and age bracket, not rated, hidden,
    watchlisted nor shown."""
    profile = profile_for(user=user)
    if profile is None:
        return []
    ids = movie_popular_ids(gender=profile.gender, age=profile.age, limit=POPULAR_SIZE * 5)
    # Hidden and watchlisted movies are left out as the picks leave them out, so every card
    # on this page is unmarked and the page can be cached per list state.
    seen = set(rating_stars_by_movie(user=user)) | movie_excluded_ids(user=user) | exclude
    fresh = [movie_id for movie_id in ids if movie_id not in seen]
    movies = movies_by_id(ids=fresh[:POPULAR_SIZE])
    return [movies[movie_id] for movie_id in fresh[:POPULAR_SIZE] if movie_id in movies]
