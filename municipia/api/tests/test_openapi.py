"""The committed OpenAPI document is the one the code generates, and it is complete."""

import difflib
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from municipia.api.schema import _portable_integer_range
from municipia.taxonomy.models import SustainableDevelopmentGoal

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"


@pytest.fixture(scope="module")
def generated() -> str:
    """What `make openapi` would write, generated in memory. --fail-on-warn and
    --validate make an incomplete or invalid schema an error here too."""
    output = StringIO()
    call_command(
        "spectacular",
        "--lang",
        "en",
        "--validate",
        "--fail-on-warn",
        stdout=output,
        stderr=StringIO(),
    )
    return output.getvalue()


def test_committed_document_matches_the_code(generated):
    committed = DOCUMENT.read_text(encoding="utf-8")
    if committed != generated:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                generated.splitlines(keepends=True),
                fromfile="docs/api/openapi.yaml (committed)",
                tofile="docs/api/openapi.yaml (generated from the code)",
            )
        )
        pytest.fail(
            "The API changed but its committed OpenAPI document did not.\n"
            "Run `make openapi` and commit docs/api/openapi.yaml.\n\n" + diff,
            pytrace=False,
        )


def test_generation_is_deterministic(generated):
    again = StringIO()
    call_command("spectacular", "--lang", "en", stdout=again, stderr=StringIO())

    assert again.getvalue() == generated


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_document_lists_the_endpoints(document):
    assert {
        "/api/me/",
        "/api/sdgs/",
        "/api/sdgs/{number}/",
        "/api/themes/",
        "/api/themes/{code}/",
    } <= set(document["paths"])
    assert set(document["paths"]["/api/me/"]) == {"get", "patch"}
    # The machinery around the API is not part of it.
    assert not {"/api/", "/api/schema/", "/api/docs/"} & set(document["paths"])


def test_bearer_scheme_is_documented(document):
    assert document["components"]["securitySchemes"]["bearerAuth"]["type"] == "http"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for label, operation in _operations(document):
        assert {"bearerAuth": []} in operation["security"], label


def test_every_operation_documents_its_errors_with_the_error_body(document):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for label, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), label
        for code, response in responses.items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == error_ref, (
                    label,
                    code,
                )
                assert response["description"], (label, code)
    assert "404" in document["paths"]["/api/themes/{code}/"]["get"]["responses"]
    assert "404" in document["paths"]["/api/themes/"]["get"]["responses"]  # invalid page
    assert "400" in document["paths"]["/api/me/"]["patch"]["responses"]
    assert "400" not in document["paths"]["/api/me/"]["get"]["responses"]


def test_error_schema_matches_the_error_handler(document):
    error = document["components"]["schemas"]["Error"]

    assert set(error["properties"]) == {"status", "code", "detail", "errors"}
    assert sorted(error["required"]) == ["code", "detail", "status"]


@pytest.mark.django_db
def test_schema_is_served(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "municipia API"


@pytest.mark.django_db
def test_swagger_ui_is_served_from_our_own_static_files(api_client):
    response = api_client.get("/api/docs/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page and "unpkg.com" not in page
    assert "/api/schema/" in page


def test_integer_ranges_do_not_depend_on_the_database():
    # What SQLite reports for a small positive integer column; PostgreSQL says 32767.
    from_sqlite = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1, "format": "int64"}
    number = SustainableDevelopmentGoal._meta.get_field("number")

    assert _portable_integer_range(from_sqlite, number) == {
        "type": "integer",
        "minimum": 0,
        "maximum": 32767,
    }
