"""Bulk import: validation of every row first, then all or nothing."""

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from municipia.directory import imports, services
from municipia.directory.enums import OrganisationType, Position
from municipia.directory.imports import ORGANISATIONS, PEOPLE, import_file
from municipia.directory.models import Organisation, Person

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
COVENANT = SHARED_DATA / "covenant-of-mayors" / "gcom_mycovenant_df1_signatories_2024"
needs_shared_data = pytest.mark.skipif(
    not COVENANT.with_suffix(".csv").exists(),
    reason=f"the Covenant of Mayors data set is not in {SHARED_DATA} (see shared/data/README.md)",
)

HEADER = ["name", "type", "country", "region", "population", "latitude", "longitude"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER, sheets_before=()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, content in sheets_before:
        sheet = workbook.create_sheet(title)
        for row in content:
            sheet.append(row)
    sheet = workbook.create_sheet("data")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(data: bytes, *, filename="file.csv", kind=ORGANISATIONS, actor=None, dry_run=False):
    upload = SimpleUploadedFile(filename, data)
    return import_file(actor=actor, file=upload, filename=filename, kind=kind, dry_run=dry_run)


def problems(report) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in report.problems]


GOOD_ROWS = [
    ["Köln", "municipality", "DE", "", "1084831", "50.9375", "6.9603"],
    ["Kraków", "Municipality", "POL", "", "800 653", "50.0614", "19.9366"],
    ["Région Île-de-France", "region", "France", "", "12,271,794", "", ""],
]


# -- organisations ---------------------------------------------------------------------


def test_import_creates_organisations(db):
    report = run(csv_bytes(GOOD_ROWS))
    assert report.ok, problems(report)
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    koln = Organisation.objects.get(name="Köln")
    assert (koln.country, koln.population, koln.latitude) == ("DE", 1_084_831, 50.9375)
    assert "koln" in koln.search_text
    krakow = Organisation.objects.get(name="Kraków")
    assert (krakow.country, krakow.population) == ("PL", 800_653)
    region = Organisation.objects.get(country="FR")
    assert (region.kind, region.population) == (OrganisationType.REGION, 12_271_794)


def test_semicolons_bom_and_decimal_commas(db):
    rows = [["Köln", "municipality", "de", "", "1084831", "50,9375", "6,9603"]]
    report = run(csv_bytes(rows, delimiter=";", bom=True))
    assert report.ok, problems(report)
    koln = Organisation.objects.get()
    assert koln.name == "Köln"
    assert (koln.latitude, koln.longitude) == (50.9375, 6.9603)


def test_every_optional_column(association):
    header = [
        "Name",
        "Type",
        "Country",
        "Region",
        "Website",
        "Working languages",
        "partnership_interests",
        "association",
        "notes",
    ]
    rows = [
        [
            "Bonn",
            "municipality",
            "DE",
            "DE.07",
            "www.bonn.de",
            "de; en",
            "twinning,Peer learning and exchange",
            "rgre",
            "ignored",
        ]
    ]
    report = run(csv_bytes(rows, header=header), actor=None)
    assert report.ok, problems(report)
    assert report.ignored_columns == ["notes"]
    bonn = Organisation.objects.get(name="Bonn")
    assert bonn.website == "https://www.bonn.de"
    assert bonn.working_languages == ",de,en,"
    assert bonn.partnership_interests == ",twinning,peer_learning,"
    assert bonn.region_code == "DE.07"
    assert list(bonn.member_of.all()) == [association]


def test_region_by_name_of_a_known_region(db):
    services.create_organisation(
        actor=None,
        name="Aachen",
        kind="municipality",
        country="DE",
        region_code="DE.07",
        region_name="Nordrhein-Westfalen",
    )
    report = run(csv_bytes([["Bonn", "municipality", "DE", "nordrhein-westfalen", "", "", ""]]))
    assert report.ok, problems(report)
    bonn = Organisation.objects.get(name="Bonn")
    assert (bonn.region_code, bonn.region_name) == ("DE.07", "Nordrhein-Westfalen")


def test_xlsx_import_reads_the_sheet_with_the_columns(db):
    data = xlsx_bytes(
        [["Köln", "municipality", "DE", None, 1084831, 50.9375, 6.9603]],
        sheets_before=[("README", [["About this file"], ["Nothing to import here"]])],
    )
    report = run(data, filename="organisations.xlsx")
    assert report.ok, problems(report)
    koln = Organisation.objects.get()
    assert (koln.name, koln.population, koln.longitude) == ("Köln", 1_084_831, 6.9603)


def test_every_bad_row_and_column_is_reported_and_nothing_written(db):
    rows = [
        GOOD_ROWS[0],
        ["", "village", "Atlantis", "", "many", "91", "7"],
        ["Bonn", "municipality", "DE", "", "-", "50.7", ""],
        GOOD_ROWS[1],
    ]
    report = run(csv_bytes(rows))
    assert not report.ok
    assert report.created == 0
    assert Organisation.objects.count() == 0
    assert problems(report) == [
        (3, "name", "This column must not be empty."),
        (
            3,
            "type",
            "Unknown type “village”: use one of municipality, province, region, "
            "national_association, network, partner.",
        ),
        (
            3,
            "country",
            "Unknown country “Atlantis”: use an ISO 3166-1 code such as DE or DEU, "
            "or the English name.",
        ),
        (3, "population", "“many” is not a whole number."),
        (3, "latitude", "“91” is not a number between -90 and 90."),
        (4, "population", "“-” is not a whole number."),
        (4, "longitude", "Give both latitude and longitude, or neither."),
    ]


def test_unknown_country_codes(db):
    rows = [
        ["Köln", "municipality", "DE", "", "", "", ""],
        ["Nowhere", "municipality", "ZZ", "", "", "", ""],
        ["Elsewhere", "municipality", "XYZ", "", "", "", ""],
        ["Priština", "municipality", "XK", "", "", "", ""],
    ]
    report = run(csv_bytes(rows))
    assert [(p.row, p.column) for p in report.problems] == [(3, "country"), (4, "country")]
    assert not Organisation.objects.exists()


def test_missing_columns_are_reported_once(db):
    rows = [["Köln", "1084831"]] * 50
    report = run(csv_bytes(rows, header=["Name", "Population"]))
    assert problems(report) == [
        (None, "type, country", "Required columns are missing: type, country.")
    ]


def test_duplicate_rows_in_the_file(db):
    rows = [
        GOOD_ROWS[0],
        GOOD_ROWS[1],
        ["KÖLN", "municipality", "DE", "", "", "", ""],
    ]
    report = run(csv_bytes(rows))
    assert problems(report) == [(4, "name", "The same organisation as in row 2.")]
    assert not Organisation.objects.exists()


def test_duplicate_column_names(db):
    report = run(csv_bytes([["a", "b", "c", "d"]], header=["name", "type", "country", "name"]))
    assert problems(report) == [(None, "name", "These columns appear more than once: name.")]


def test_wrong_encoding(db):
    data = csv_bytes([["Köln", "municipality", "DE", "", "", "", ""]], encoding="cp1252")
    report = run(data)
    assert len(report.problems) == 1
    assert report.problems[0].row == 2
    assert "not in UTF-8" in report.problems[0].message
    assert "CSV UTF-8" in report.problems[0].message
    assert not Organisation.objects.exists()


def test_wrong_encoding_late_in_a_long_file(db):
    good = csv_bytes([[f"Ort {n}", "municipality", "DE", "", "", "", ""] for n in range(5000)])
    data = good + "München,municipality,DE,,,,\n".encode("cp1252")
    report = run(data)
    assert [(p.row, "UTF-8" in p.message) for p in report.problems] == [(5002, True)]
    assert not Organisation.objects.exists()


def test_utf16_file(db):
    data = csv_bytes([["Köln", "municipality", "DE", "", "", "", ""]], encoding="utf-16")
    report = run(data)
    assert "UTF-16" in report.problems[0].message


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"PK\x03\x04 this is no workbook", "broken.xlsx", "not a valid Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old.xls", "Old Excel files (.xls)"),
    ],
)
def test_unreadable_files(db, data, filename, message):
    report = run(data, filename=filename)
    assert len(report.problems) == 1
    assert message in report.problems[0].message


def test_write_errors_roll_back_every_row(db):
    """A problem only the database layer finds still leaves nothing behind."""
    too_long = "https://example.org/" + "a" * 300
    header = [*HEADER, "website"]
    rows = [[*GOOD_ROWS[0], ""], [*GOOD_ROWS[1], too_long]]
    report = run(csv_bytes(rows, header=header))
    assert [(p.row, p.column) for p in report.problems] == [(3, "website")]
    assert report.created == 0
    assert not Organisation.objects.exists()


def test_dry_run_writes_nothing(db):
    report = run(csv_bytes(GOOD_ROWS), dry_run=True)
    assert report.ok and report.rows == 3 and report.created == 0
    assert not Organisation.objects.exists()


def test_updates_by_geonames_id_and_by_address(db):
    header = [*HEADER, "geonames_id", "slug"]
    first = run(csv_bytes([[*GOOD_ROWS[0], "2886242", ""]], header=header))
    assert first.ok, problems(first)
    koln = Organisation.objects.get(geonames_id=2886242)
    rows = [
        ["Köln", "municipality", "DE", "", "1100000", "", "", "2886242", ""],
        ["Kraków", "municipality", "PL", "", "", "", "", "", ""],
    ]
    second = run(csv_bytes(rows, header=header))
    assert (second.created, second.updated, second.unchanged) == (1, 1, 0)
    koln.refresh_from_db()
    # Empty cells leave what is there.
    assert (koln.population, koln.latitude) == (1_100_000, 50.9375)
    krakow = Organisation.objects.get(name="Kraków")
    third = run(
        csv_bytes(
            [["Krakau", "municipality", "PL", "", "", "", "", "", krakow.slug]], header=header
        )
    )
    assert third.ok and third.updated == 1
    krakow.refresh_from_db()
    assert krakow.name == "Krakau"
    unknown = run(
        csv_bytes([["X", "municipality", "PL", "", "", "", "", "", "no-such"]], header=header)
    )
    assert problems(unknown) == [(2, "slug", "No organisation has the address “no-such”.")]


def test_rows_without_a_key_update_the_organisation_of_the_same_name(db):
    for region in ("Bayern", "Sachsen"):
        services.create_organisation(
            actor=None, name="Neustadt", kind="municipality", country="DE", region_name=region
        )
    report = run(csv_bytes([["Neustadt", "municipality", "DE", "", "1000", "", ""]]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "name")]
    assert "2 organisations of this type in this country are called" in report.problems[0].message
    report = run(csv_bytes([["Neustadt", "municipality", "DE", "Sachsen", "1000", "", ""]]))
    assert (report.created, report.updated) == (0, 1)
    assert Organisation.objects.get(region_name="Sachsen").population == 1000
    # Another type of the same name is another organisation.
    report = run(csv_bytes([["Neustadt", "region", "DE", "", "", "", ""]]))
    assert report.created == 1


def test_same_geonames_id_twice(db):
    header = [*HEADER, "geonames_id"]
    rows = [[*GOOD_ROWS[0], "2886242"], [*GOOD_ROWS[1], "2886242"]]
    assert problems(run(csv_bytes(rows, header=header))) == [
        (3, "name", "The same organisation as in row 2.")
    ]


def test_unknown_association(db, association):
    header = [*HEADER, "association"]
    rows = [[*GOOD_ROWS[0], "no-such-association"], [*GOOD_ROWS[1], "koln"]]
    report = run(csv_bytes(rows, header=header))
    assert [(p.row, p.column) for p in report.problems] == [(2, "association"), (3, "association")]


# -- who may import -----------------------------------------------------------------------


def test_association_manager_imports_for_own_country_only(association_manager, association):
    report = run(csv_bytes(GOOD_ROWS), actor=association_manager)
    assert [(p.row, p.column) for p in report.problems] == [(3, "country"), (4, "country")]
    assert "country of your national association" in report.problems[0].message
    assert not Organisation.objects.filter(name="Köln").exists()

    report = run(csv_bytes([GOOD_ROWS[0]]), actor=association_manager)
    assert report.ok, problems(report)
    koln = Organisation.objects.get(name="Köln")
    # New organisations join the manager's association.
    assert list(koln.member_of.all()) == [association]


def test_association_manager_cannot_set_geonames_ids_or_change_type(
    association_manager, organisation
):
    header = [*HEADER, "geonames_id", "slug"]
    rows = [
        [*GOOD_ROWS[0][:7], "123", ""],
        ["Köln", "region", "DE", "", "", "", "", "", "koln"],
    ]
    report = run(csv_bytes(rows, header=header), actor=association_manager)
    assert [(p.row, p.column) for p in report.problems] == [(2, "geonames_id"), (3, "type")]


def test_users_without_import_rights(organisation_editor):
    report = run(csv_bytes(GOOD_ROWS), actor=organisation_editor)
    assert problems(report) == [(None, "", "You may not import into the directory.")]


# -- people -------------------------------------------------------------------------------

PEOPLE_HEADER = ["organisation", "name", "position", "title", "email", "phone", "consent"]


def test_people_import(organisation, other_organisation):
    services.update_organisation_profile(
        actor=None, organisation=other_organisation, geonames_id=3094802
    )
    rows = [
        [
            "koln",
            "Anna Beispiel",
            "officer",
            "International relations",
            "anna@example.org",
            "",
            "yes",
        ],
        ["KOLN", "Bert Beispiel", "Elected official", "", "", "+49 221 0", "no"],
        ["3094802", "Jan Przykład", "expert", "", "", "", ""],
    ]
    report = run(csv_bytes(rows, header=PEOPLE_HEADER), kind=PEOPLE)
    assert report.ok, problems(report)
    assert report.created == 3
    anna = Person.objects.get(name="Anna Beispiel")
    assert anna.has_consented and anna.email == "anna@example.org"
    bert = Person.objects.get(name="Bert Beispiel")
    assert (bert.position, bert.has_consented) == (Position.ELECTED_OFFICIAL, False)
    assert Person.objects.get(name="Jan Przykład").organisation == other_organisation

    # A second file updates the same people (matched by organisation and name).
    rows = [
        ["koln", "anna beispiel", "officer", "Head of unit", "", "", "no"],
        ["koln", "Bert Beispiel", "elected_official", "", "", "+49 221 0", "no"],
    ]
    report = run(csv_bytes(rows, header=PEOPLE_HEADER), kind=PEOPLE)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    anna.refresh_from_db()
    # Empty cells keep what was there; the name keeps its spelling.
    assert (anna.name, anna.title, anna.email) == (
        "Anna Beispiel",
        "Head of unit",
        "anna@example.org",
    )
    assert not anna.has_consented


def test_people_import_problems(organisation):
    services.add_person(
        actor=None,
        organisation=organisation,
        name="Existing",
        position="staff",
        consent_given_at=timezone.now(),
    )
    rows = [
        ["koln", "Anna", "officer", "", "not-an-address", "", "yes"],
        ["nowhere", "Bert", "officer", "", "", "", "yes"],
        ["koln", "Carla", "queen", "", "", "", "maybe"],
        ["koln", "Dora", "officer", "", "", "", ""],
        ["koln", "DORA", "officer", "", "", "", ""],
    ]
    report = run(csv_bytes(rows, header=PEOPLE_HEADER), kind=PEOPLE)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "email"),
        (3, "organisation"),
        (4, "position"),
        (4, "consent"),
        (6, "name"),
    ]
    assert list(Person.objects.values_list("name", flat=True)) == ["Existing"]


def test_people_import_for_another_country(association_manager, other_organisation):
    rows = [["krakow", "Jan", "officer", "", "", "", "yes"]]
    report = run(csv_bytes(rows, header=PEOPLE_HEADER), kind=PEOPLE, actor=association_manager)
    assert [(p.row, p.column) for p in report.problems] == [(2, "organisation")]


# -- the page and the command ------------------------------------------------------------------


@pytest.fixture
def _uploads_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


# The page queues a job (run at once by the immediate task backend in tests)
# and redirects to it; test_import_jobs covers the jobs themselves.


@pytest.mark.usefixtures("_uploads_in_memory")
def test_import_page_reports_problems(client, association_manager):
    client.force_login(association_manager)
    upload = SimpleUploadedFile(
        "bad.csv", csv_bytes([["<b>Köln</b>", "municipality", "Atlantis", "", "", "", ""]])
    )
    response = client.post(
        reverse("directory:import"), {"kind": "organisations", "file": upload}, follow=True
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 problem found. Nothing was written" in content
    assert "Unknown country “Atlantis”" in content
    assert "<b>Köln</b>" not in content
    assert not Organisation.objects.filter(country="DE", name__contains="Köln").exists()


@pytest.mark.usefixtures("_uploads_in_memory")
def test_import_page_imports(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("good.xlsx", xlsx_bytes(GOOD_ROWS))
    response = client.post(
        reverse("directory:import"), {"kind": "organisations", "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert "3 rows imported: 3 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Organisation.objects.count() == 3


def test_import_page_refuses_a_50_mb_file(client, staff_user):
    client.force_login(staff_user)
    line = b"Ort,municipality,DE,,,,\n"
    data = b"name,type,country,region,population,latitude,longitude\n" + line * (
        50 * 1024 * 1024 // len(line)
    )
    upload = SimpleUploadedFile("huge.csv", data)
    response = client.post(reverse("directory:import"), {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is 50.0 MB; at most 20 MB can be imported at once."
    ]
    assert "job" not in response.context
    assert not Organisation.objects.exists()


def test_import_of_a_large_file_from_disk_is_refused_before_reading(db, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing to read
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert problems(report) == [
        (None, "", "The file is 50.0 MB; at most 20 MB can be imported at once.")
    ]


def test_import_command(db, tmp_path, capsys):
    path = tmp_path / "organisations.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    call_command("import_directory", str(path), "--kind", "organisations", "--dry-run")
    assert not Organisation.objects.exists()
    call_command("import_directory", str(path), "--kind", "organisations")
    assert "3 row(s) imported: 3 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    path.write_bytes(csv_bytes([["X", "municipality", "ZZ", "", "", "", ""]]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_directory", str(path), "--kind", "organisations")
    assert "row 2 [country]: Unknown country" in capsys.readouterr().err


def test_row_limit(db, monkeypatch):
    monkeypatch.setattr(imports.all_or_nothing, "MAX_ROWS", 3)
    report = run(csv_bytes([*GOOD_ROWS, ["Bonn", "municipality", "DE", "", "", "", ""]]))
    assert [(p.row, "more than 3 rows" in p.message) for p in report.problems] == [(5, True)]
    assert not Organisation.objects.exists()


# -- real data: the Covenant of Mayors signatories --------------------------------------------


def covenant_to_our_columns(record: dict) -> list:
    """Map a Covenant of Mayors row to the import columns (what a network's staff
    would do in a spreadsheet before importing)."""
    return [
        record["organisation_name"],
        "municipality",
        record["country_code"],
        "",
        record["population_adhesion"],
        record["organisation_latitude"],
        record["organisation_longitude"],
    ]


@needs_shared_data
def test_covenant_file_as_is_lacks_our_columns(db):
    path = COVENANT.with_suffix(".csv")
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert problems(report) == [
        (None, "name, type, country", "Required columns are missing: name, type, country.")
    ]
    assert "organisation_name" in report.ignored_columns


@needs_shared_data
def test_covenant_sample_imports(db, tmp_path):
    with COVENANT.with_suffix(".csv").open(encoding="utf-8", newline="") as source:
        records = list(csv.DictReader(source))
    individual = [
        r
        for r in records
        if r["adhesion_type"] == "As an individual signatory"
        and r["population_adhesion"].isdigit()
        and r["country_code"] in {"de", "it", "es", "fr", "ua", "ge"}
    ]
    # The real file names a few signatories twice; keep those in the sample.
    counts = Counter(fold_key(r) for r in individual)
    twice = [r for r in individual if counts[fold_key(r)] > 1]
    assert twice, "the data set is known to repeat some signatories"
    sample = individual[:200] + [r for r in twice if r not in individual[:200]]
    path = tmp_path / "covenant.csv"
    path.write_bytes(csv_bytes([covenant_to_our_columns(r) for r in sample], delimiter=";"))
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    repeated = len(sample) - len({fold_key(r) for r in sample})
    assert len(report.problems) == repeated > 0
    assert all("The same organisation as in row" in p.message for p in report.problems)
    assert not Organisation.objects.exists()

    unique = list({fold_key(r): r for r in reversed(sample)}.values())[::-1]
    path.write_bytes(csv_bytes([covenant_to_our_columns(r) for r in unique], delimiter=";"))
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert report.ok, problems(report)[:5]
    assert report.created == len(unique) == Organisation.objects.count()
    first = unique[0]
    created = Organisation.objects.get(
        name=first["organisation_name"], country=first["country_code"].upper()
    )
    assert created.population == int(first["population_adhesion"])

    # The same file again finds every organisation by its name and changes nothing.
    again = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(unique))
    assert Organisation.objects.count() == len(unique)


def fold_key(record: dict) -> tuple:
    from municipia.directory.text import fold

    return fold(record["organisation_name"]), record["country_code"]


@needs_shared_data
def test_covenant_real_rows_with_missing_values_are_reported(db, tmp_path):
    with COVENANT.with_suffix(".csv").open(encoding="utf-8", newline="") as source:
        records = list(csv.DictReader(source))
    dashes = [r for r in records if r["population_adhesion"] == "-"][:5]
    path = tmp_path / "covenant.csv"
    path.write_bytes(csv_bytes([covenant_to_our_columns(r) for r in dashes]))
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert [(p.row, p.column) for p in report.problems] == [
        (row, "population") for row in range(2, 7)
    ]


@needs_shared_data
def test_covenant_xlsx_sample_imports(db, tmp_path):
    workbook = openpyxl.load_workbook(COVENANT.with_suffix(".xlsx"), read_only=True)
    sheet = workbook["1"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    sample = []
    for values in rows:
        record = dict(zip(header, values, strict=False))
        if record["adhesion_type"] == "As an individual signatory" and isinstance(
            record["population_adhesion"], int | float
        ):
            record = {k: "" if v is None else str(v) for k, v in record.items()}
            record["population_adhesion"] = str(int(float(record["population_adhesion"])))
            sample.append(record)
        if len(sample) == 50:
            break
    workbook.close()
    path = tmp_path / "covenant.xlsx"
    path.write_bytes(xlsx_bytes([covenant_to_our_columns(r) for r in sample]))
    report = import_file(actor=None, file=path, filename=path.name, kind=ORGANISATIONS)
    assert report.ok, problems(report)[:5]
    assert report.created == 50
    assert Organisation.objects.filter(kind=OrganisationType.MUNICIPALITY).count() == 50
