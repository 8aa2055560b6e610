"""Contradictory rules are refused with the field to correct; past deadlines flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from municipia.funding.enums import CallStatus
from municipia.funding.models import FundingCall

pytestmark = pytest.mark.django_db


def errors_of(**fields) -> dict:
    fields.setdefault("funder", "European Commission")
    fields.setdefault("title", "A call")
    fields.setdefault("deadline", timezone.now() + datetime.timedelta(days=30))
    call = FundingCall(**fields)
    with pytest.raises(ValidationError) as raised:
        call.full_clean()
    return raised.value.message_dict


def test_a_sound_call_passes():
    call = FundingCall(
        funder="European Commission",
        title="Networks of towns",
        deadline=timezone.now() + datetime.timedelta(days=30),
        status=CallStatus.OPEN,
        min_partners=4,
        max_partners=10,
        min_countries=4,
        eligible_groups=["eu", "candidates"],
        min_from_group="eu",
        min_from_group_count=1,
    )
    call.full_clean()


def test_maximum_below_minimum_is_refused_on_the_maximum():
    errors = errors_of(min_partners=5, max_partners=3)
    assert "below the minimum" in errors["max_partners"][0]


def test_more_countries_than_partners_is_refused():
    errors = errors_of(min_partners=2, max_partners=3, min_countries=4)
    assert "cannot be reached with at most 3 partners" in errors["min_countries"][0]


def test_more_countries_than_eligible_countries_is_refused():
    errors = errors_of(min_countries=3, eligible_countries=["DE", "FR"])
    assert "Only 2 countries are eligible" in errors["min_countries"][0]


def test_group_minimum_above_maximum_and_half_given_minimums():
    assert (
        "cannot fit"
        in errors_of(max_partners=3, min_from_group="eu", min_from_group_count=4)[
            "min_from_group_count"
        ][0]
    )
    assert "min_from_group_count" in errors_of(min_from_group="eu")
    assert "min_from_group" in errors_of(min_from_group_count=2)


def test_group_outside_the_eligible_countries_is_refused():
    errors = errors_of(eligible_countries=["NO", "IS"], min_from_group="eu", min_from_group_count=1)
    assert "No eligible country belongs to this group" in errors["min_from_group"][0]


def test_lead_conditions_must_be_reachable():
    errors = errors_of(eligible_countries=["DE", "FR"], lead_countries=["PL"])
    assert "lead_countries" in errors
    errors = errors_of(eligible_types=["municipality"], lead_types=["region"])
    assert "lead_types" in errors


def test_unknown_codes_and_zones_are_refused():
    errors = errors_of(
        eligible_countries=["DE", "QQ"], eligible_groups=["nato"], time_zone="Mars/Olympus"
    )
    assert "QQ" in errors["eligible_countries"][0]
    assert "nato" in errors["eligible_groups"][0]
    assert "time_zone" in errors


def test_grants_and_budget_must_be_consistent():
    assert "grant_max" in errors_of(grant_min=5000, grant_max=1000)
    assert "grant_max" in errors_of(budget=1000, grant_max=5000)


def test_open_call_with_past_deadline_is_flagged_but_a_closed_one_is_fine():
    past = timezone.now() - datetime.timedelta(days=1)
    assert "has passed" in errors_of(deadline=past, status=CallStatus.OPEN)["deadline"][0]
    FundingCall(funder="CEMR", title="Past", deadline=past, status=CallStatus.CLOSED).full_clean()


def test_opening_after_deadline_is_refused():
    deadline = timezone.now() + datetime.timedelta(days=3)
    errors = errors_of(deadline=deadline, opens_at=deadline + datetime.timedelta(days=1))
    assert "after the opening date" in errors["deadline"][0]


def test_the_work_period_must_end_after_it_starts():
    errors = errors_of(
        work_starts_on=datetime.date(2026, 12, 1), work_ends_on=datetime.date(2026, 1, 31)
    )
    assert "ends before it starts" in errors["work_ends_on"][0]
    FundingCall(
        funder="CEMR",
        title="AI",
        deadline=timezone.now() + datetime.timedelta(days=3),
        work_starts_on=datetime.date(2025, 12, 1),
        work_ends_on=datetime.date(2026, 12, 31),
    ).full_clean()
