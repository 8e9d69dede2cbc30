import re

CARD_LINK = re.compile(r'<h3><a href="/movies/(\d+)/">')


def card_movie_ids(html: str) -> list[int]:
    """The movies shown as cards, in page order (headings such as "Because you rated X"
    link to a movie too, but are not cards)."""
    return [int(movie_id) for movie_id in CARD_LINK.findall(html)]


def section(html: str, heading_id: str) -> str:
    """The page from a section's heading to the next section."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]
