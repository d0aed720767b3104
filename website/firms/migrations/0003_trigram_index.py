"""On PostgreSQL, a trigram index (pg_trgm) on the folded names, so a name fragment
(``LIKE '%汇金投资%'``) is an index scan over 100,000 entities rather than a full scan.

Elsewhere (SQLite, the embedded default) nothing is done: the plain index of 0001 still
serves whole names, and a fragment scans the table, which is fine at the sizes SQLite serves.
The extension needs a superuser the first time; a database where it already exists needs
nothing more.
"""

from django.db import migrations

INDEX = "firms_entityname_normalised_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON firms_entityname "
        "USING gin (normalised gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("firms", "0002_kinds_permissions_review")]

    operations = [migrations.RunPython(create, drop)]
