"""Query parameters of the movie list: validated and documented by django-filter, applied by
catalog.selectors.movie_list (the same selector the web pages use)."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from catalog.choices import GENRES
from catalog.selectors import MOVIE_ORDERS, movie_list

YEAR_RANGE = {"minimum": 1800, "maximum": 2100}
NO_NUL = r"^[^\x00]*$"


class GivenIntegerField(forms.IntegerField):
    """`?year_min=` is refused, not read as absent: the schema promises an integer."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", **YEAR_RANGE})
class YearFilter(django_filters.NumberFilter):
    field_class = GivenIntegerField


# An empty genre or ordering means "any" / the default, as django-filter reads it.
@extend_schema_field({"type": "string", "enum": ["", *GENRES]})
class GenreFilter(django_filters.ChoiceFilter):
    pass


@extend_schema_field({"type": "string", "enum": ["", *MOVIE_ORDERS], "default": "popular"})
class OrderFilter(django_filters.ChoiceFilter):
    pass


# Django refuses NUL characters in text input; the pattern says so.
@extend_schema_field({"type": "string", "maxLength": 200, "pattern": NO_NUL})
class SearchFilter(django_filters.CharFilter):
    pass


class MovieFilter(django_filters.FilterSet):
    search = SearchFilter(
        max_length=200,
        help_text="A title or part of one, with or without its article; case, accents and a "
        "typo are forgiven. The closest titles come first.",
    )
    genre = GenreFilter(choices=[(genre, genre) for genre in GENRES])
    year_min = YearFilter(min_value=YEAR_RANGE["minimum"], max_value=YEAR_RANGE["maximum"])
    year_max = YearFilter(min_value=YEAR_RANGE["minimum"], max_value=YEAR_RANGE["maximum"])
    ordering = OrderFilter(
        choices=[(order, order) for order in MOVIE_ORDERS],
        help_text=(
            "popular (most rated), rating (best average, pulled toward the site-wide average"
            " when a movie has few ratings), year (newest), title."
        ),
    )

    def filter_queryset(self, queryset):
        # The selector owns the filtering; the filter set only validates and documents.
        data = self.form.cleaned_data
        return movie_list(
            search=data.get("search") or "",
            genre=data.get("genre") or None,
            year_min=data.get("year_min"),
            year_max=data.get("year_max"),
            order=data.get("ordering") or "popular",
        )
