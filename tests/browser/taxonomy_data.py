"""The themes and SDGs every browser test needs."""

from importlib import import_module
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.db import connection


def ensure_taxonomy() -> None:
    """Load the themes and SDGs if they are missing.

    The `page` fixture's serialized rollback is meant to bring back what the migrations loaded,
    but when the session ran other database tests before the browser started, the serialized
    copy sits on a database connection object this thread no longer sees, and a test after a
    flush finds no themes. The migration's own loader is idempotent, so this is safe either way.
    """
    from municipia.taxonomy.models import Theme

    if Theme.objects.exists():
        return
    migration = import_module("municipia.taxonomy.migrations.0002_load_taxonomy")
    migration.load_taxonomy(django_apps, SimpleNamespace(connection=connection))
