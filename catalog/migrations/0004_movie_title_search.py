from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from movielens.titles import title_display, title_search_key


def fill_titles(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    movies = list(Movie.objects.only("id", "title"))
    for movie in movies:
        movie.display_title = title_display(movie.title)
        movie.search_title = title_search_key(movie.title)
    Movie.objects.bulk_update(movies, ["display_title", "search_title"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_movie_rating_totals"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="movie",
            name="display_title",
            field=models.CharField(
                default="",
                help_text='The title as people say it: "The Matrix (1999)".',
                max_length=255,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="movie",
            name="search_title",
            field=models.CharField(
                default="",
                help_text="The title as search compares it: lower case, no accents or punctuation.",
                max_length=255,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_titles, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="movie",
            index=GinIndex(
                fields=["search_title"], name="movie_search_title_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
