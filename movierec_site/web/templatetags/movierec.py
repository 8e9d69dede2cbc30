from django import template

register = template.Library()
STAR_CHOICES = range(1, 6)


@register.filter
def stars_text(value) -> str:
    """An average or predicted star value to one decimal, or a dash when there is none."""
    return "–" if value is None else f"{value:.1f}"


@register.filter
def star_glyphs(stars) -> str:
    """Whole stars as ★★★☆☆ (decorative: pages say the number in words beside it)."""
    filled = round(stars or 0)
    return "★" * filled + "☆" * (5 - filled)


@register.inclusion_tag("web/_rating_widget.html", takes_context=True)
def rating_widget(context, movie, stars=None):
    """The star buttons for `movie`, coming back to this page after a plain POST (or to
    the context's `next`, for fragments rendered without a request and cached)."""
    request = context.get("request")
    return {
        "movie": movie,
        "stars": stars,
        "next": context.get("next") or request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "user": context.get("user") or request.user,
    }


@register.inclusion_tag("web/_marks_widget.html", takes_context=True)
def marks_widget(context, movie, hidden=False, watchlisted=False):
    """ "Not interested" and "Want to watch" for `movie`, coming back to this page after a
    plain POST (or to the context's `next`, as rating_widget)."""
    request = context.get("request")
    return {
        "movie": movie,
        "hidden": hidden,
        "watchlisted": watchlisted,
        "next": context.get("next") or request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def star_choices():
    return STAR_CHOICES
