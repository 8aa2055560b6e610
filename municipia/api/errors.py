"""One shape for every error the API returns.

    {"status": 400, "code": "invalid", "detail": "Invalid input.",
     "errors": {"field": ["message", ...], "non_field_errors": [...]}}

`errors` is present only for validation errors. Django's own PermissionDenied,
Http404 and ValidationError raised by services are translated to the same shape.
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


def exception_handler(exc, context):
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
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
