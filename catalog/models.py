from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from catalog.choices import GENRES, AgeBracket, Gender, Occupation

MOVIELENS_USERNAME_PREFIX = "movielens-"


class Movie(models.Model):
    """A MovieLens movie; its primary key is the MovieLens movie id."""

    id = models.PositiveIntegerField(primary_key=True)
    # The MovieLens title as filed ("Matrix, The (1999)"): the model tokenizes it as is.
    title = models.CharField(max_length=255)
    # Both filled from `title` (movielens.titles) by the import and migration 0004.
    display_title = models.CharField(
        max_length=255, help_text='The title as people say it: "The Matrix (1999)".'
    )
    search_title = models.CharField(
        max_length=255,
        help_text="The title as search compares it: lower case, no accents or punctuation.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    genres = ArrayField(
        models.CharField(max_length=16, choices=[(g, g) for g in GENRES]), default=list, blank=True
    )
    # Kept in step by the import and, a few seconds behind the rating services, by
    # movie_totals_fold (MovieTotalsChange), so lists can sort by popularity and average
    # without aggregating every rating on every request.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [
            GinIndex(fields=["genres"], name="movie_genres_gin"),
            models.Index(fields=["-rating_count"], name="movie_popularity_idx"),
            # Serves both the substring (LIKE) and the typo-forgiving (%>) title search.
            GinIndex(
                fields=["search_title"], name="movie_search_title_trgm", opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def average_stars(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


class Profile(models.Model):
    """The ml-1m demographics of a person, imported or signed up alike.

    A person may prefer not to say any of them: gender is then "" and age or occupation
    NULL, which the model takes as unknown. Occupation 0 ("other or not specified") is a
    real ml-1m answer, distinct from not answering."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(choices=AgeBracket.choices, null=True, blank=True)
    occupation = models.PositiveSmallIntegerField(choices=Occupation.choices, null=True, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    movielens_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="The user's id in the imported data set."
    )
    ratings_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time this person added, changed or removed a rating."
    )
    # Kept apart from ratings_changed_at, which also decides whether the trained tower still
    # describes the person (recommender.serving.user_vectors): hiding a movie changes what
    # their lists leave out, not their ratings.
    exclusions_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last time this person hid or watchlisted a movie, or undid either.",
    )
    # Apart from ratings_changed_at for the same reason; it also tells the trained tower
    # (which knows no picks) from a fold-in that reads them.
    picks_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time this person changed their onboarding groups."
    )

    # Where the person's lists sit between "hidden gems" (-2) and "well known" (2); 0 is
    # the model's own validated popularity weight (recommender.model.ranking.dialled).
    # A database default: the importer and raw inserts name only the demographics.
    popularity_dial = models.SmallIntegerField(
        default=0,
        db_default=0,
        help_text="-2 hidden gems .. 2 well known; 0 the model's own balance.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(popularity_dial__gte=-2, popularity_dial__lte=2),
                name="profile_popularity_dial_valid",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=[*Gender.values, ""]), name="profile_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__in=AgeBracket.values),
                name="profile_age_valid",
            ),
            models.CheckConstraint(
                condition=Q(occupation__isnull=True) | Q(occupation__gte=0, occupation__lte=20),
                name="profile_occupation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.gender or '?'}, {self.get_age_display() or '?'})"


class Rating(models.Model):
    # No automatic FK indexes: the unique (user, movie) index serves a user's ratings and
    # rating_movie_idx a movie's; each extra index slows every bulk import.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    stars = models.SmallIntegerField()
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="rating_one_per_user_movie"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["movie"], name="rating_movie_idx"),
            # The retraining trigger counts the ratings since the last training, per person:
            # a range of rated_at read from the index alone, however large the table.
            models.Index(fields=["rated_at", "user"], name="rating_rated_at_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.movie} {self.stars}"


class MovieTotalsChange(models.Model):
    """What one rating write does to its movie's totals, waiting to be folded into
    Movie.rating_count / rating_sum (catalog.services.movie_totals).

    Rows are only ever inserted, by the rating's own transaction, and deleted by the fold:
    writers of a popular movie never update, so never queue on, one shared row."""

    # No index: only the fold reads this table, all of it at once.
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, db_index=False, related_name="+")
    count_delta = models.SmallIntegerField()
    sum_delta = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"{self.movie_id}: {self.count_delta:+} ratings, {self.sum_delta:+} stars"


class MovieLensImport(models.Model):
    """One run of import_movielens: which data set, what it added.

    Its `dataset` also pins the database to one data set: ml-100k and ml-1m ids mean
    different people and movies, so mixing them would corrupt both.
    """

    class Dataset(models.TextChoices):
        ML_1M = "ml-1m", "MovieLens 1M"
        ML_100K = "ml-100k", "MovieLens 100K"

    dataset = models.CharField(max_length=10, choices=Dataset.choices)
    source = models.CharField(max_length=500)
    users_added = models.PositiveIntegerField(default=0)
    movies_added = models.PositiveIntegerField(default=0)
    ratings_added = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.dataset} from {self.source} at {self.finished_at:%Y-%m-%d %H:%M}"


class PersonMovieMark(models.Model):
    """One row per person and movie that they marked, and when (each subclass's unique
    constraint on (user, movie)). That index serves a person's rows; there is none on the
    movie alone, as nothing asks who marked a movie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+", db_index=False)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class HiddenMovie(PersonMovieMark):
    """A movie a person said "Not interested" to: it leaves their recommendations until
    they undo it. Kept as its own row (not a rating): training and the person's fold-in
    read it as negative feedback as the model's config says (ModelConfig.hidden_feedback),
    never as a star the person gave."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="hidden_one_per_user_movie")
        ]

    def __str__(self) -> str:
        return f"{self.user} is not interested in {self.movie}"


class WatchlistEntry(PersonMovieMark):
    """A movie a person wants to watch: it leaves their top picks (they have already chosen
    it) but stays everywhere else. A positive of the retrieval loss in training and in the
    person's fold-in (ModelConfig.wanted_feedback)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="watchlist_one_per_user_movie")
        ]
        verbose_name_plural = "watchlist entries"

    def __str__(self) -> str:
        return f"{self.user} wants to watch {self.movie}"


class GroupPick(PersonMovieMark):
    """One seed movie of a group of movies a person picked at onboarding ("I like these").

    The movies are stored, not the group's number: groups are clusters of one model
    version's vectors, and the next version clusters differently, while the movies a person
    said they like still say the same. They seed the person's fold-in as liked movies until
    they pick again."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="group_pick_one_per_user_movie")
        ]

    def __str__(self) -> str:
        return f"{self.user} picked a group with {self.movie}"
