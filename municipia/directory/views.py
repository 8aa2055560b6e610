from django.shortcuts import get_object_or_404, render

from .models import Organisation


def organisation_detail(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(request, "directory/organisation.html", {"organisation": organisation})
