"""The partnerships import page: the upload becomes a background job (run at
once by the immediate task backend in tests) whose page shows the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.directory.enums import ImportStatus
from municipia.directory.models import ImportJob
from municipia.partnerships.models import Partnership

from .conftest import grant

IMPORT = reverse("partnerships:import")
GOOD = b"organisation;partner;kind;started_on;status\nkoln;krakow;twinning;1991;active\n"
BAD = b"organisation;partner;kind\nkoln;krakow;twinning\nkoln;nowhere;twinning\n"


@pytest.fixture(autouse=True)
def _english_and_uploads_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with translation.override("en"):
        yield


def upload(client, data: bytes, *, dry_run=False):
    fields = {"file": SimpleUploadedFile("twinnings.csv", data)}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post(IMPORT, fields)


def test_good_file(client, staff_user, organisation, other_organisation):
    client.force_login(staff_user)
    assert "organisation" in client.get(IMPORT).content.decode()
    response = upload(client, GOOD)
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.status, job.report["created"]) == ("partnerships", "done", 1)
    assert Partnership.objects.get().status == "active"
    page = client.get(response.url).content.decode()
    assert "1 rows imported: 1 created, 0 updated, 0 unchanged." in page
    assert f'href="{IMPORT}"' in page
    assert "twinnings.csv" in client.get(IMPORT).content.decode()


def test_file_with_errors_and_dry_run_write_nothing(
    client, staff_user, organisation, other_organisation
):
    client.force_login(staff_user)
    upload(client, BAD)
    upload(client, GOOD, dry_run=True)
    bad, dry = ImportJob.objects.order_by("pk")
    assert [(p["row"], p["column"]) for p in bad.report["problems"]] == [(3, "partner")]
    assert (dry.status, dry.dry_run, dry.report["problem_count"]) == ("done", True, 0)
    assert not Partnership.objects.exists()
    assert "1 problem found. Nothing was written" in (
        client.get(bad.get_absolute_url()).content.decode()
    )


def test_upload_per_role(client, plain_user, member_user, organisation_editor):
    assert upload(client, GOOD).status_code == 302  # anonymous: to the login page
    for user in (plain_user, member_user, organisation_editor):
        client.force_login(user)
        assert upload(client, GOOD).status_code == 403
    assert not ImportJob.objects.exists()


def test_manager_of_another_country_may_not_record_these_partnerships(
    client, organisation, third_organisation, other_association
):
    manager = grant(make_user("pl@example.org"), Role.ASSOCIATION_MANAGER, other_association)
    client.force_login(manager)
    upload(client, b"organisation;partner;kind\nkoln;espoo;twinning\n")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert [p["message"] for p in job.report["problems"]] == [
        "You may not record partnerships for these organisations."
    ]
    assert not Partnership.objects.exists()
