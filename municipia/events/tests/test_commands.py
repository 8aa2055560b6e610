"""manage.py import_programme and export_programme."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from municipia.events.models import Event, Session

from .test_formats_frab import SCHEDULES, XsdSubset, needs_data


@pytest.fixture
def congress(db):
    return Event.objects.create(
        slug="31c3",
        title="31. Chaos Communication Congress",
        kind="congress",
        time_zone="Europe/Berlin",
        starts_on=datetime.date(2014, 12, 27),
        ends_on=datetime.date(2014, 12, 30),
    )


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@needs_data
def test_import_reports_counts_warnings_and_is_idempotent(congress):
    path = str(SCHEDULES / "31c3-schedule.xml")
    out, err = run("import_programme", path, "--event", "31c3")
    assert "frab-xml: 138 session(s) read, 0 skipped; 4 room(s)" in out
    assert "138 created, 0 updated, 0 unchanged" in out
    assert "Warning: 112 event guid(s) are not UUIDs" in err
    out, _err = run("import_programme", path, "--event", "31c3")
    assert "0 created, 0 updated, 138 unchanged" in out
    assert Session.objects.filter(event=congress).count() == 138


@needs_data
def test_dry_run_checks_and_writes_nothing(congress):
    out, _err = run(
        "import_programme", str(SCHEDULES / "31c3-schedule.xml"), "--event", "31c3", "--dry-run"
    )
    assert "138 row(s) checked, no problems; nothing written." in out
    assert not Session.objects.filter(event=congress).exists()


def test_unreadable_file_fails_and_writes_nothing(congress, tmp_path):
    bad = tmp_path / "programme.xml"
    bad.write_text("<schedule><day></schedule>")
    with pytest.raises(CommandError, match="nothing was written"):
        run("import_programme", str(bad), "--event", "31c3")
    assert not Session.objects.filter(event=congress).exists()


def test_unknown_event_or_file(congress, tmp_path):
    programme = tmp_path / "programme.json"
    programme.write_text("{}")
    with pytest.raises(CommandError, match="No event"):
        run("import_programme", str(programme), "--event", "nope")
    with pytest.raises(CommandError, match="No such file"):
        run("import_programme", str(tmp_path / "x.json"), "--event", "31c3")
    with pytest.raises(CommandError, match="No event"):
        run("export_programme", "nope", "--format", "ical")


@needs_data
def test_export_writes_each_format_to_standard_output(congress):
    run("import_programme", str(SCHEDULES / "31c3-schedule.xml"), "--event", "31c3")
    frab, _err = run("export_programme", "31c3", "--format", "frab-xml")
    assert XsdSubset(SCHEDULES / "schedule.xml.xsd").errors(frab) == []
    document, _err = run(
        "export_programme", "31c3", "--format", "schedule-json", "--base-url", "https://m.example"
    )
    conference = json.loads(document)["schedule"]["conference"]
    assert conference["acronym"] == "31c3"
    assert conference["url"] == "https://m.example/en/events/31c3/"
    assert sum(len(r) for d in conference["days"] for r in d["rooms"].values()) == 138
    calendar, _err = run("export_programme", "31c3", "--format", "ical")
    assert calendar.startswith("BEGIN:VCALENDAR\r\n")
    assert calendar.count("BEGIN:VEVENT") == 139  # the congress and its sessions


def test_export_format_is_required_and_checked(congress):
    with pytest.raises(CommandError):
        run("export_programme", "31c3", "--format", "pdf")
