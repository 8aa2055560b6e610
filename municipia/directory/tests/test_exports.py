"""Exports of a filtered directory view: CSV and XLSX, visibility and consent."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from municipia.directory import imports, services
from municipia.directory.enums import OrganisationType, Position, Visibility
from municipia.directory.exports import ORGANISATION_EXPORT_COLUMNS, PEOPLE_EXPORT_COLUMNS


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue()


def csv_rows(response) -> list[dict]:
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def directory(organisation, other_organisation, association):
    for fixture in (organisation, other_organisation, association):
        services.refresh_search_text(organisation=fixture)
    services.update_organisation_profile(
        actor=None,
        organisation=organisation,
        population=1_084_831,
        latitude=50.9375,
        longitude=6.9603,
        region_code="DE.07",
        region_name="Nordrhein-Westfalen",
        working_languages=["de", "en"],
        partnership_interests=["twinning", "thematic"],
        website="https://www.stadt-koeln.de",
    )
    services.verify_organisation(actor=None, organisation=organisation)
    hidden = services.create_organisation(
        actor=None, name="Verborgen", kind=OrganisationType.MUNICIPALITY, country="DE"
    )
    services.update_organisation_profile(
        actor=None, organisation=hidden, visibility=Visibility.HIDDEN
    )
    tricky = services.create_organisation(
        actor=None, name='=HYPERLINK("http://evil")', kind="municipality", country="DE"
    )
    services.add_person(
        actor=None,
        organisation=organisation,
        name="Listed Person",
        position=Position.MAYOR_OR_PRESIDENT,
        email="listed@example.org",
        consent_given_at=timezone.now(),
    )
    services.add_person(
        actor=None,
        organisation=organisation,
        name="Private Person",
        position=Position.OFFICER,
        email="private@example.org",
    )
    services.add_person(
        actor=None,
        organisation=hidden,
        name="Hidden Org Person",
        position=Position.OFFICER,
        consent_given_at=timezone.now(),
    )
    services.add_person(
        actor=None,
        organisation=other_organisation,
        name="Polish Person",
        position=Position.OFFICER,
        consent_given_at=timezone.now(),
    )
    return {"koln": organisation, "hidden": hidden, "tricky": tricky}


def export_url(kind: str, fmt: str) -> str:
    return reverse(f"directory:export_{kind}", args=[fmt])


def test_csv_export_of_the_filtered_view(client, directory):
    response = client.get(export_url("organisations", "csv"), {"q": "koln"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["name"] for row in rows] == ["Köln"]
    assert rows[0] == {
        "slug": "koln",
        "name": "Köln",
        "type": "municipality",
        "country": "DE",
        "region": "Nordrhein-Westfalen",
        "population": "1084831",
        "latitude": "50.9375",
        "longitude": "6.9603",
        "website": "https://www.stadt-koeln.de",
        "working_languages": "de,en",
        "partnership_interests": "twinning,thematic",
        "association": "rgre",
        "geonames_id": "",
        "verified": "yes",
    }
    assert list(rows[0]) == ORGANISATION_EXPORT_COLUMNS


def test_export_respects_visibility(client, directory, staff_user):
    names = {row["name"] for row in csv_rows(client.get(export_url("organisations", "csv")))}
    assert "Verborgen" not in names and "Köln" in names
    client.force_login(staff_user)
    names = {row["name"] for row in csv_rows(client.get(export_url("organisations", "csv")))}
    assert "Verborgen" in names


def test_xlsx_export(client, directory):
    response = client.get(export_url("organisations", "xlsx"), {"country": "DE", "sort": "name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    assert [row["name"] for row in rows] == [
        '=HYPERLINK("http://evil")',
        "Deutsche Sektion des RGRE",
        "Köln",
    ]
    assert rows[2]["population"] == 1_084_831 and rows[2]["latitude"] == 50.9375


def test_formulas_are_exported_as_text(client, directory):
    rows = csv_rows(client.get(export_url("organisations", "csv"), {"q": "hyperlink"}))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    workbook = openpyxl.load_workbook(
        io.BytesIO(content_of(client.get(export_url("organisations", "xlsx"), {"q": "hyperlink"})))
    )
    cell = workbook.worksheets[0]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'


def test_people_export_needs_a_login(client, directory):
    response = client.get(export_url("people", "csv"))
    assert response.status_code == 302


def test_people_export_only_with_consent(client, directory, organisation_editor, staff_user):
    # Even the organisation's own editors and staff export only people who consented.
    for user in (organisation_editor, staff_user):
        client.force_login(user)
        rows = csv_rows(client.get(export_url("people", "csv"), {"country": "DE"}))
        names = [row["name"] for row in rows]
        assert "Listed Person" in names
        assert "Private Person" not in names
        assert list(rows[0]) == PEOPLE_EXPORT_COLUMNS
    xlsx = xlsx_rows(client.get(export_url("people", "xlsx"), {"q": "koln"}))
    assert xlsx == [
        {
            "organisation": "koln",
            "name": "Listed Person",
            "position": "mayor_or_president",
            # Empty text is an empty cell.
            "title": None,
            "email": "listed@example.org",
            "phone": None,
            "consent": "yes",
        }
    ]


def test_people_export_follows_filters_and_visibility(client, directory, plain_user):
    client.force_login(plain_user)
    names = [row["name"] for row in csv_rows(client.get(export_url("people", "csv")))]
    assert sorted(names) == ["Listed Person", "Polish Person"]
    names = [
        row["name"] for row in csv_rows(client.get(export_url("people", "csv"), {"country": "PL"}))
    ]
    assert names == ["Polish Person"]


def test_unknown_format_is_404(client, directory):
    assert client.get(export_url("organisations", "pdf")).status_code == 404


def test_search_page_links_exports_with_the_same_query(client, directory):
    content = client.get(reverse("directory:search"), {"q": "koln", "country": "DE"}).content
    assert b"/en/directory/export/organisations.csv?q=koln&amp;country=DE" in content
    assert b"/export/people.csv" not in content


def test_export_imports_again_unchanged(client, directory, staff_user, tmp_path):
    """An exported file is a valid import file: re-importing it updates in place."""
    client.force_login(staff_user)
    path = tmp_path / "export.csv"
    path.write_bytes(content_of(client.get(export_url("organisations", "csv"), {"country": "DE"})))
    report = imports.import_file(
        actor=staff_user, file=path, filename=path.name, kind=imports.ORGANISATIONS
    )
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    directory["tricky"].refresh_from_db()
    assert directory["tricky"].name == '=HYPERLINK("http://evil")'
    directory["koln"].refresh_from_db()
    assert directory["koln"].partnership_interests == ",twinning,thematic,"
    assert directory["koln"].region_code == "DE.07"
