from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from catalog.models import Movie, MovieLensImport, Profile, Rating
from catalog.services.ratings import rating_delete, rating_set
from movielens.titles import movie_title_fields


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    list_display = ("id", "display_title", "year", "genre_list")
    search_fields = ("title", "display_title")
    list_filter = ("year",)
    readonly_fields = ("display_title", "search_title")

    def save_model(self, request, movie: Movie, form, change) -> None:
        # The derived titles follow an edited MovieLens title.
        for name, value in movie_title_fields(movie.title).items():
            setattr(movie, name, value)
        super().save_model(request, movie, form, change)

    @admin.display(description="genres")
    def genre_list(self, movie: Movie) -> str:
        return ", ".join(movie.genres)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Every write goes through the rating services, which keep the movie's rating totals
    (and the person's ratings_changed_at, which retires their cached lists) in step; a
    plain save or delete here would let them drift. A rating's person and movie are fixed
    once it exists: to move one, delete it and add another."""

    list_display = ("user", "movie", "stars", "rated_at")
    list_filter = ("stars",)
    search_fields = ("user__username", "movie__title")
    list_select_related = ("user", "movie")
    raw_id_fields = ("user", "movie")
    date_hierarchy = "rated_at"
    fields = ("user", "movie", "stars", "rated_at")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "movie", "rated_at") if obj else ("rated_at",)

    def save_model(self, request, rating: Rating, form, change) -> None:
        saved, _ = rating_set(user=rating.user, movie_id=rating.movie_id, stars=rating.stars)
        rating.pk, rating.rated_at = saved.pk, saved.rated_at

    def delete_model(self, request, rating: Rating) -> None:
        rating_delete(user=rating.user, movie_id=rating.movie_id)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for rating in queryset.select_related("user"):
            rating_delete(user=rating.user, movie_id=rating.movie_id)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "movielens_id", "gender", "age", "occupation", "zip_code")
    list_filter = ("gender", "age", "occupation")
    search_fields = ("user__username", "zip_code", "=movielens_id")
    raw_id_fields = ("user",)


@admin.register(MovieLensImport)
class MovieLensImportAdmin(admin.ModelAdmin):
    list_display = (
        "dataset",
        "source",
        "users_added",
        "movies_added",
        "ratings_added",
        "finished_at",
    )
    readonly_fields = [field.name for field in MovieLensImport._meta.fields]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class PersonAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "email", "is_staff", "date_joined")


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)
