"""How the OpenAPI document describes the API beyond what drf-spectacular infers:
the bearer token scheme, and the error responses every endpoint can give, all in
the one shape of `errors.py`."""

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import force_instance, is_basic_serializer
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
# Keywords that describe a property as a whole, kept outside a `oneOf`.
_OUTER_KEYS = {"readOnly", "writeOnly", "nullable", "description", "title", "deprecated"}
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

    _direction = None

    def _process_override_parameters(self, direction="request"):
        parameters = super()._process_override_parameters(direction)
        for override in self.get_override_parameters():
            if not is_basic_serializer(override):
                continue
            for name, field in force_instance(override).fields.items():
                parameter = parameters.get((name, "query"))
                if parameter and not field.required and not _is_multi_valued(field):
                    # DRF reads `?name=` as "not given" for an optional field (as an
                    # HTML form would send it), so the empty value is accepted.
                    parameter["allowEmptyValue"] = True
        return parameters

    def _map_model_field(self, model_field, direction):
        schema = super()._map_model_field(model_field, direction)
        return _portable_integer_range(schema, model_field)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        model_field = _model_field_of(field)
        if model_field is None or not isinstance(schema, dict):
            return schema
        schema = _portable_integer_range(schema, model_field)
        if (
            direction == "response"
            and schema.get("type") == "string"
            and {"format", "pattern"} & schema.keys()
            and isinstance(model_field, models.CharField)
            and model_field.blank
        ):
            # An optional URL or e-mail address is stored as "", which is no URL.
            outer = {key: schema.pop(key) for key in list(schema) if key in _OUTER_KEYS}
            schema = {"oneOf": [schema, {"type": "string", "maxLength": 0}], **outer}
        return schema

    def _map_basic_serializer(self, serializer, direction):
        # Remembered for _insert_field_validators, which is not told the direction.
        outer, self._direction = self._direction, direction
        try:
            return super()._map_basic_serializer(serializer, direction)
        finally:
            self._direction = outer

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if (
            self._direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.read_only
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & schema.keys()
        ):
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


def _is_multi_valued(field) -> bool:
    return isinstance(field, serializers.ListField | serializers.MultipleChoiceField)


def _model_field_of(field) -> models.Field | None:
    """The model field a ModelSerializer field shows, if any."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


def _portable_integer_range(schema: dict, model_field) -> dict:
    """The range of an integer column as every supported database enforces it.

    Django derives it from the current database, and SQLite allows 64 bits for
    every integer type: without this, the committed document would depend on the
    database it was generated with.
    """
    if not isinstance(schema, dict) or schema.get("type") != "integer":
        return schema
    if not isinstance(model_field, models.IntegerField):
        return schema
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    for validator in [*model_field.default_validators, *model_field._validators]:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    if "minimum" in schema:
        schema["minimum"] = low
    if "maximum" in schema:
        schema["maximum"] = high
    schema.pop("format", None)
    if not all(-(2**31) <= schema.get(key, 0) < 2**31 for key in ("minimum", "maximum")):
        schema["format"] = "int64"
    return schema


def _error_serializer():
    # Imported late: this module is loaded from AppConfig.ready() and from the
    # REST_FRAMEWORK setting, before the serializers' models may be importable.
    from .serializers import ErrorSerializer

    return ErrorSerializer
