"""Forms of funding: publish a call, a partner search, answer one, alerts."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.directory.choices import country_choices, language_choices
from municipia.directory.enums import OrganisationType
from municipia.fields import ModelIdsField, number_limits_from_model
from municipia.parsing import parse_whole_number
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

from .enums import CountryGroup, InterestStatus
from .models import FundingCall, PartnerSearch

MAX_POPULATION = 10**10


def _countries(label, help_text=""):
    return forms.MultipleChoiceField(label=label, required=False, help_text=help_text)


def _groups(label):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=CountryGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )


def _types(label):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ThemeChoiceField(ModelIdsField):
    def label_from_instance(self, obj):
        return f"— {obj.label}" if obj.parent_id else obj.label


class CallForm(forms.ModelForm):
    """A call's facts and rules. The deadline is typed in the call's time zone.
    Contradictory rules come back as field errors from the model's `clean`
    (`validation.call_problems`)."""

    deadline = forms.DateTimeField(
        label=_("Deadline"),
        help_text=_("Date and time in the time zone below, e.g. 2026-03-31 17:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the deadline"))
    link = forms.URLField(
        label=_("Link to the call"), required=False, max_length=500, assume_scheme="https"
    )
    eligible_countries = _countries(
        _("Eligible countries"), _("Leave empty with no group below: open to every country.")
    )
    eligible_groups = _groups(_("Eligible country groups"))
    eligible_types = _types(_("Eligible applicant types"))
    lead_countries = _countries(_("Countries of the lead partner"))
    lead_groups = _groups(_("Country groups of the lead partner"))
    lead_types = _types(_("Types of the lead partner"))
    languages = forms.MultipleChoiceField(label=_("Languages of applications"), required=False)
    themes = ThemeChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.select_related("parent")
    )
    sdgs = ModelIdsField(
        label=_("Sustainable Development Goals"),
        required=False,
        queryset=SustainableDevelopmentGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FundingCall
        widgets = {
            "work_starts_on": forms.DateInput(attrs={"type": "date"}),
            "work_ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        fields = [
            "funder",
            "programme",
            "title",
            "summary",
            "language",
            "link",
            "opens_at",
            "deadline",
            "time_zone",
            "work_starts_on",
            "work_ends_on",
            "currency",
            "budget",
            "grant_min",
            "grant_max",
            "amounts_exclude_vat",
            "co_financing_rate",
            "eligible_countries",
            "eligible_groups",
            "eligible_types",
            "min_partners",
            "max_partners",
            "min_countries",
            "max_per_country",
            "min_from_group",
            "min_from_group_count",
            "lead_countries",
            "lead_groups",
            "lead_types",
            "themes",
            "sdgs",
            "languages",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        countries = country_choices()
        for name in ("eligible_countries", "lead_countries"):
            self.fields[name].choices = countries
        self.fields["languages"].choices = language_choices()
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the text"), choices=language_choices(), initial="en"
        )
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [(z, z) for z in zones if "/" in z or z == "UTC"]
        self.fields["time_zone"].initial = "Europe/Brussels"
        if self.instance.pk:
            # Show the stored UTC deadline in the call's own zone.
            tz = self.instance.tz
            for name in ("deadline", "opens_at"):
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = timezone.localtime(value, tz).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone")
        if zone:
            tz = zoneinfo.ZoneInfo(zone)
            for name in ("deadline", "opens_at"):
                value = data.get(name)
                if value is not None:
                    # Typed as a wall-clock time in the call's zone, not the server's.
                    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                    data[name] = timezone.make_aware(naive, tz)
                    setattr(self.instance, name, data[name])
        return data


class PartnerSearchForm(forms.ModelForm):
    countries = _countries(_("Countries"), _("Leave empty with no group: any country."))
    country_groups = _groups(_("Country groups"))
    kinds = _types(_("Types of organisation"))
    themes = ThemeChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.select_related("parent")
    )
    population_min = forms.IntegerField(
        label=_("Inhabitants, at least"), required=False, min_value=0, max_value=MAX_POPULATION
    )
    population_max = forms.IntegerField(
        label=_("Inhabitants, at most"), required=False, min_value=0, max_value=MAX_POPULATION
    )
    deadline = forms.DateField(
        label=_("Reply by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = PartnerSearch
        fields = [
            "title",
            "purpose",
            "language",
            "call",
            "themes",
            "partners_sought",
            "countries",
            "country_groups",
            "kinds",
            "population_min",
            "population_max",
            "deadline",
        ]

    def __init__(self, *args, calls=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        number_limits_from_model(self)
        self.fields["countries"].choices = country_choices()
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the text"), choices=language_choices(), initial="en"
        )
        if calls is not None:
            self.fields["call"].queryset = calls
        self.fields["call"].required = False
        self.fields["call"].empty_label = _("No call: our own project")


class InterestForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(choices=InterestStatus.choices)


class AlertSettingsForm(forms.Form):
    days_before = forms.CharField(
        label=_("Remind me this many days before a deadline"),
        required=False,
        help_text=_("Numbers separated by commas, e.g. 30, 7, 1. Leave empty for no reminders."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_days_before(self):
        raw = self.cleaned_data["days_before"]
        days = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            number = parse_whole_number(part)
            if number is None or not 1 <= number <= 365:
                raise forms.ValidationError(
                    _("“%(value)s” is not a number of days between 1 and 365.") % {"value": part}
                )
            days.append(number)
        return days
