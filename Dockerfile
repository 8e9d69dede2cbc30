# One image for every movierec process: web (gunicorn), Celery workers, beat and the
# one-shot init. docker-compose.yml picks the process with a start script in compose/.
#
# Build stage: a virtualenv from the runtime lock alone (requirements.lock: what the
# project needs to run, no test or lint tools), every file checked against the lock's
# hashes, so an image built next year has the same packages as today's; `--no-deps` keeps
# the project's own install from pulling anything the lock does not name.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --require-virtualenv --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY movierec_site ./movierec_site
COPY core ./core
COPY movielens ./movielens
COPY catalog ./catalog
COPY recommender ./recommender
RUN pip install --require-virtualenv --no-deps .

FROM python:3.11-slim
# libgomp1: PaddlePaddle's CPU kernels use OpenMP, which the slim image does not ship.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 1000 movierec \
    && useradd --system --uid 1000 --gid movierec --home-dir /app --shell /usr/sbin/nologin movierec
COPY --from=build /opt/venv /opt/venv
# PYTHONPATH=/app: gunicorn, celery and manage.py all import the code from /app (where
# templates/ and the apps' static files are, found through BASE_DIR), never the copy
# `pip install .` left in site-packages.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=movierec_site.settings \
    MOVIEREC_ENV=production \
    MOVIEREC_VAR_DIR=/app/var \
    MODEL_DIR=/app/var/models
WORKDIR /app
# Code and static files stay root-owned: the app user writes only /app/var (models, the
# MovieLens download cache, beat's schedule), which compose mounts as a named volume.
COPY . .
# Hashed, compressed static files for WhiteNoise, made once at build time. The settings
# need a SECRET_KEY to load; this throwaway one exists only for this RUN step and is not
# in any layer's environment.
RUN SECRET_KEY="collectstatic-only-$(python -c 'import secrets; print(secrets.token_hex(32))')" \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var/models \
    && chown -R movierec:movierec /app/var
USER movierec
EXPOSE 8000
# Compose names the process; on its own the image serves the web app.
CMD ["/app/compose/web"]
