"""Web forms: they validate input shapes; the rules live in the services they feed."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from catalog.choices import GENRES, AgeBracket, Gender, Occupation
from catalog.selectors import MOVIE_ORDERS, RATING_ORDERS
from movierec_site.errors import ApplicationError

MOVIE_SORT_LABELS = {
    "popular": "Most rated",
    "rating": "Highest average",
    "year": "Newest",
    "title": "Title",
}
RATING_SORT_LABELS = {
    "recent": "Recently rated",
    "stars_high": "Most stars",
    "stars_low": "Fewest stars",
    "title": "Title",
}


class DemographicsForm(forms.Form):
    gender = forms.TypedChoiceField(choices=Gender.choices)
    age = forms.TypedChoiceField(label="Age bracket", choices=AgeBracket.choices, coerce=int)
    occupation = forms.TypedChoiceField(choices=Occupation.choices, coerce=int)
    zip_code = forms.CharField(label="Zip code (optional)", max_length=10, required=False)

    def add_application_error(self, error: ApplicationError) -> None:
        """Show a service's refusal on the field it names, or above the form."""
        field = error.extra.get("field")
        self.add_error(field if field in self.fields else None, error.message)


class SignUpForm(DemographicsForm):
    username = forms.CharField(max_length=150, widget=forms.TextInput({"autofocus": True}))
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    field_order = ["username", "password", "gender", "age", "occupation", "zip_code"]


class MovieFilterForm(forms.Form):
    q = forms.CharField(label="Title", required=False, max_length=100)
    genre = forms.ChoiceField(
        choices=[("", "Any genre"), *((g, g) for g in GENRES)], required=False
    )
    year_min = forms.IntegerField(label="From year", required=False, min_value=1900, max_value=2100)
    year_max = forms.IntegerField(label="To year", required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(
        choices=[(key, MOVIE_SORT_LABELS[key]) for key in MOVIE_ORDERS], required=False
    )

    def filters(self) -> dict:
        """movie_list's arguments from the valid fields; invalid ones are left out."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "genre": data.get("genre") or None,
            "year_min": data.get("year_min"),
            "year_max": data.get("year_max"),
            "order": data.get("sort") or "popular",
        }


class RatingSortForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[(key, RATING_SORT_LABELS[key]) for key in RATING_ORDERS], required=False
    )

    def order(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else None) or "recent"
