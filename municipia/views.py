"""Pages that belong to no single domain: the home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound

from municipia.taxonomy import selectors as taxonomy_selectors


def home(request):
    return render(request, "home.html", {"communities": taxonomy_selectors.impact_communities()})


def health(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    """A 404 in the API's own error shape for /api/ addresses that match no route
    (an event slug with characters a slug never has, say), the HTML page elsewhere:
    API clients always get JSON back."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"status": 404, "code": "not_found", "detail": str(NotFound.default_detail)},
            status=404,
        )
    return defaults.page_not_found(request, exception)
