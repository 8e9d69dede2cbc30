from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from catalog.models import Movie, MovieLensImport, Profile, Rating
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
    list_display = ("user", "movie", "stars", "rated_at")
    list_filter = ("stars",)
    search_fields = ("user__username", "movie__title")
    list_select_related = ("user", "movie")
    raw_id_fields = ("user", "movie")
    date_hierarchy = "rated_at"


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
