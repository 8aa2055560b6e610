import dataclasses
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import transaction

from municipia.directory import places, selectors
from municipia.directory.enums import OrganisationType
from municipia.directory.management.commands.import_places import Progress
from municipia.directory.models import Organisation, OrganisationName

# Luxembourg and Malta: 275 places, small enough for a fast test, with
# accents, Maltese ħ, typographic apostrophes and two places of one name.
COUNTRIES = ["LU", "MT"]


@pytest.fixture(scope="module")
def lu_mt():
    return places.read_places(countries=COUNTRIES)


def load(found):
    with transaction.atomic():
        return places.load_places(found, countries=COUNTRIES)


def snapshot():
    membership = Organisation.member_of.through
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(OrganisationName.objects.order_by("pk").values()),
        sorted(membership.objects.values_list("from_organisation_id", "to_organisation_id")),
    )


def test_read_places_keeps_european_places_largest_first(lu_mt):
    assert len(lu_mt) == 275
    assert {p.country for p in lu_mt} == {"LU", "MT"}
    assert lu_mt[0].name == "Luxembourg"
    populations = [p.population for p in lu_mt]
    assert populations == sorted(populations, reverse=True)
    assert min(populations) >= 500
    luxembourg = lu_mt[0]
    assert (luxembourg.region_code, luxembourg.region_name) == ("LU.LU", "Luxembourg")
    assert "Lëtzebuerg" in luxembourg.other_names
    assert "Люксембург" in luxembourg.other_names


def test_reasonable_other_names():
    assert places.reasonable_other_names(
        "Köln",
        [
            "CGN",  # airport code
            "Koeln",
            "Köln",  # the official name again
            "koln",  # machine romanisation, and folds to the official name anyway
            "kerun",  # machine romanisation
            "Kolin nad Rynem",
            "Kolín nad Rýnem",  # the accented spelling of the same name wins
            "Κολωνία",
            "Кёльн",
            "ケルン",  # script nobody here searches in
            "كولونيا",
            "Colonia  Agrippina",
            "Köln 1",
        ],
    ) == ("Koeln", "Kolín nad Rýnem", "Κολωνία", "Кёльн", "Colonia Agrippina")


def test_command_imports_and_second_run_changes_nothing(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_places", countries="lu,MT", stdout=out, stderr=err)
    assert "275 created" in out.getvalue()
    assert "2 national associations created" in out.getvalue()
    assert "100% 275/275 places" in err.getvalue()

    municipalities = Organisation.objects.filter(kind=OrganisationType.MUNICIPALITY)
    assert municipalities.count() == 275
    assert municipalities.filter(geonames_id__isnull=True).count() == 0
    association = Organisation.objects.get(slug="association-lu")
    assert association.kind == OrganisationType.NATIONAL_ASSOCIATION
    assert association.is_placeholder
    assert association.name == (
        "National association of local and regional governments \u2013 Luxembourg"
    )
    assert association.members.count() == municipalities.filter(country="LU").count()
    assert Organisation.objects.get(slug="association-mt").members.count() == (
        municipalities.filter(country="MT").count()
    )
    luxembourg = Organisation.objects.get(geonames_id=2960316)
    assert luxembourg.slug == "luxembourg"
    assert luxembourg.population == 76684
    assert (luxembourg.latitude, luxembourg.longitude) == (49.60982, 6.13268)
    assert luxembourg.search_text.startswith("|luxembourg|")
    assert "|letzebuerg|" in luxembourg.search_text
    assert luxembourg.other_names.filter(name="Lëtzebuerg", language="").exists()

    before = snapshot()
    out = io.StringIO()
    call_command("import_places", countries="LU,MT", stdout=out, stderr=io.StringIO())
    assert (
        out.getvalue()
        .splitlines()[-1]
        .startswith("Nothing changed: all 275 places were already up to date")
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("letzebuerg", "Luxembourg"),
        ("Luxemburg", "Luxembourg"),
        ("Люксембург", "Luxembourg"),
        ("bahar", "San Pawl il-Baħar"),
        ("saint paul's bay", "San Pawl il-Baħar"),
        ("b'kara", "Birkirkara"),
        ("esch sur", "Esch-sur-Alzette"),
    ],
)
def test_imported_places_are_found_by_any_name(db, lu_mt, query, found):
    load(lu_mt)
    results = selectors.search_organisations(viewer=AnonymousUser(), query=query)
    assert results[0].name == found


def test_namesakes_get_distinct_slugs_largest_first(db, lu_mt):
    load(lu_mt)
    erpeldange = Organisation.objects.filter(name="Erpeldange").order_by("-population")
    assert [o.slug for o in erpeldange] == ["erpeldange", "erpeldange-lu"]


def test_changes_are_applied_and_hand_made_entries_adopted(db, lu_mt, staff_user):
    from municipia.directory import services

    hand_made = services.create_organisation(
        actor=staff_user,
        name="Luxembourg",
        kind=OrganisationType.MUNICIPALITY,
        country="LU",
        description="Entered by hand before the import.",
    )
    services.set_other_names(
        actor=staff_user, organisation=hand_made, names=[("de", "Luxemburg"), ("lb", "Stad")]
    )
    result = load(lu_mt)
    assert (result.created, result.adopted, result.updated) == (274, 1, 1)
    hand_made.refresh_from_db()
    assert hand_made.geonames_id == 2960316
    assert hand_made.description == "Entered by hand before the import."
    assert hand_made.population == 76684
    languages = dict(hand_made.other_names.values_list("name", "language"))
    # The hand-made German name stays; GeoNames' "Luxemburg" is not added twice.
    assert languages["Luxemburg"] == "de"
    assert languages["Lëtzebuerg"] == ""
    assert Organisation.objects.filter(name="Luxembourg").count() == 1

    grown = [
        dataclasses.replace(p, population=p.population + 1) if p.name == "Birkirkara" else p
        for p in lu_mt
    ]
    result = load(grown)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 274)
    assert not result.names_added and not result.memberships_added
    assert Organisation.objects.get(name="Birkirkara").population == 24357


def test_completed_association_is_left_alone(db, lu_mt, staff_user):
    load(lu_mt[:5])
    from municipia.directory import services

    association = Organisation.objects.get(slug="association-lu")
    services.update_organisation_profile(actor=staff_user, organisation=association, name="Syvicol")
    result = load(lu_mt)
    association.refresh_from_db()
    assert (association.name, association.is_placeholder) == ("Syvicol", False)
    assert result.associations_created == 0


def test_limit_min_population_and_bad_countries(db, lu_mt):
    call_command(
        "import_places", countries="LU", limit=3, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert (
        list(
            Organisation.objects.filter(kind=OrganisationType.MUNICIPALITY)
            .order_by("-population")
            .values_list("name", flat=True)
        )
        == [p.name for p in lu_mt if p.country == "LU"][:3]
    )
    call_command(
        "import_places",
        countries="MT",
        min_population=20_000,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert set(
        Organisation.objects.filter(country="MT", kind=OrganisationType.MUNICIPALITY).values_list(
            "population", flat=True
        )
    ) == {p.population for p in lu_mt if p.country == "MT" and p.population >= 20_000}
    with pytest.raises(CommandError, match="Not European countries in GeoNames: TR, XX"):
        call_command("import_places", countries="XX,DE,TR", stdout=io.StringIO())


def test_progress_writes_a_line_every_ten_percent_when_not_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream, 1000)
    for done in range(0, 1001, 50):
        progress(done)
    progress.finish()
    percentages = [line.split()[0] for line in stream.getvalue().splitlines()]
    assert percentages == [f"{p}%" for p in range(10, 101, 10)]


def test_progress_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = Progress(stream, 4)
    for done in range(1, 5):
        progress(done)
    progress.finish()
    assert stream.getvalue().count("\r") == 4
    assert stream.getvalue().count("\n") == 1
    assert "[" + "#" * Progress.WIDTH + "] 100% 4/4 places" in stream.getvalue()
