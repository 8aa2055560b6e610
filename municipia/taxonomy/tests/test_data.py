"""The taxonomy data module on its own: complete, consistent, and in step with the models."""

import re

from django.conf import settings

from municipia.taxonomy import data
from municipia.taxonomy.enums import ThemeKind

UN_COLOURS = [
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942",
    "#FD6925", "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D",
    "#19486A",
]  # fmt: skip


def all_entries():
    yield from data.theme_rows()
    yield from data.SUSTAINABLE_DEVELOPMENT_GOALS


def test_languages_are_the_interface_languages():
    assert list(data.LANGUAGES) == [code for code, _ in settings.LANGUAGES]


def test_kinds_are_the_model_choices():
    assert {data.IMPACT_COMMUNITY, data.WORKING_GROUP, data.CROSS_CUTTING_GROUP} == set(
        ThemeKind.values
    )
    assert {row["kind"] for row in data.theme_rows()} == set(ThemeKind.values)


def test_every_text_is_present_in_every_language():
    for entry in all_entries():
        for field in ("labels", "descriptions"):
            assert set(entry[field]) == set(data.LANGUAGES), (entry, field)
            for language, text in entry[field].items():
                assert text.strip() == text and text, (entry, field, language)


def test_descriptions_are_single_sentences_and_labels_are_not():
    for entry in all_entries():
        for language, text in entry["descriptions"].items():
            assert text.endswith("."), (entry, language)
            assert text[0].isupper(), (entry, language)
        for language, text in entry["labels"].items():
            assert not text.endswith("."), (entry, language)


def test_translations_differ_from_english_where_languages_differ():
    # Guards against an English text pasted into another language's slot. A few names are
    # legitimately the same word across languages; none of these labels or sentences is.
    for entry in all_entries():
        english = entry["descriptions"]["en"]
        for language in ("fr", "es", "de"):
            assert entry["descriptions"][language] != english, (entry, language)


def test_codes_are_unique_slugs_and_parents_come_first():
    codes = [row["code"] for row in data.theme_rows()]
    assert len(codes) == len(set(codes))
    seen = set()
    for row in data.theme_rows():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["code"]), row["code"]
        assert len(row["code"]) <= 64
        assert row["parent_code"] is None or row["parent_code"] in seen
        assert (row["parent_code"] is not None) == (row["kind"] == data.WORKING_GROUP)
        seen.add(row["code"])


def test_positions_follow_the_source_order():
    positions = [row["position"] for row in data.theme_rows()]
    assert positions == list(range(1, len(positions) + 1))


def test_community_labels_keep_short_name_and_long_title():
    for community in data.IMPACT_COMMUNITIES:
        for language, label in community["labels"].items():
            short, _, title = label.partition(" — ")
            assert short and title, (community["code"], language)


def test_sdgs_are_numbered_with_official_colours():
    assert [goal["number"] for goal in data.SUSTAINABLE_DEVELOPMENT_GOALS] == list(range(1, 18))
    assert [goal["colour"] for goal in data.SUSTAINABLE_DEVELOPMENT_GOALS] == UN_COLOURS


def test_sdg_official_names_spot_check():
    first = data.SUSTAINABLE_DEVELOPMENT_GOALS[0]
    assert first["labels"] == {
        "en": "No poverty",
        "fr": "Pas de pauvreté",
        "es": "Fin de la pobreza",
        "de": "Keine Armut",
    }
    assert first["descriptions"]["en"] == "End poverty in all its forms everywhere."
    assert data.SUSTAINABLE_DEVELOPMENT_GOALS[16]["labels"]["es"] == (
        "Alianzas para lograr los objetivos"
    )
