"""Field errors for a funding call whose rules contradict each other.

A call is refused (model `clean`, forms, API) when no consortium could ever
satisfy it, with the error on the field the publisher has to change. The pure
consortium checker (`consortium.rules.validate_rules`) is the solver's own
guard; this module speaks in the form's fields and the users' words.
"""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from municipia.directory.choices import country_name
from municipia.directory.enums import OrganisationType
from municipia.validators import dates_off_the_calendar

from .country_groups import countries_of
from .enums import CallStatus, CountryGroup


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _unknown_countries(codes) -> list[str]:
    return sorted(code for code in codes or () if not country_name(str(code)))


def call_problems(call) -> dict[str, list]:
    """{field: [messages]} for everything wrong with `call`; empty when it is sound."""
    # The checks below read the dates in time zones, which a date at the
    # calendar's end cannot be converted to.
    errors: dict[str, list] = {
        field: [message]
        for field, message in dates_off_the_calendar(call, "opens_at", "deadline").items()
    }
    if errors:
        return errors
    for field in ("eligible_countries", "lead_countries"):
        unknown = _unknown_countries(getattr(call, field))
        if unknown:
            _add(
                errors,
                field,
                _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
    for field in ("eligible_groups", "lead_groups"):
        unknown = sorted(set(getattr(call, field) or ()) - set(CountryGroup.values))
        if unknown:
            _add(
                errors,
                field,
                _("Unknown country groups: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
    for field in ("eligible_types", "lead_types"):
        unknown = sorted(set(getattr(call, field) or ()) - set(OrganisationType.values))
        if unknown:
            _add(
                errors,
                field,
                _("Unknown types of organisation: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
    if (
        call.lead_types
        and call.eligible_types
        and not set(call.lead_types) & set(call.eligible_types)
    ):
        _add(errors, "lead_types", _("No lead partner type is among the eligible applicant types."))

    minimum, maximum = call.min_partners or 1, call.max_partners
    if maximum is not None and maximum < minimum:
        _add(
            errors,
            "max_partners",
            _("The maximum number of partners (%(max)s) is below the minimum (%(min)s).")
            % {"max": maximum, "min": minimum},
        )
    if maximum is not None and (call.min_countries or 1) > maximum:
        _add(
            errors,
            "min_countries",
            _(
                "%(countries)s different countries cannot be reached with at most "
                "%(max)s partners (one country per partner at best)."
            )
            % {"countries": call.min_countries, "max": maximum},
        )
    group, group_count = call.min_from_group, call.min_from_group_count
    if group and not group_count:
        _add(errors, "min_from_group_count", _("Say how many partners must come from this group."))
    if group_count and not group:
        _add(errors, "min_from_group", _("Choose the country group this minimum applies to."))
    if group and group_count and maximum is not None and group_count > maximum:
        _add(
            errors,
            "min_from_group_count",
            _("%(count)s partners from the group cannot fit within the maximum of %(max)s.")
            % {"count": group_count, "max": maximum},
        )

    on = timezone.localdate(call.deadline) if call.deadline else None
    eligible = countries_of(call.eligible_groups, call.eligible_countries, on)
    if eligible is not None:
        if (call.min_countries or 1) > len(eligible):
            _add(
                errors,
                "min_countries",
                ngettext_lazy(
                    "Only %(count)s country is eligible, fewer than the %(min)s required.",
                    "Only %(count)s countries are eligible, fewer than the %(min)s required.",
                    "count",
                )
                % {"count": len(eligible), "min": call.min_countries},
            )
        if group and group_count:
            in_group = countries_of([group], (), on) & eligible
            if not in_group:
                _add(
                    errors,
                    "min_from_group",
                    _("No eligible country belongs to this group."),
                )
        if call.max_per_country and call.max_per_country * len(eligible) < minimum:
            _add(
                errors,
                "max_per_country",
                _(
                    "With at most %(per)s partners per country and %(countries)s eligible "
                    "countries, the minimum of %(min)s partners cannot be reached."
                )
                % {"per": call.max_per_country, "countries": len(eligible), "min": minimum},
            )
        lead = countries_of(call.lead_groups, call.lead_countries, on)
        if lead is not None and not lead & eligible:
            _add(errors, "lead_countries", _("No lead partner country is an eligible country."))
    if (
        call.grant_min is not None
        and call.grant_max is not None
        and call.grant_min > call.grant_max
    ):
        _add(errors, "grant_max", _("The largest grant is below the smallest."))
    if call.budget is not None and call.grant_max is not None and call.grant_max > call.budget:
        _add(errors, "grant_max", _("The largest grant is above the total budget."))
    if call.opens_at and call.deadline and call.opens_at >= call.deadline:
        _add(errors, "deadline", _("The deadline must come after the opening date."))
    if call.work_starts_on and call.work_ends_on and call.work_ends_on < call.work_starts_on:
        _add(errors, "work_ends_on", _("The project or contract ends before it starts."))
    try:
        zoneinfo.ZoneInfo(call.time_zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        _add(errors, "time_zone", _("Unknown time zone: use a name such as Europe/Brussels."))
    if call.status == CallStatus.OPEN and call.deadline and call.deadline <= timezone.now():
        _add(
            errors,
            "deadline",
            _(
                "This deadline has passed: an open call needs a future deadline "
                "(or close the call)."
            ),
        )
    return errors
