"""Deterministic vocabularies mapping raw values to embedding indices.

Convention, everywhere: index 0 means "padding or out of vocabulary". Embeddings are built
with `padding_idx=0`, so index 0 is a fixed zero vector: an unknown user is represented by
their demographics alone, an unknown movie by its genres and title, and padded genre/title
slots add nothing to a sum. Known values get 1..n in sorted order, so a vocabulary depends
only on the SET of values it was built from, never on their order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from movielens.titles import title_trailing_article, title_without_year

PAD = 0

# ml-1m codes; their position + 1 is the embedding index, 0 is "unknown".
GENDERS = ("F", "M")
AGE_BRACKETS = (1, 18, 25, 35, 45, 50, 56)
OCCUPATION_COUNT = 21

_WORD = re.compile(r"[^\W_]+")


def tokenize_title(title: str) -> list[str]:
    """Lower-case words of a title, year dropped and a trailing article moved to the front."""
    title = title_without_year(title)
    parts = title_trailing_article(title)
    if parts:
        article, head, tail = parts
        title = f"{article} {head}{tail}"
    # Drop apostrophes so "Schindler's" is one word, not "schindler" + "s".
    return _WORD.findall(title.lower().replace("'", ""))


@dataclass(frozen=True)
class IdVocabulary:
    """Integer ids (users, movies) → 1..n in ascending id order; unknown ids → 0."""

    ids: np.ndarray  # sorted unique int64

    @classmethod
    def build(cls, ids: Iterable[int] | np.ndarray) -> IdVocabulary:
        return cls(
            np.unique(
                np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
            )
        )

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, ids: ArrayLike) -> np.ndarray:
        """Vectorised: int64 indices, 0 for ids not in the vocabulary."""
        ids = np.asarray(ids, dtype=np.int64)
        position = np.searchsorted(self.ids, ids)
        clipped = np.minimum(position, max(len(self.ids) - 1, 0))
        known = (position < len(self.ids)) & (self.ids[clipped] == ids) if len(self.ids) else False
        return np.where(known, position + 1, PAD).astype(np.int64)


@dataclass(frozen=True)
class TokenVocabulary:
    """Strings (genres, title words) → 1..n in sorted order; unknown strings → 0."""

    tokens: tuple[str, ...]

    @classmethod
    def build(cls, tokens: Iterable[str]) -> TokenVocabulary:
        return cls(tuple(sorted(set(tokens))))

    def __len__(self) -> int:
        return len(self.tokens)

    def padded_lookup(self, rows: Sequence[Sequence[str]], width: int) -> np.ndarray:
        """[len(rows), width] int64 indices; rows are truncated to `width` and padded with 0."""
        index = {token: i + 1 for i, token in enumerate(self.tokens)}
        out = np.zeros((len(rows), width), dtype=np.int64)
        for row, tokens in enumerate(rows):
            looked_up = [index.get(token, PAD) for token in tokens[:width]]
            out[row, : len(looked_up)] = looked_up
        return out


@dataclass(frozen=True)
class Vocabularies:
    user_ids: IdVocabulary
    movie_ids: IdVocabulary
    genres: TokenVocabulary
    title_words: TokenVocabulary

    @classmethod
    def build(
        cls,
        user_ids: np.ndarray,
        movie_ids: np.ndarray,
        genres: Iterable[Sequence[str]],
        titles: Iterable[str],
    ) -> Vocabularies:
        return cls(
            user_ids=IdVocabulary.build(user_ids),
            movie_ids=IdVocabulary.build(movie_ids),
            genres=TokenVocabulary.build(g for movie in genres for g in movie),
            title_words=TokenVocabulary.build(w for t in titles for w in tokenize_title(t)),
        )

    def to_dict(self) -> dict[str, list]:
        return {
            "user_ids": self.user_ids.ids.tolist(),
            "movie_ids": self.movie_ids.ids.tolist(),
            "genres": list(self.genres.tokens),
            "title_words": list(self.title_words.tokens),
        }

    @classmethod
    def from_dict(cls, values: dict[str, list]) -> Vocabularies:
        return cls(
            user_ids=IdVocabulary(np.asarray(values["user_ids"], dtype=np.int64)),
            movie_ids=IdVocabulary(np.asarray(values["movie_ids"], dtype=np.int64)),
            genres=TokenVocabulary(tuple(values["genres"])),
            title_words=TokenVocabulary(tuple(values["title_words"])),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocabularies:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


UNKNOWN_CODE = -1


def demographic_codes(
    gender: str | None, age: int | None, occupation: int | None
) -> tuple[int, int, int]:
    """A person's (gender code, age bracket, occupation) as the model takes them: gender
    "F"/"M" → 0/1; anything missing ("prefer not to say") → UNKNOWN_CODE, which the
    *_index functions map to the unknown embedding row 0."""
    return (
        GENDERS.index(gender) if gender in GENDERS else UNKNOWN_CODE,
        UNKNOWN_CODE if age is None else int(age),
        UNKNOWN_CODE if occupation is None else int(occupation),
    )


def gender_index(gender: ArrayLike) -> np.ndarray:
    """0 = F, 1 = M (RatingsData's coding) → embedding index 1, 2; anything else → 0."""
    gender = np.asarray(gender, dtype=np.int64)
    return np.where((gender == 0) | (gender == 1), gender + 1, PAD).astype(np.int64)


def age_index(age: ArrayLike) -> np.ndarray:
    """ml-1m age bracket code → 1..7; anything else → 0."""
    return IdVocabulary(np.asarray(AGE_BRACKETS, dtype=np.int64)).lookup(age)


def occupation_index(occupation: ArrayLike) -> np.ndarray:
    """ml-1m occupation 0..20 → 1..21; anything else → 0."""
    occupation = np.asarray(occupation, dtype=np.int64)
    known = (occupation >= 0) & (occupation < OCCUPATION_COUNT)
    return np.where(known, occupation + 1, PAD).astype(np.int64)
