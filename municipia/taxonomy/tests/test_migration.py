"""What the data migration leaves in the database, and that loading it again is harmless."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import ProtectedError
from django.utils import translation

from municipia.taxonomy import data
from municipia.taxonomy.enums import ThemeKind
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme, in_language

pytestmark = pytest.mark.django_db

load_migration = importlib.import_module("municipia.taxonomy.migrations.0002_load_taxonomy")

# The working groups as the network's own page lists them (seed 003), including the two whose
# headings the source lost: Digital and Eastern Neighbourhood.
SOURCE_WORKING_GROUPS = {
    "climate": [
        "Climate and Energy",
        "Environmental Issues",
        "Mobility and Transport",
        "Waste and Circular Economy",
    ],
    "labour": ["Digital", "Local Government as Employers", "Public Services"],
    "cohesion": ["Local Finances", "Territorial Development"],
    "society": [
        "Capacity Building",
        "Development Education and Awareness-Raising",
        "Eastern Neighbourhood",
        "EU Dialogue",
        "Gender Equality",
        "Global Action",
        "Governance and Local Democracy",
        "Migration and Inclusion",
        "Youth Engagement",
    ],
}
SOURCE_COMMUNITIES = [
    ("climate", "Climate — Accelerating Climate and Energy Transformation"),
    ("labour", "Labour — Driving Digital and Employment Transformation"),
    ("cohesion", "Cohesion — Fostering Territorial Cohesion"),
    ("society", "Society — Building Inclusive and Resilient Societies"),
]
SOURCE_CROSS_CUTTING = ["Twinning and Partnerships", "External Funding", "Research and Studies"]


def english(theme_or_goal):
    return theme_or_goal.labels["en"]


def test_four_impact_communities_in_source_order():
    communities = Theme.objects.filter(kind=ThemeKind.IMPACT_COMMUNITY)
    assert [(c.code, english(c)) for c in communities] == SOURCE_COMMUNITIES
    assert all(c.parent is None for c in communities)


def test_working_groups_under_each_community():
    for code, names in SOURCE_WORKING_GROUPS.items():
        community = Theme.objects.get(code=code)
        groups = community.children.order_by("position")
        assert [english(g) for g in groups] == names, code
        assert {g.kind for g in groups} == {ThemeKind.WORKING_GROUP}
    assert Theme.objects.filter(kind=ThemeKind.WORKING_GROUP).count() == 18


def test_restored_headings_have_stable_codes():
    assert Theme.objects.get(code="digital").parent.code == "labour"
    assert Theme.objects.get(code="eastern-neighbourhood").parent.code == "society"
    assert "e-government" in Theme.objects.get(code="digital").descriptions["en"]


def test_three_cross_cutting_groups_without_parent():
    groups = Theme.objects.filter(kind=ThemeKind.CROSS_CUTTING_GROUP)
    assert [english(g) for g in groups] == SOURCE_CROSS_CUTTING
    assert [g.parent_id for g in groups] == [None, None, None]
    assert Theme.objects.get(code="twinning-and-partnerships").labels["fr"] == (
        "Jumelages et partenariats"
    )


def test_seventeen_goals_numbered_one_to_seventeen():
    goals = SustainableDevelopmentGoal.objects.all()
    assert [g.number for g in goals] == list(range(1, 18))
    assert goals.get(number=13).colour == "#3F7E44"
    assert goals.get(number=5).labels["de"] == "Geschlechtergleichheit"


def test_every_label_and_description_in_all_four_languages():
    rows = [*Theme.objects.all(), *SustainableDevelopmentGoal.objects.all()]
    assert len(rows) == 25 + 17
    for row in rows:
        for field in (row.labels, row.descriptions):
            assert sorted(field) == ["de", "en", "es", "fr"], row.pk
            assert all(text.strip() for text in field.values()), row.pk


def test_label_follows_active_language():
    theme = Theme.objects.get(code="gender-equality")
    goal = SustainableDevelopmentGoal.objects.get(number=1)
    expected = {
        "en": ("Gender Equality", "No poverty"),
        "fr": ("Égalité femmes-hommes", "Pas de pauvreté"),
        "es": ("Igualdad de género", "Fin de la pobreza"),
        "de": ("Gleichstellung der Geschlechter", "Keine Armut"),
    }
    for language, labels in expected.items():
        with translation.override(language):
            assert (theme.label, goal.label) == labels
            assert theme.description == theme.descriptions[language]
            assert str(goal) == f"1. {labels[1]}"


def test_label_falls_back_to_english():
    theme = Theme(code="x", kind=ThemeKind.WORKING_GROUP, labels={"en": "Ports", "fr": ""})
    with translation.override("fr"):
        assert theme.label == "Ports"
        assert theme.description == ""
    with translation.override("de-at"):
        assert theme.label == "Ports"
    assert in_language({"en": "Ports", "de": "Häfen"}, "de") == "Häfen"


def _run(function):
    function(apps, SimpleNamespace(connection=connection))


def test_loading_again_restores_the_data_without_duplicates():
    digital = Theme.objects.get(code="digital")
    Theme.objects.filter(pk=digital.pk).update(labels={"en": "Edited"}, position=99)
    SustainableDevelopmentGoal.objects.filter(number=7).update(colour="#000000")

    _run(load_migration.load_taxonomy)

    assert Theme.objects.count() == 25
    assert SustainableDevelopmentGoal.objects.count() == 17
    digital.refresh_from_db()
    assert digital.labels["de"] == "Digitalisierung"
    assert digital.position == 7  # after climate, its four groups and labour
    assert SustainableDevelopmentGoal.objects.get(number=7).colour == "#FCC30B"


def test_reverse_removes_what_it_loaded_and_forward_brings_it_back():
    _run(load_migration.unload_taxonomy)
    assert (Theme.objects.count(), SustainableDevelopmentGoal.objects.count()) == (0, 0)

    _run(load_migration.load_taxonomy)
    assert Theme.objects.count() == len(list(data.theme_rows()))
    assert SustainableDevelopmentGoal.objects.count() == 17


def test_reverse_leaves_a_theme_added_by_hand_protected():
    Theme.objects.create(
        code="ports",
        kind=ThemeKind.WORKING_GROUP,
        parent=Theme.objects.get(code="climate"),
        labels={"en": "Ports"},
    )
    with pytest.raises(ProtectedError):
        _run(load_migration.unload_taxonomy)
