"""movierec settings, read from the environment (see .env.example and the README).

Defaults run the whole stack on one machine: PostgreSQL and Redis on 127.0.0.1 and the
embedded milvus-lite server that the Makefile starts. Bad values stop start-up loudly.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from movierec_site.env import (
    database_from_url,
    env_bool,
    env_email,
    env_float,
    env_host,
    env_int,
    env_list,
    env_str,
    env_url,
)
from movierec_site.logs import logging_config
from movierec_site.schedule import celery_beat_schedule
from movierec_site.secret_key import MIN_LENGTH as SECRET_KEY_MIN_LENGTH
from movierec_site.secret_key import secret_key_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOVIEREC_VAR_DIR", str(BASE_DIR / "var")))

MOVIEREC_ENV = env_str("MOVIEREC_ENV", "development")
if MOVIEREC_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"MOVIEREC_ENV={MOVIEREC_ENV!r}; use development, production or test."
    )
PRODUCTION = MOVIEREC_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when MOVIEREC_ENV=production.")
SECRET_KEY = secret_key_from_env(production=PRODUCTION, var_dir=VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Full origins (https://movies.example.com) whose forms may POST; needed behind HTTPS.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS. Production assumes TLS in front of the app and turns all of this on; each can be
# switched off by name (the local `docker compose up` serves plain http on localhost).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Load balancers and Docker probe over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
# Sessions are read on every signed-in request: from Redis, written through to PostgreSQL,
# which stays the copy that counts (a Redis outage or flush signs nobody out).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
# Preloading is hard to undo (browsers ship the list): only on request.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Trust X-Forwarded-Proto / X-Forwarded-Host only behind a proxy that sets them and strips
# them from clients; otherwise anyone could claim https or another host.
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "catalog",
    "recommender",
    "movierec_site.web",
    "movierec_site.api",
]

MIDDLEWARE = [
    "movierec_site.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "movierec_site.urls"
WSGI_APPLICATION = "movierec_site.wsgi.application"
ASGI_APPLICATION = "movierec_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/movierec")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))
# Redis being down degrades the cache to misses and no-op writes (core/cache.py):
# nothing in it is the only copy, and a cache outage must not become a site outage.
CACHES = {
    "default": {
        "BACKEND": "core.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "movierec",
        "TIMEOUT": 3600,
    }
}

MILVUS_URI = env_url("MILVUS_URI", "http://127.0.0.1:19530", schemes=("http", "https", "tcp"))
MOVIELENS_DIR = env_str("MOVIELENS_DIR", "") or None
MOVIELENS_CACHE_DIR = VAR_DIR / "movielens"
MODEL_DIR = Path(env_str("MODEL_DIR", str(VAR_DIR / "models")))

CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 4 * 3600, minimum=60)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Training runs in its own queue, served by a solo-pool worker: Paddle's threads and a
# forking pool do not mix, and one training at a time is all a machine can carry.
# Activations write to Milvus too: the same queue keeps them in line with training.
CELERY_TASK_ROUTES = {
    "recommender.tasks.training_run_execute_task": {"queue": "training"},
    "recommender.tasks.model_version_activation_execute_task": {"queue": "training"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

TRAINING_PRESET = env_str("TRAINING_PRESET", "default")
# Retrain once this many ratings arrived since the active model's data (0: never), each
# person's counting for at most RETRAIN_RATINGS_PER_PERSON: no one account can force it.
RETRAIN_AFTER_RATINGS = env_int("RETRAIN_AFTER_RATINGS", 1000, minimum=0)
RETRAIN_RATINGS_PER_PERSON = env_int("RETRAIN_RATINGS_PER_PERSON", 50, minimum=1)
# Automatic runs (new ratings, nightly) start at least this long after the last request.
RETRAIN_MIN_GAP_SECONDS = env_int("RETRAIN_MIN_GAP_SECONDS", 3600, minimum=0)
# Nightly retraining, as a crontab "minute hour" in UTC (empty: off).
RETRAIN_CRON = env_str("RETRAIN_CRON", "0 3")
CELERY_BEAT_SCHEDULE = celery_beat_schedule(RETRAIN_CRON)
# A running training that has not reported progress for this long is taken as dead.
TRAINING_STALE_SECONDS = env_int("TRAINING_STALE_SECONDS", 900, minimum=10)
# How often a training's worker says it is alive, whatever the phase; well under the above.
TRAINING_HEARTBEAT_SECONDS = env_int("TRAINING_HEARTBEAT_SECONDS", 60, minimum=1)
if TRAINING_HEARTBEAT_SECONDS * 3 > TRAINING_STALE_SECONDS:
    raise ImproperlyConfigured(
        "TRAINING_HEARTBEAT_SECONDS must be at most a third of TRAINING_STALE_SECONDS."
    )
# A queued training that no worker starts in this long (not counting time spent behind a
# live one) fails, so it does not block training for good.
TRAINING_QUEUE_TIMEOUT_SECONDS = env_int("TRAINING_QUEUE_TIMEOUT_SECONDS", 900, minimum=60)
# A new version whose held-out RMSE is worse than the active one's by more than this is
# kept but does not serve.
TRAINING_RMSE_TOLERANCE = env_float("TRAINING_RMSE_TOLERANCE", 0.02)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need `collectstatic`, which the production image runs.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, serve static files straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Email: password-reset links. Without EMAIL_HOST, messages are written to the process's
# output (Django's console backend), which is all a development machine needs.
EMAIL_HOST = env_host("EMAIL_HOST")
EMAIL_BACKEND = f"django.core.mail.backends.{'smtp' if EMAIL_HOST else 'console'}.EmailBackend"
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)  # TLS from the start, usually 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are both on; set one to 0.")
# The person asking for a reset waits while the server is reached: never for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "movierec <noreply@localhost>")
if EMAIL_HOST and DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
    # A mail server would refuse or bin mail from @localhost.
    raise ImproperlyConfigured("EMAIL_HOST is set: set DEFAULT_FROM_EMAIL to a real sender.")

# How many proxies in front of the app append to X-Forwarded-For. The client address is the
# one the outermost of them saw (the n-th from the right); with 0 the header is ignored,
# since a client can write anything in it. Every throttle and limit keys on this address
# (core/limits.py: client_address, which is DRF's reading of NUM_PROXIES).
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)

# Log-in limits (web, admin, API tokens; core/limits.py): this many failed attempts on one
# account, or from one address, lock it out for LOGIN_LOCKOUT_MINUTES. Sign-ups: at most
# SIGN_UP_MAX_PER_ADDRESS from one address in SIGN_UP_WINDOW_MINUTES.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
SIGN_UP_MAX_PER_ADDRESS = env_int("SIGN_UP_MAX_PER_ADDRESS", 10, minimum=1)
SIGN_UP_WINDOW_MINUTES = env_int("SIGN_UP_WINDOW_MINUTES", 60, minimum=1)

REST_FRAMEWORK = {
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "movierec_site.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "movierec_site.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "auth": env_str("API_THROTTLE_AUTH", "10/minute"),
    },
}
JWT_SIGNING_KEY = env_str("JWT_SIGNING_KEY", "") or SECRET_KEY
if len(JWT_SIGNING_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"JWT_SIGNING_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters (or unset: "
        "SECRET_KEY signs the tokens)."
    )
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 5, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14, minimum=1)),
    "SIGNING_KEY": JWT_SIGNING_KEY,
    # Each refresh gives a new refresh token and blacklists the one used, so a stolen
    # refresh token works once at most, and its use shows (the owner's next refresh fails).
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Tokens carry a digest of the password hash, checked on every request and refresh
    # (movierec_site/api/serializers.py): a new password, by any path, revokes them all.
    "CHECK_REVOKE_TOKEN": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "movierec API",
    "DESCRIPTION": "Movies, ratings and personalized recommendations for mobile clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Cross-origin requests are refused unless origins are listed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"

# LOG_FORMAT=json for log collectors; each line carries its request id or Celery task id.
LOGGING = logging_config(
    log_format=env_str("LOG_FORMAT", "plain"), level=env_str("LOG_LEVEL", "INFO")
)
