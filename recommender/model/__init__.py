"""The two-tower model: configuration, vocabularies, network and ranking function.

Deliberately imports nothing: `recommender.model.config` must stay importable without
loading Paddle (web processes and Celery's prefork parent read configs too).
"""
