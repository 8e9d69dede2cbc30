"""Web forms: they validate input shapes; the rules live in the services they feed."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError

from catalog.choices import GENRES, AgeBracket, Gender, Occupation
from catalog.selectors import MOVIE_ORDERS, RATING_ORDERS
from core.exceptions import ApplicationError
from core.limits import TooManyAttempts, client_address, login_attempt

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


# A value of its own, so that the empty "Choose…" can stay required: nobody's demographics
# are picked for them, and not answering is an answer.
PREFER_NOT_TO_SAY = "prefer-not-to-say"
# "Prefer not to say" is its own answer now, so ml-1m's occupation 0 reads as "other".
_OCCUPATIONS = [
    (code, "other" if code == Occupation.OTHER else label) for code, label in Occupation.choices
]


class DemographicField(forms.TypedChoiceField):
    """A required pick between the ml-1m answers and "Prefer not to say" (cleaned to None)."""

    def __init__(self, *, choices, coerce=str, **kwargs):
        super().__init__(
            choices=[("", "Choose…"), (PREFER_NOT_TO_SAY, "Prefer not to say"), *choices],
            coerce=lambda value: None if value == PREFER_NOT_TO_SAY else coerce(value),
            error_messages={"required": "Choose one, or “Prefer not to say”."},
            **kwargs,
        )


class ProfileForm(forms.Form):
    email = forms.EmailField(
        label="Email (optional)",
        max_length=254,  # the User model's; Django's form field would allow 320
        required=False,
        help_text="Only used to send you a link if you forget your password.",
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    gender = DemographicField(choices=Gender.choices)
    age = DemographicField(label="Age bracket", choices=AgeBracket.choices, coerce=int)
    occupation = DemographicField(choices=_OCCUPATIONS, coerce=int)
    zip_code = forms.CharField(
        label="Zip code (optional)",
        max_length=10,
        required=False,
        help_text="A US zip code, like 12345 or 12345-6789.",
        widget=forms.TextInput({"autocomplete": "postal-code"}),
    )

    @staticmethod
    def initial_for(*, user, profile) -> dict:
        """What the form shows for a saved account: an unanswered demographic as "Prefer not
        to say"; nothing picked for someone without a profile yet."""
        if profile is None:
            return {"email": user.email}
        demographics = {
            name: PREFER_NOT_TO_SAY if value in (None, "") else value
            for name, value in (
                ("gender", profile.gender),
                ("age", profile.age),
                ("occupation", profile.occupation),
            )
        }
        return {"email": user.email, **demographics, "zip_code": profile.zip_code}

    def add_application_error(self, error: ApplicationError) -> None:
        """Show a service's refusal on the field it names, or above the form."""
        field = error.extra.get("field")
        self.add_error(field if field in self.fields else None, error.message)


class SignUpForm(ProfileForm):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput({"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    field_order = ["username", "password", "email", "gender", "age", "occupation", "zip_code"]


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


class WatchlistSortForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[("added", "Recently added"), ("predicted", "Predicted stars for you")],
        required=False,
    )

    def order(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else None) or "added"


class LoginLimitMixin:
    """Django's log-in form, counted against the account and the client address
    (core/limits.py): while either is locked out it says so, and checks no password."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is None or not password:  # no attempt: the fields' own errors show
            return super().clean()
        try:
            with login_attempt(username=username, address=client_address(self.request)):
                return super().clean()
        except TooManyAttempts as error:
            raise ValidationError(error.message, code="too_many_attempts") from None


class LoginForm(LoginLimitMixin, AuthenticationForm):
    pass


class AdminLoginForm(LoginLimitMixin, AdminAuthenticationForm):
    pass
