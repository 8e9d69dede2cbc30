"""Celery tasks of the catalog: each calls one service and is safe to run twice."""

from celery import shared_task


@shared_task
def movie_totals_fold_task() -> None:
    """Beat, every few seconds: add the pending rating changes to the movie totals."""
    from catalog.services.movie_totals import movie_totals_fold

    movie_totals_fold()
