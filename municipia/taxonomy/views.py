from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import SustainableDevelopmentGoal, Theme


def theme_index(request):
    return render(
        request,
        "taxonomy/index.html",
        {
            "communities": selectors.impact_communities(),
            "cross_cutting": selectors.cross_cutting_groups(),
            "sdgs": selectors.sdgs(),
        },
    )


def theme_detail(request, code: str):
    theme = get_object_or_404(
        Theme.objects.select_related("parent").prefetch_related("children"), code=code
    )
    return render(request, "taxonomy/theme.html", {"theme": theme})


def sdg_detail(request, number: int):
    goal = get_object_or_404(SustainableDevelopmentGoal, number=number)
    return render(request, "taxonomy/sdg.html", {"goal": goal})
