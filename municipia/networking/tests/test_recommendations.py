"""Recommendations of whom to meet come from the matching engine."""

import datetime

import pytest

from municipia.directory.models import Challenge, Expertise
from municipia.events.enums import EventKind
from municipia.events.models import Event
from municipia.matching import selectors as matching_selectors
from municipia.matching.tests.conftest import make_lrg
from municipia.networking import selectors, services
from municipia.taxonomy.models import Theme

from .conftest import register


@pytest.fixture(autouse=True)
def _fresh_engine():
    matching_selectors.forget_engine()
    yield
    matching_selectors.forget_engine()


@pytest.fixture
def congress(event_organiser):
    return Event.objects.create(
        slug="congress",
        title="Congress",
        kind=EventKind.CONGRESS,
        starts_on=datetime.date(2027, 5, 4),
        ends_on=datetime.date(2027, 5, 5),
        is_published=True,
        created_by=event_organiser,
    )


@pytest.fixture
def people(congress):
    """Riga offers district heating, Tartu needs it; Lyon works on night markets."""
    waste = Theme.objects.get(code="waste-and-circular-economy")
    riga = make_lrg("Riga", "LV", population=605000, latitude=56.95, longitude=24.11)
    tartu = make_lrg("Tartu", "EE", population=97000, latitude=58.38, longitude=26.72)
    lyon = make_lrg("Lyon", "FR", population=520000, latitude=45.76, longitude=4.83)
    Expertise.objects.create(
        organisation=riga,
        title="District heating",
        text="Renovating district heating networks and waste heat recovery.",
        language="en",
    ).themes.add(waste)
    Challenge.objects.create(
        organisation=tartu,
        title="District heating",
        text="Our district heating network is old and loses heat.",
        language="en",
    ).themes.add(waste)
    Challenge.objects.create(
        organisation=lyon, title="Night markets", text="Food markets at night.", language="fr"
    )
    found = {}
    for name, organisation in (("Ilze", riga), ("Kadri", tartu), ("Chloé", lyon)):
        registration = register(congress, name, f"{name.lower()}@example.org", organisation)
        services.opt_in(actor=registration.user, registration=registration)
        found[name] = registration
    return found


def test_the_matching_organisation_comes_first_with_reasons(people):
    found = selectors.recommendations_for(people["Kadri"])
    assert found[0].registration == people["Ilze"]
    assert found[0].reasons and all(isinstance(text, str) and text for text in found[0].reasons)


def test_already_asked_and_closed_participants_are_left_out(congress, people):
    services.save_grid(actor=congress.created_by, event=congress)
    services.send_request(
        actor=people["Kadri"].user, requester=people["Kadri"], recipient=people["Ilze"]
    )
    services.opt_out(actor=people["Chloé"].user, registration=people["Chloé"])
    assert selectors.recommendations_for(people["Kadri"]) == []


def test_no_organisation_no_recommendation(congress, people):
    loner = register(congress, "Solo", "solo@example.org")
    assert selectors.recommendations_for(loner) == []
