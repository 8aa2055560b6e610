"""Demo calls: the real CEMR call with its real facts, honest statuses, idempotent."""

import datetime
import zoneinfo

import pytest

from municipia.funding.demo import load_demo_calls
from municipia.funding.enums import CallStatus
from municipia.funding.models import FundingCall, PartnerSearch

pytestmark = pytest.mark.django_db


def test_demo_calls_are_loaded_once_with_honest_statuses(organisation):
    now = datetime.datetime(2026, 11, 22, 9, tzinfo=datetime.UTC)
    load_demo_calls(now=now)
    load_demo_calls(now=now)
    assert FundingCall.objects.count() == 5
    ai = FundingCall.objects.get(title="Empowering Local Leaders through AI")
    assert ai.local_deadline.date() == datetime.date(2025, 11, 10)
    assert ai.deadline.tzinfo is not None
    assert ai.tz == zoneinfo.ZoneInfo("Europe/Brussels")
    assert ai.budget == 33000 and ai.status == CallStatus.CLOSED
    assert "December 2025 – December 2026" in ai.summary
    assert (ai.work_starts_on, ai.work_ends_on) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 12, 31),
    )
    assert ai.amounts_exclude_vat


def test_the_ai_call_page_states_its_facts(client, organisation):
    load_demo_calls()
    ai = FundingCall.objects.get(title="Empowering Local Leaders through AI")
    page = client.get(ai.get_absolute_url()).content.decode()
    assert "10 November 2025" in page
    assert "up to 33,000 EUR (excluding VAT)" in page
    assert "December 2025</time> – <time" in page and "December 2026" in page
    assert "This call is closed" in page
    generated = FundingCall.objects.exclude(pk=ai.pk)
    assert all(c.status == CallStatus.OPEN for c in generated)
    assert all("generated" in c.summary for c in generated)
    # Köln's demo partner search for the networks-of-towns example
    assert PartnerSearch.objects.filter(owner=organisation).count() == 1
