"""One shape for every error the API returns.

    {"status": 400, "code": "invalid", "detail": "Invalid input.",
     "errors": {"field": ["message", ...], "non_field_errors": [...]}}

`errors` is present only for validation errors, always flat: errors inside a list
or a nested object are keyed by their dotted path ("names.1.language",
"themes.0"), so that every value is a list of messages. Django's own
PermissionDenied, Http404 and ValidationError raised by services are translated
to the same shape.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def _flatten(errors, path: str = "") -> dict[str, list[str]]:
    if isinstance(errors, dict):
        flat = {}
        for key, value in errors.items():
            flat.update(_flatten(value, f"{path}.{key}" if path else str(key)))
        return flat
    if not isinstance(errors, list):
        errors = [errors]
    flat = {}
    messages = []
    for index, item in enumerate(errors):
        if isinstance(item, dict | list):
            # One entry per item of a list of objects (many=True); valid ones are {}.
            flat.update(_flatten(item, f"{path}.{index}" if path else str(index)))
        else:
            messages.append(str(item))
    if messages:
        flat[path or "non_field_errors"] = messages
    return flat


def exception_handler(exc, context):
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        )
        body = {
            "status": response.status_code,
            "code": "invalid",
            "detail": _("Invalid input."),
            "errors": errors,
        }
    else:
        detail = getattr(exc, "detail", None)
        body = {
            "status": response.status_code,
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
            "detail": str(detail) if detail is not None else str(exc),
        }
    response.data = body
    return response
