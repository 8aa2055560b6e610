"""Forms of matchmaking: the partner search filters and a swipe."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.directory.choices import country_choices
from municipia.directory.enums import (
    LOCAL_AND_REGIONAL_GOVERNMENTS as LRG_TYPES,
)
from municipia.directory.enums import (
    OrganisationType,
    PartnershipInterest,
)

from .engine import DistancePreference, SearchPreferences
from .enums import SwipeDecision

COUNTRY_GROUP_LABELS = {
    "eu": _("EU member states"),
    "candidates": _("EU candidate and potential candidate countries"),
    "eastern_partnership": _("Eastern Partnership"),
}
DISTANCE_LABELS = {
    DistancePreference.ANYWHERE: _("Anywhere"),
    DistancePreference.NEARBY: _("Nearby"),
    DistancePreference.CROSS_BORDER: _("Across the border"),
}
MAX_POPULATION = 10**10


class PartnerSearchForm(forms.Form):
    """Filters of "Find partners", all optional."""

    countries = forms.MultipleChoiceField(label=_("Only in these countries"), required=False)
    excluded = forms.MultipleChoiceField(label=_("Not in these countries"), required=False)
    group = forms.ChoiceField(label=_("Country group"), required=False)
    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(t.value, t.label) for t in OrganisationType if t in LRG_TYPES],
    )
    population_min = forms.IntegerField(
        label=_("Inhabitants, at least"), required=False, min_value=0, max_value=MAX_POPULATION
    )
    population_max = forms.IntegerField(
        label=_("Inhabitants, at most"), required=False, min_value=0, max_value=MAX_POPULATION
    )
    distance = forms.ChoiceField(
        label=_("Distance"),
        required=False,
        choices=[(k.value, v) for k, v in DISTANCE_LABELS.items()],
    )
    interest = forms.ChoiceField(label=_("Kind of partnership"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = country_choices()
        self.fields["countries"].choices = countries
        self.fields["excluded"].choices = countries
        self.fields["group"].choices = [("", _("Any")), *COUNTRY_GROUP_LABELS.items()]
        self.fields["interest"].choices = [("", _("Any")), *PartnershipInterest.choices]

    def preferences(self) -> SearchPreferences:
        """The engine's preferences from the cleaned data."""
        data = self.cleaned_data
        return SearchPreferences(
            distance=DistancePreference(data.get("distance") or DistancePreference.ANYWHERE),
            countries_wanted=frozenset(data.get("countries") or ()),
            countries_excluded=frozenset(data.get("excluded") or ()),
            country_groups_wanted=frozenset([data["group"]] if data.get("group") else ()),
            kinds=frozenset(data.get("type") or ()),
            population_min=data.get("population_min"),
            population_max=data.get("population_max"),
            interests=frozenset([data["interest"]] if data.get("interest") else ()),
        )


class SwipeForm(forms.Form):
    candidate = forms.IntegerField(min_value=1, max_value=10**18 - 1)
    decision = forms.ChoiceField(choices=SwipeDecision.choices)
