"""Pages that belong to no single domain: the home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from municipia.taxonomy import selectors as taxonomy_selectors


def home(request):
    return render(request, "home.html", {"communities": taxonomy_selectors.impact_communities()})


def health(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
