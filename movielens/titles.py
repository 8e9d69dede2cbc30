"""MovieLens titles as people say and type them.

The model's title tokenizer (recommender/model/vocab.py) reads the same article rule, so the
tokens it learns and the titles the site shows agree.
"""

import re
import unicodedata

_TRAILING_YEAR = re.compile(r"\s*\(\d{4}\)\s*$")
# MovieLens files "The Matrix" as "Matrix, The" and "La Cité…" as "Cité…, La"; the alternate
# title may follow in parentheses: "City of Lost Children, The (Cité des enfants perdus, La)".
_ARTICLE_SUFFIX = re.compile(
    r"^(?P<head>.+?), (?P<article>the|a|an|l'|le|la|les|il|el|los|las|das|der|die|den|det)"
    r"(?P<tail>\s*\(.*\))?$",
    re.IGNORECASE,
)
_ALTERNATE = re.compile(r"\(([^()]+)\)")
_NOT_A_WORD = re.compile(r"[\W_]+")


def title_without_year(title: str) -> str:
    return _TRAILING_YEAR.sub("", title.strip())


def title_trailing_article(title: str) -> tuple[str, str, str] | None:
    """(article, head, tail) of "head, article tail", e.g. ("The", "Matrix", ""), or None.

    `tail` is an alternate title in parentheses, left as it is."""
    match = _ARTICLE_SUFFIX.match(title)
    if match is None:
        return None
    return match["article"], match["head"], match["tail"] or ""


def title_display(title: str) -> str:
    """A MovieLens title as people say it: "Matrix, The (1999)" → "The Matrix (1999)".

    The alternate title in parentheses gets its article moved as well:
    "City of Lost Children, The (Cité des enfants perdus, La) (1995)" →
    "The City of Lost Children (La Cité des enfants perdus) (1995)"."""
    title = title.strip()
    name = title_without_year(title)
    year = title[len(name) :]
    main, opening, alternates = name.partition(" (")
    if opening:
        alternates = _ALTERNATE.sub(lambda m: f"({_article_to_front(m[1])})", "(" + alternates)
    return f"{_article_to_front(main)}{' ' if opening else ''}{alternates}{year}"


def title_search_key(text: str) -> str:
    """What title search compares: the display form, lower case, without accents or
    punctuation, so "the matrix" finds "Matrix, The (1999)" and "amelie" finds "Amélie".

    Both the stored column and the typed query go through it."""
    text = unicodedata.normalize("NFKD", title_display(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    # Apostrophes join ("Schindler's" → "schindlers"), other punctuation separates words.
    return _NOT_A_WORD.sub(" ", text.lower().replace("'", "")).strip()


MOVIE_TITLE_FIELDS = ("title", "display_title", "search_title")


def movie_title_fields(title: str) -> dict[str, str]:
    """A raw MovieLens title and the two titles derived from it, as Movie fields."""
    values = (title, title_display(title), title_search_key(title))
    return dict(zip(MOVIE_TITLE_FIELDS, values, strict=True))


def _article_to_front(name: str) -> str:
    parts = title_trailing_article(name)
    if parts is None:
        return name
    article, head, tail = parts
    # An elided article joins its word: "Appartement, L'" → "L'Appartement".
    space = "" if article.endswith("'") else " "
    return f"{article}{space}{head}{tail}"
