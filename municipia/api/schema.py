"""How the OpenAPI document describes the API beyond what drf-spectacular infers:
the bearer token scheme, and the error responses every endpoint can give, all in
the one shape of `errors.py`."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

# Permission classes that can only refuse anonymous requests (401), never an
# authenticated user (403).
_AUTHENTICATION_ONLY = (
    permissions.AllowAny,
    permissions.IsAuthenticated,
    permissions.IsAuthenticatedOrReadOnly,
)
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# DRF's CharField refuses NUL characters (PostgreSQL cannot store them).
NO_NUL_CHARACTERS = r"^[^\u0000]*$"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "municipia.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API token from the account page: `Authorization: Bearer <token>`",
        }


class AutoSchema(openapi.AutoSchema):
    """Adds the error responses an operation can give to the ones it declares.

    Derived from the view's configuration rather than listed by hand on each view,
    so that a new endpoint is documented completely without anyone remembering to.
    """

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if not isinstance(field, serializers.CharField) or field.read_only:
            return
        if schema.get("type") == "string" and not {"pattern", "format", "enum"} & schema.keys():
            # After drf-spectacular's own validators: had the pattern been there first,
            # they would have offered "" as a `oneOf` alternative that the pattern
            # already matches, making "" match twice and so be invalid.
            schema["pattern"] = NO_NUL_CHARACTERS

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(_error_serializer(), description=description),
                    code,
                    direction=direction,
                )
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next request",
            }
        return dict(sorted(responses.items()))

    def _error_responses(self) -> dict[str, str]:
        view = self.view
        errors = {}
        paginated = self._is_list_view() and self._get_paginator() is not None
        if self.method in {"POST", "PUT", "PATCH"} or paginated:
            errors["400"] = "Invalid input: `errors` maps each field or parameter to its messages."
        if self.method in {"POST", "PUT", "PATCH"}:
            errors["415"] = "The request body is not in a media type listed here."
        if view.get_authenticators():
            errors["401"] = "No credentials, or the credentials sent are invalid."
        if self.method in _UNSAFE_METHODS or not all(
            isinstance(permission, _AUTHENTICATION_ONLY) for permission in view.get_permissions()
        ):
            # Unsafe methods can also fail the CSRF check of session authentication.
            errors["403"] = "The signed-in user may not do this."
        if "{" in self.path or paginated:
            errors["404"] = "No such object, or no such page."
        if view.get_throttles():
            errors["429"] = "Too many requests: wait and try again."
        return errors


def _error_serializer():
    # Imported late: this module is loaded from AppConfig.ready() and from the
    # REST_FRAMEWORK setting, before the serializers' models may be importable.
    from .serializers import ErrorSerializer

    return ErrorSerializer
