"""Input validation and output shapes. Types and ranges only: the rules about what a person may
sign up as or rate live in the services, which the views call."""

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.serializers import TokenRefreshSerializer

from catalog.choices import GENRES, AgeBracket, Gender, Occupation
from catalog.models import HiddenMovie, Movie, Rating, WatchlistEntry
from catalog.services.accounts import US_ZIP_CODE, ZIP_CODE_MESSAGE
from recommender.models import ModelVersion, ModelVersionActivation, TrainingRun
from recommender.services.training_config import PRESETS
from recommender.serving import BECAUSE_KINDS, WATCHLIST_ORDERS

from .fields import (
    DB_INT_MAX,
    BlankAsNullCharField,
    EmailAddressField,
    QueryChoiceField,
    QueryIntegerField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
)

GENRE_CHOICES = [(genre, genre) for genre in GENRES]


# Accounts


def _demographic(choices, description: str) -> StrictChoiceField:
    return StrictChoiceField(
        choices=choices,
        allow_null=True,
        required=False,
        default=None,
        help_text=f"{description}null: prefers not to say (the model then takes it as unknown).",
    )


class DemographicsSerializer(serializers.Serializer):
    gender = _demographic(Gender.choices, "")
    age = _demographic(AgeBracket.choices, "ml-1m age bracket; ")
    occupation = _demographic(
        Occupation.choices, "ml-1m code (0 is ml-1m's 'other or not specified'); "
    )
    zip_code = StrictCharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        validators=[RegexValidator(US_ZIP_CODE, ZIP_CODE_MESSAGE)],
        help_text="A US zip code, 12345 or 12345-6789; empty for none.",
    )


class AccountSerializer(DemographicsSerializer):
    email = EmailAddressField(
        required=False,
        allow_blank=True,
        help_text="For password resets; empty removes it. Left as it is when not given.",
    )


class RegisterSerializer(DemographicsSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, write_only=True, style={"input_type": "password"})
    email = EmailAddressField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional; where a password reset link goes.",
    )


class MeSerializer(serializers.Serializer):
    """A person and their demographics; null for a demographic they prefer not to give, and
    for all of them for someone without a profile (a missing related profile reads as null
    because allow_null is set)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(help_text="Empty when none is given.")
    is_staff = serializers.BooleanField()
    gender = BlankAsNullCharField(source="profile.gender", allow_null=True)
    age = serializers.IntegerField(source="profile.age", allow_null=True)
    occupation = serializers.IntegerField(source="profile.occupation", allow_null=True)
    zip_code = serializers.CharField(source="profile.zip_code", allow_null=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class CredentialsSerializer(serializers.Serializer):
    username = StrictCharField()
    password = StrictCharField(write_only=True, style={"input_type": "password"})


class RefreshTokenSerializer(serializers.Serializer):
    refresh = StrictCharField()


class CheckedTokenRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, which looks the person up without catching their absence (a
    500) and does not check the password digest the tokens carry. A refresh token is
    checked here as an access token is on every request: a 401 if its person is gone or
    inactive, or has a new password since it was given."""

    def validate(self, attrs):
        JWTAuthentication().get_user(self.token_class(attrs["refresh"]))
        return super().validate(attrs)


def with_text_rules(serializer_class):
    """simplejwt's serializer, refusing what StrictCharField refuses (so the 400s it gives
    are the ones the schema documents)."""

    class Strict(serializer_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in list(self.fields.items()):
                if isinstance(field, serializers.CharField) and not field.read_only:
                    self.fields[name] = StrictCharField(write_only=True)

    Strict.__name__ = f"Strict{serializer_class.__name__}"
    return Strict


class RegisteredSerializer(serializers.Serializer):
    user = MeSerializer()
    tokens = TokenPairSerializer()


# Movies


class MovieSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        source="display_title",
        read_only=True,
        help_text='As people say it: "The Matrix (1999)", where MovieLens has "Matrix, The".',
    )
    average_stars = serializers.FloatField(allow_null=True, read_only=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "year", "genres", "rating_count", "average_stars"]


class MovieDetailSerializer(MovieSerializer):
    my_stars = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="Your rating; null if none or anonymous."
    )
    predicted_stars = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="The active model's prediction for you; null if anonymous or no model.",
    )

    class Meta(MovieSerializer.Meta):
        fields = [*MovieSerializer.Meta.fields, "my_stars", "predicted_stars"]


class SimilarQuerySerializer(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=50, default=10)


# Ratings


class RatingSerializer(serializers.ModelSerializer):
    movie = MovieSerializer(read_only=True)

    class Meta:
        model = Rating
        fields = ["movie", "stars", "rated_at"]


class StarsSerializer(serializers.Serializer):
    stars = StrictIntegerField(min_value=1, max_value=5, help_text="Whole stars, 1 to 5.")


class RatingCreateSerializer(StarsSerializer):
    movie_id = StrictIntegerField(min_value=1, max_value=DB_INT_MAX)


# "Not interested" and the watchlist


class HiddenMovieSerializer(serializers.ModelSerializer):
    movie = MovieSerializer(read_only=True)
    hidden_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = HiddenMovie
        fields = ["movie", "hidden_at"]


class WatchlistEntrySerializer(serializers.ModelSerializer):
    movie = MovieSerializer(read_only=True)
    added_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = WatchlistEntry
        fields = ["movie", "added_at"]


class WatchlistEntryStarsSerializer(WatchlistEntrySerializer):
    predicted_stars = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="The active model's prediction for you; null if no model is trained.",
    )

    class Meta(WatchlistEntrySerializer.Meta):
        fields = [*WatchlistEntrySerializer.Meta.fields, "predicted_stars"]


class WatchlistQuerySerializer(serializers.Serializer):
    ordering = QueryChoiceField(
        choices=WATCHLIST_ORDERS,
        default="added",
        help_text="`added`: newest first; `predicted`: highest predicted stars first.",
    )


# Recommendations


class RecommendationQuerySerializer(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=100, default=10)
    page = QueryIntegerField(min_value=1, max_value=10_000, default=1)
    genre = serializers.ChoiceField(
        choices=GENRE_CHOICES, required=False, allow_blank=True, help_text="Empty: any genre."
    )
    popularity = QueryIntegerField(
        min_value=-2,
        max_value=2,
        required=False,
        help_text="This call's popularity dial, -2 (hidden gems) .. 2 (well known); "
        "absent: my saved preference (`me/preferences/`).",
    )


class PreferencesSerializer(serializers.Serializer):
    popularity = StrictIntegerField(
        min_value=-2,
        max_value=2,
        help_text="Where my recommendations sit between hidden gems (-2) and well-known "
        "movies (2); 0: the model's own balance.",
    )


class RecommendationSerializer(serializers.Serializer):
    movie = MovieSerializer()
    predicted_stars = serializers.FloatField(
        allow_null=True, help_text="null when the list is the popular fallback."
    )
    reason = serializers.CharField()
    because_movie_id = serializers.IntegerField(
        allow_null=True, help_text="The movie the reason rests on; null for a popular pick."
    )
    because_kind = serializers.ChoiceField(
        choices=BECAUSE_KINDS,
        allow_null=True,
        help_text="What the person did with that movie: rated it 4 or 5, put it on their "
        "watchlist, or picked its group at onboarding.",
    )


class RecommendationPageSerializer(serializers.Serializer):
    items = RecommendationSerializer(many=True)
    model_version_id = serializers.IntegerField(
        allow_null=True, help_text="The model version that ranked them; null if none is trained."
    )
    fallback = serializers.BooleanField(help_text="True when popular picks stand in for the model.")
    total = serializers.IntegerField(help_text="Length of the whole list.")
    popularity = serializers.IntegerField(help_text="The popularity dial the list was ranked with.")
    page = serializers.IntegerField()
    limit = serializers.IntegerField()


# Training (staff)


class TrainingRunCreateSerializer(serializers.Serializer):
    preset = StrictChoiceField(choices=sorted(PRESETS), required=False)
    epochs = StrictIntegerField(min_value=1, max_value=1000, required=False)


class TrainingRunSerializer(serializers.ModelSerializer):
    triggered_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    epochs = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text="Fraction of all steps done, 0 to 1.")
    model_version_id = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRun
        fields = [
            "id", "status", "trigger", "triggered_by", "epoch", "step", "steps_per_epoch",
            "epochs", "progress", "loss_history", "metrics", "timings", "error",
            "dispatch_error", "model_version_id", "created_at", "dispatched_at",
            "started_at", "finished_at",
        ]  # fmt: skip

    def get_epochs(self, run: TrainingRun) -> int | None:
        return run.config.get("epochs")

    def get_progress(self, run: TrainingRun) -> float:
        if run.status == TrainingRun.Status.SUCCEEDED:
            return 1.0
        epochs = run.config.get("epochs") or 0
        if not (epochs and run.steps_per_epoch and run.epoch):
            return 0.0
        done = (run.epoch - 1) * run.steps_per_epoch + run.step
        return round(min(done / (epochs * run.steps_per_epoch), 1.0), 4)

    def get_model_version_id(self, run: TrainingRun) -> int | None:
        version = getattr(run, "model_version", None)
        return version.pk if version else None


class ModelVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelVersion
        fields = [
            "id", "training_run", "metrics", "gate", "is_active", "data_snapshot",
            "created_at", "activated_at",
        ]  # fmt: skip


class ModelVersionActivationSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ModelVersionActivation
        fields = ["id", "version", "status", "requested_by", "requested_at", "finished_at", "error"]
