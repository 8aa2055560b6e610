"""Bulk import in the browser: the upload leads to the job's page, which shows the report
(the immediate task backend has run the job by then), and a waiting job's page updates itself
once the job has run; axe-core checks both pages and the htmx update."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from municipia.accounts.models import User
from municipia.directory.imports.jobs import run_import_job
from municipia.directory.models import ImportJob, Organisation

pytestmark = pytest.mark.browser

BAD_FILE = b"name,type,country\nBonn,municipality,DE\nAtlantis City,municipality,Atlantis\n"


@pytest.fixture(autouse=True)
def _uploads_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def staff(transactional_db):
    return User.objects.create_user(email="staff@example.org", password="x", is_staff=True)


def test_upload_shows_the_report_of_its_job(page, log_in, staff, tmp_path):
    log_in(staff)
    path = tmp_path / "towns.csv"
    path.write_bytes(BAD_FILE)
    page.goto("/en/directory/import/")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(path))
    page.get_by_role("button", name="Check and import").click()

    expect(page).to_have_url(re.compile(r"/en/directory/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of “towns.csv”")
    expect(page.get_by_role("alert")).to_contain_text("1 problem found. Nothing was written")
    expect(page.get_by_role("cell", name="Unknown country “Atlantis”", exact=False)).to_be_visible()
    assert not Organisation.objects.filter(name="Bonn").exists()

    page.get_by_role("link", name="Import organisations or people").click()
    expect(page.get_by_role("link", name="towns.csv")).to_be_visible()


def test_waiting_job_page_updates_itself(page, log_in, staff):
    job = ImportJob(uploaded_by=staff, kind="organisations", filename="bonn.csv")
    job.file.save("bonn.csv", ContentFile(b"name,type,country\nBonn,municipality,DE\n"))
    log_in(staff)
    page.goto(job.get_absolute_url())
    status = page.locator("#import-job")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("The file is uploaded and waits for its turn.")
    expect(status.get_by_role("link", name="Refresh")).to_be_visible()

    run_import_job(job_id=job.pk)
    # The page polls every two seconds; no reload.
    expect(status.get_by_role("status")).to_have_text(
        "1 rows imported: 1 created, 0 updated, 0 unchanged.", timeout=8_000
    )
    expect(status.get_by_role("link", name="Refresh")).to_have_count(0)
