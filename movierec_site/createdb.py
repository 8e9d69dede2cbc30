"""Create the PostgreSQL database named by DATABASE_URL if it does not exist yet.

Run as `python -m movierec_site.createdb`: it needs the server, not the database itself,
so it connects to the `postgres` maintenance database with the same credentials.
"""

import os
import sys

import django
import psycopg
from django.conf import settings
from psycopg import sql


def database_create_if_missing() -> bool:
    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        return True


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings")
    django.setup()
    try:
        created = database_create_if_missing()
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable: {error}")
    name = settings.DATABASES["default"]["NAME"]
    print(f"Created database {name}." if created else f"Database {name} exists.")


if __name__ == "__main__":
    main()
