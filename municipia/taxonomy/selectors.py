"""Reads of the taxonomy."""

from django.db.models import Prefetch, QuerySet

from .enums import ThemeKind
from .models import SustainableDevelopmentGoal, Theme


def impact_communities() -> QuerySet[Theme]:
    """The four impact communities, each with its working groups prefetched."""
    return Theme.objects.filter(kind=ThemeKind.IMPACT_COMMUNITY).prefetch_related(
        Prefetch("children", queryset=Theme.objects.order_by("position", "code"))
    )


def cross_cutting_groups() -> QuerySet[Theme]:
    return Theme.objects.filter(kind=ThemeKind.CROSS_CUTTING_GROUP)


def all_themes() -> QuerySet[Theme]:
    return Theme.objects.select_related("parent")


def sdgs() -> QuerySet[SustainableDevelopmentGoal]:
    return SustainableDevelopmentGoal.objects.all()
