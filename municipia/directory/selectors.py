"""Reads of the directory."""

from collections.abc import Iterable

from .models import Organisation


def countries_of_organisations(*, ids: Iterable[int]) -> set[str]:
    """Countries of the given organisations (empty countries left out)."""
    return set(
        Organisation.objects.filter(pk__in=list(ids))
        .exclude(country="")
        .values_list("country", flat=True)
    )
