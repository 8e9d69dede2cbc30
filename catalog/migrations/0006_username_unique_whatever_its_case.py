"""Usernames are unique whatever their case, in the database: the sign-up service's own
check cannot stop two concurrent sign-ups as "Ada" and "ada" (both pass it before either
inserts). auth_user is Django's table; the accounts services live in catalog, so the index
does too. Login stays case-sensitive (Django's ModelBackend); this only refuses look-alikes.
"""

from django.db import migrations

INDEX = "auth_user_username_lower_uniq"


def refuse_existing_duplicates(apps, schema_editor):
    """Stop with the names to resolve, rather than with PostgreSQL's bare "could not create
    unique index" (an install with such names must rename one of each pair by hand)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(username, ', ' ORDER BY username) FROM auth_user"
            " GROUP BY lower(username) HAVING count(*) > 1 LIMIT 20"
        )
        clashes = [row[0] for row in cursor.fetchall()]
    if clashes:
        raise RuntimeError(
            "These usernames differ only in case; rename all but one of each group, then "
            "migrate again: " + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_profile_optional_demographics"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (lower(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
