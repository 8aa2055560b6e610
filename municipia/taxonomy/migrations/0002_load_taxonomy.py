"""Load the reference taxonomy: impact communities, working groups, cross-cutting groups and
the 17 UN Sustainable Development Goals.

Idempotent: rows are matched by theme code and goal number, so running it over rows created by
hand (or by an earlier load) updates them instead of failing on the unique constraints. Only the
fields this migration knows are read from `municipia.taxonomy.data`, so keys added to that module
later do not break it against the historical models.
"""

from django.db import migrations

from municipia.taxonomy import data


def _text(values) -> dict:
    # Keep only language -> non-empty string pairs: the JSON fields hold nothing else.
    return {
        lang: text for lang, text in dict(values or {}).items() if isinstance(text, str) and text
    }


def load_taxonomy(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    Goal = apps.get_model("taxonomy", "SustainableDevelopmentGoal")
    db = schema_editor.connection.alias

    by_code = {}
    # theme_rows() yields parents before their children, so each parent is already saved.
    for row in data.theme_rows():
        parent_code = row.get("parent_code")
        theme, _ = Theme.objects.using(db).update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "parent": by_code[parent_code] if parent_code else None,
                "position": row.get("position", 0),
                "labels": _text(row["labels"]),
                "descriptions": _text(row.get("descriptions")),
            },
        )
        by_code[theme.code] = theme

    for goal in data.SUSTAINABLE_DEVELOPMENT_GOALS:
        Goal.objects.using(db).update_or_create(
            number=goal["number"],
            defaults={
                "colour": goal["colour"],
                "labels": _text(goal["labels"]),
                "descriptions": _text(goal.get("descriptions")),
            },
        )


def unload_taxonomy(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    Goal = apps.get_model("taxonomy", "SustainableDevelopmentGoal")
    db = schema_editor.connection.alias

    rows = list(data.theme_rows())
    # Children first: Theme.parent is PROTECT. A theme someone added under one of these stays
    # protected, so the reversal stops rather than deleting data it did not create.
    Theme.objects.using(db).filter(
        code__in=[row["code"] for row in rows if row.get("parent_code")]
    ).delete()
    Theme.objects.using(db).filter(
        code__in=[row["code"] for row in rows if not row.get("parent_code")]
    ).delete()
    Goal.objects.using(db).filter(
        number__in=[goal["number"] for goal in data.SUSTAINABLE_DEVELOPMENT_GOALS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load_taxonomy, unload_taxonomy, elidable=False)]
