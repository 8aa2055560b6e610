"""A trigram index on Organisation.search_text, PostgreSQL only.

Directory search is `search_text LIKE '%koln%'` on both databases. PostgreSQL can
answer such a LIKE from a pg_trgm GIN index instead of reading 100,000 rows;
SQLite has no equivalent and scans (fast enough there, see docs/benchmarks.md).
pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may
create it without superuser rights.
"""

from django.db import migrations

INDEX = "directory_organisation_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organisation_is_placeholder"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
