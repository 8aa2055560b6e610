"""Uploaded imports run as background jobs: upload, job page, report, permissions,
failures. Tests use the immediate task backend, so a job has run by the time
the upload redirects to its page."""

import datetime
import logging
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory import imports
from municipia.directory.enums import ImportStatus
from municipia.directory.imports import organisations as organisation_import
from municipia.directory.imports.jobs import run_import_job
from municipia.directory.models import ImportJob, Organisation
from municipia.directory.tests.test_imports import GOOD_ROWS, csv_bytes, xlsx_bytes

IMPORT = reverse("directory:import")
BAD_ROWS = [
    ["Bonn", "municipality", "DE", "", "", "", ""],
    ["Atlantis City", "municipality", "Atlantis", "", "", "", ""],
    ["", "municipality", "DE", "", "", "", ""],
]


@pytest.fixture(autouse=True)
def _english_and_uploads_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with translation.override("en"):
        yield


def _stored_files(path="") -> list[str]:
    if path and not default_storage.exists(path):
        return []
    directories, files = default_storage.listdir(path)
    return [f"{path}/{f}" for f in files] + [
        name for d in directories for name in _stored_files(f"{path}/{d}".lstrip("/"))
    ]


def upload(client, data: bytes, *, name="file.csv", kind="organisations", dry_run=False):
    fields = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post(IMPORT, fields)


def queued_job(user, *, data=b"name,type,country\nBonn,municipality,DE\n", **fields) -> ImportJob:
    job = ImportJob(uploaded_by=user, kind="organisations", filename="bonn.csv", **fields)
    job.file.save("bonn.csv", ContentFile(data), save=False)
    job.save()
    return job


# -- upload, job, report -------------------------------------------------------------------------


def test_good_file_is_imported_by_a_job(client, staff_user):
    client.force_login(staff_user)
    response = upload(client, xlsx_bytes(GOOD_ROWS), name="good.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("directory:import_job", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert (job.uploaded_by, job.kind, job.filename, job.dry_run) == (
        staff_user,
        "organisations",
        "good.xlsx",
        False,
    )
    assert job.started_at <= job.finished_at
    assert (job.report["created"], job.report["updated"], job.report["unchanged"]) == (3, 0, 0)
    assert Organisation.objects.count() == 3
    # The upload is not kept once the job has run.
    assert not job.file
    assert not _stored_files()

    page = client.get(response.url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "3 rows imported: 3 created, 0 updated, 0 unchanged." in content
    assert "hx-trigger" not in content


def test_file_with_errors_writes_nothing_and_reports_every_row(client, association_manager):
    client.force_login(association_manager)
    response = upload(client, csv_bytes(BAD_ROWS), name="bad.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert [(p["row"], p["column"]) for p in job.report["problems"]] == [
        (3, "country"),
        (4, "name"),
    ]
    assert job.report["problem_count"] == 2
    assert not Organisation.objects.filter(name="Bonn").exists()

    content = client.get(response.url).content.decode()
    assert "2 problems found. Nothing was written" in content
    assert "Unknown country “Atlantis”" in content
    assert "<td>3</td><td><code>country</code></td>" in content


def test_dry_run_checks_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    response = upload(client, csv_bytes(GOOD_ROWS), dry_run=True)
    job = ImportJob.objects.get()
    assert job.dry_run
    assert job.status == ImportStatus.DONE
    assert not Organisation.objects.exists()
    assert "3 rows checked: no problems. Nothing was written." in (
        client.get(response.url).content.decode()
    )


def test_people_file(client, staff_user, organisation):
    client.force_login(staff_user)
    header = ["organisation", "name", "position", "title", "email", "phone", "consent"]
    rows = [["koln", "Henriette Reker", "mayor_or_president", "", "", "", "yes"]]
    upload(client, csv_bytes(rows, header=header), kind="people")
    job = ImportJob.objects.get()
    assert (job.kind, job.report["created"]) == ("people", 1)
    assert organisation.people.get().name == "Henriette Reker"


def test_form_refuses_other_files_in_the_request(client, staff_user):
    client.force_login(staff_user)
    for name, message in [
        ("old.xls", "Old Excel files (.xls) cannot be read"),
        ("notes.pdf", "Upload a CSV file (.csv or .txt) or an Excel file (.xlsx)."),
    ]:
        response = upload(client, b"name,type,country\n", name=name)
        assert response.status_code == 200
        assert message in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_import_page_lists_the_users_recent_imports(client, staff_user, association_manager):
    ImportJob.objects.filter(pk=queued_job(association_manager).pk).update(
        filename="someone-elses.csv"
    )
    client.force_login(staff_user)
    upload(client, csv_bytes(GOOD_ROWS), name="mine.csv")
    content = client.get(IMPORT).content.decode()
    assert "Your recent imports" in content
    assert "mine.csv" in content
    assert "Imported" in content
    assert "someone-elses.csv" not in content


# -- permissions --------------------------------------------------------------------------------


def test_upload_per_role(client, plain_user, member_user, organisation_editor):
    data = csv_bytes(GOOD_ROWS)
    response = upload(client, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    for user in (plain_user, member_user, organisation_editor):
        client.force_login(user)
        assert upload(client, data).status_code == 403
    assert not ImportJob.objects.exists()
    assert not Organisation.objects.filter(name="Kraków").exists()


def test_manager_of_another_country_cannot_import_its_rows(client, other_association):
    manager = make_user("pl-manager@example.org")
    account_services.grant_role(
        actor=None, user=manager, role=Role.ASSOCIATION_MANAGER, organisation=other_association
    )
    client.force_login(manager)
    upload(client, csv_bytes([["Bonn", "municipality", "DE", "", "", "", ""]]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert job.report["problem_count"] == 1
    assert not Organisation.objects.filter(name="Bonn").exists()


def test_only_the_uploader_and_staff_see_a_job(
    client, association_manager, staff_user, plain_user, other_association
):
    job = queued_job(association_manager)
    url = job.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    other_uploader = make_user("other-manager@example.org")
    account_services.grant_role(
        actor=None,
        user=other_uploader,
        role=Role.ASSOCIATION_MANAGER,
        organisation=other_association,
    )
    for user in (plain_user, other_uploader):
        client.force_login(user)
        assert client.get(url).status_code == 404
    for user in (association_manager, staff_user):
        client.force_login(user)
        assert client.get(url).status_code == 200
    assert client.get(reverse("directory:import_job", args=[job.pk + 1])).status_code == 404


def test_task_asks_again_whether_the_uploader_may_import(association_manager):
    job = queued_job(association_manager)
    # The role is withdrawn while the job waits in the queue.
    account_services.revoke_role(actor=None, grant=association_manager.role_grants.get())
    job = run_import_job(job_id=job.pk)
    assert job.status == ImportStatus.DONE
    assert [p["message"] for p in job.report["problems"]] == ["You may no longer import files."]
    assert not Organisation.objects.filter(name="Bonn").exists()


def test_job_of_a_deleted_account_fails_rather_than_import_as_the_system(association_manager):
    job = queued_job(association_manager)
    association_manager.delete()
    job = run_import_job(job_id=job.pk)
    assert job.status == ImportStatus.FAILED
    assert not Organisation.objects.filter(name="Bonn").exists()


# -- failures, queued and stalled jobs ----------------------------------------------------------


def test_crash_marks_the_job_failed_writes_nothing_and_is_logged(
    client, staff_user, monkeypatch, caplog
):
    original_write = organisation_import.write

    def write_then_crash(records, report):
        original_write(records, report)
        assert Organisation.objects.exists()
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(organisation_import, "write", write_then_crash)
    client.force_login(staff_user)
    with caplog.at_level(logging.ERROR, logger="municipia.directory.imports.jobs"):
        response = upload(client, csv_bytes(GOOD_ROWS))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.finished_at is not None
    assert job.report == {"error": "RuntimeError: disk on fire"}
    assert not job.file
    assert not Organisation.objects.exists()
    assert f"Import job {job.pk} failed" in caplog.text
    assert "disk on fire" in caplog.text
    content = client.get(response.url).content.decode()
    assert "The import stopped because of an unexpected error. Nothing of the file" in content
    assert "hx-trigger" not in content


def test_crash_while_reading_marks_the_job_failed(staff_user, monkeypatch):
    def crash(**kwargs):
        raise MemoryError

    monkeypatch.setattr(imports, "import_file", crash)
    job = run_import_job(job_id=queued_job(staff_user).pk)
    assert job.status == ImportStatus.FAILED
    assert job.report["error"].startswith("MemoryError")


def test_page_of_a_queued_job_polls_and_can_be_refreshed(client, staff_user):
    job = queued_job(staff_user)
    client.force_login(staff_user)
    content = client.get(job.get_absolute_url()).content.decode()
    assert 'aria-live="polite"' in content
    assert "The file is uploaded and waits for its turn." in content
    assert f'hx-get="{job.get_absolute_url()}?status=queued" hx-trigger="every 2s"' in content
    assert f'class="button" href="{job.get_absolute_url()}">Refresh</a>' in content

    htmx = {"HTTP_HX_REQUEST": "true"}
    # A poll that finds nothing new leaves the page (and its live region) alone...
    unchanged = client.get(job.get_absolute_url(), {"status": "queued"}, **htmx)
    assert unchanged.status_code == 204
    # ...one that finds the job finished gets the report in place of the status.
    run_import_job(job_id=job.pk)
    finished = client.get(job.get_absolute_url(), {"status": "queued"}, **htmx)
    assert finished.status_code == 200
    assert "1 rows imported: 1 created" in finished.content.decode()
    assert "<h1>" not in finished.content.decode()


def test_job_running_for_over_an_hour_shows_as_stalled(client, staff_user):
    job = queued_job(
        staff_user,
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    client.force_login(staff_user)
    content = client.get(job.get_absolute_url()).content.decode()
    assert "has most likely stopped" in content
    assert "hx-trigger" not in content
    assert "Stalled" in client.get(IMPORT).content.decode()


def test_a_job_runs_only_once(staff_user):
    job = queued_job(staff_user)
    run_import_job(job_id=job.pk)
    again = run_import_job(job_id=job.pk)
    assert again.report["created"] == 1
    assert Organisation.objects.filter(name="Bonn").count() == 1


# -- admin ---------------------------------------------------------------------------------------


def test_admin_shows_jobs_read_only(client, staff_user):
    job = queued_job(staff_user)
    client.force_login(staff_user)
    assert client.get(reverse("admin:directory_importjob_changelist")).status_code == 200
    assert client.get(reverse("admin:directory_importjob_change", args=[job.pk])).status_code == (
        200
    )
    assert client.get(reverse("admin:directory_importjob_add")).status_code == 403
    response = client.post(
        reverse("admin:directory_importjob_change", args=[job.pk]), {"filename": "x.csv"}
    )
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.filename == "bonn.csv"


def test_long_file_name_is_shown_but_not_used_to_store_the_file(client, staff_user, monkeypatch):
    stored = []
    # The task deletes the file once run: look at it while it is queued.
    monkeypatch.setattr(
        "municipia.directory.tasks.run_import",
        SimpleNamespace(
            enqueue=lambda job_id: stored.append(ImportJob.objects.get(pk=job_id).file.name)
        ),
    )
    client.force_login(staff_user)
    name = "Städte " + "x" * 200 + ".CSV"
    upload(client, csv_bytes(GOOD_ROWS), name=name)
    job = ImportJob.objects.get()
    assert job.filename == name
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.csv", stored[0])
    assert job.status == ImportStatus.QUEUED
