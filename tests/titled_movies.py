"""Movies with MovieLens titles as filed (articles moved to the end, accents, alternate
titles), filled as the import fills them, for the title display and search tests."""

from catalog.models import Movie
from movielens.titles import movie_title_fields

# (id, MovieLens title, rating count)
TITLED_MOVIES = [
    (2571, "Matrix, The (1999)", 2590),
    (1, "Toy Story (1995)", 2077),
    (6, "Heat (1995)", 1000),
    (1127, "Abyss, The (1989)", 700),
    (2144, "Heathers (1989)", 600),
    (2470, "Matilda (1996)", 400),
    (29, "City of Lost Children, The (Cité des enfants perdus, La) (1995)", 300),
    (4973, "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", 200),
    (1273, "Appartement, L' (1996)", 50),
]


def titled_movies_create() -> dict[int, Movie]:
    movies = Movie.objects.bulk_create(
        Movie(id=movie_id, **movie_title_fields(title), rating_count=count, rating_sum=4 * count)
        for movie_id, title, count in TITLED_MOVIES
    )
    return {movie.pk: movie for movie in movies}
