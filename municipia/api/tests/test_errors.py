"""The error handler gives every error the same flat shape."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions

from municipia.api.errors import exception_handler


def body(exc):
    # Messages are translated: pin the language whatever earlier tests left active.
    with translation.override("en"):
        return exception_handler(exc, {}).data


def test_nested_validation_errors_are_flattened_by_dotted_path():
    error = exceptions.ValidationError(
        {
            "title": ["This field is required."],
            "other_names": [{}, {"language": ["Not a language."]}],
            "theme": {0: ["Does not match."]},
        }
    )

    assert body(error) == {
        "status": 400,
        "code": "invalid",
        "detail": "Invalid input.",
        "errors": {
            "title": ["This field is required."],
            "other_names.1.language": ["Not a language."],
            "theme.0": ["Does not match."],
        },
    }


def test_errors_about_the_whole_request():
    assert body(exceptions.ValidationError(["Dates overlap."]))["errors"] == {
        "non_field_errors": ["Dates overlap."]
    }


def test_django_validation_errors_from_services():
    by_field = DjangoValidationError({"website": ["Enter a valid URL."]})
    general = DjangoValidationError("Already verified.")

    assert body(by_field)["errors"] == {"website": ["Enter a valid URL."]}
    assert body(general)["errors"] == {"non_field_errors": ["Already verified."]}


def test_django_permission_denied_and_404():
    assert body(DjangoPermissionDenied("Editors only.")) == {
        "status": 403,
        "code": "permission_denied",
        "detail": "Editors only.",
    }
    assert body(Http404()) == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
    }


def test_other_exceptions_are_left_to_django():
    assert exception_handler(ValueError("boom"), {}) is None


@pytest.mark.django_db
def test_an_api_address_matching_no_route_is_a_json_404(client):
    response = client.get("/api/events/not a slug!/sessions/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


@pytest.mark.django_db
def test_a_page_address_matching_no_route_stays_an_html_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
