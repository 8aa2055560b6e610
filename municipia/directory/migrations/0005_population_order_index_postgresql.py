"""An index in the directory's default order, PostgreSQL only.

"Largest first" is `ORDER BY population DESC NULLS LAST, name, id`: organisations
without a population (associations, networks) go last on both databases. SQLite
sorts NULLs last in descending order anyway and walks the existing
(kind, population) index; PostgreSQL needs an index with NULLS LAST to stop
after the first page instead of sorting 100,000 rows. SQLite's CREATE INDEX
has no NULLS LAST, hence raw SQL for PostgreSQL only.
"""

from django.db import migrations

INDEX = "directory_organisation_population_order"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation "
        "(population DESC NULLS LAST, name, id)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_text_trigram_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
