import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from municipia.partnerships.enums import PartnershipStatus
from municipia.partnerships.imports import import_file
from municipia.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def write_csv(tmp_path, text: str):
    path = tmp_path / "twinnings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_partnerships_by_slug_geonames_id_and_name(
    tmp_path, organisation, other_organisation, third_organisation
):
    other_organisation.geonames_id = 3094802
    other_organisation.save(update_fields=["geonames_id"])
    path = write_csv(
        tmp_path,
        "organisation;partner;kind;started_on;status\n"
        "koln;3094802;twinning;1991;active\n"
        '"Espoo, Finland";koln;Peer learning and exchange;2019-09-01;\n',
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_partnerships", str(path), stdout=out, stderr=err)
    assert "2 row(s) imported: 2 created, 0 updated, 0 unchanged." in out.getvalue()
    twinning = Partnership.objects.get(kind="twinning")
    assert {twinning.organisation_a, twinning.organisation_b} == {
        organisation,
        other_organisation,
    }
    assert (twinning.status, twinning.started_on.isoformat()) == ("active", "1991-01-01")
    learning = Partnership.objects.get(kind="peer_learning")
    assert {learning.organisation_a, learning.organisation_b} == {organisation, third_organisation}
    assert learning.status == PartnershipStatus.EXPLORING

    # The same file again changes nothing; a changed status updates.
    call_command("import_partnerships", str(path), stdout=(out := io.StringIO()))
    assert "0 created, 0 updated, 2 unchanged." in out.getvalue()
    path = write_csv(tmp_path, "organisation,partner,kind,status\nkrakow,koln,twinning,dormant\n")
    call_command("import_partnerships", str(path), stdout=(out := io.StringIO()))
    assert "0 created, 1 updated, 0 unchanged." in out.getvalue()
    twinning.refresh_from_db()
    assert twinning.status == PartnershipStatus.DORMANT


def test_a_file_with_any_problem_writes_nothing_and_reports_every_row(
    tmp_path, organisation, other_organisation, third_organisation
):
    path = write_csv(
        tmp_path,
        "organisation,partner,kind,started_on,status\n"
        "koln,krakow,twinning,1991,active\n"
        "koln,nowhere,twinning,,\n"
        "espoo,espoo,thematic,,\n"
        "krakow,koln,twinning,,\n"
        "espoo,koln,friendship,someday,\n"
        "elsewhere,koln,friendship,,\n",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="7 problem"):
        call_command("import_partnerships", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "row 3 [partner]: No organisation is “nowhere”: give its address (slug), its GeoNames "
        "id, or its name and country as “Köln, DE”.",
        "row 4 [partner]: An organisation cannot be its own partner.",
        "row 5 [partner]: The same partnership as in row 2.",
        "row 6 [kind]: Unknown kind “friendship”: use one of twinning, thematic, peer_learning, "
        "solidarity, development_cooperation.",
        "row 6 [started_on]: “someday” is not a date: write 1991-05-01 or just the year, 1991.",
        # A row with a wrong cell still has its organisations looked up.
        "row 7 [kind]: Unknown kind “friendship”: use one of twinning, thematic, peer_learning, "
        "solidarity, development_cooperation.",
        "row 7 [organisation]: No organisation is “elsewhere”: give its address (slug), its "
        "GeoNames id, or its name and country as “Köln, DE”.",
    ]
    assert Partnership.objects.count() == 0


def test_a_row_a_service_refuses_rolls_back_the_whole_file(
    tmp_path, organisation, other_organisation, third_organisation
):
    write = write_csv(tmp_path, "organisation,partner,kind,status\nkoln,krakow,twinning,ended\n")
    call_command("import_partnerships", str(write), stdout=io.StringIO())
    # Row 2 is fine, but an ended partnership cannot become dormant (row 3).
    path = write_csv(
        tmp_path,
        "organisation,partner,kind,status\nkoln,espoo,thematic,active\n"
        "koln,krakow,twinning,dormant\n",
    )
    report = import_file(actor=None, file=path, filename=path.name)
    assert [(p.row, p.column) for p in report.problems] == [(3, "status")]
    assert (report.created, report.updated) == (0, 0)
    assert list(Partnership.objects.values_list("kind", "status")) == [("twinning", "ended")]


def test_a_user_imports_only_partnerships_of_their_organisations(
    tmp_path, organisation, other_organisation, third_organisation, organisation_editor
):
    path = write_csv(
        tmp_path, "organisation,partner,kind\nkoln,krakow,twinning\nespoo,krakow,thematic\n"
    )
    report = import_file(actor=organisation_editor, file=path, filename=path.name)
    assert [(p.row, p.column) for p in report.problems] == [(3, "organisation")]
    assert Partnership.objects.count() == 0


def test_xlsx_and_missing_columns(tmp_path, organisation, other_organisation):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Partner", "Kind", "Started on"])
    sheet.append(["koln", "krakow", "twinning", "1991-05-01"])
    path = tmp_path / "twinnings.xlsx"
    workbook.save(path)
    report = import_file(actor=None, file=path, filename=path.name)
    assert (report.ok, report.created) == (True, 1)
    assert Partnership.objects.get().started_on.isoformat() == "1991-05-01"

    path = write_csv(tmp_path, "organisation,kind\nkoln,twinning\n")
    report = import_file(actor=None, file=path, filename=path.name)
    assert [p.message for p in report.problems] == ["Required columns are missing: partner."]
