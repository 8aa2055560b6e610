"""Who speaks for an organisation's delegation at an event: its people (a role
in the organisation) and those it registered, never someone who only named the
organisation when registering."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from conftest import make_user
from municipia.accounts import rules
from municipia.directory.enums import OrganisationType, Visibility
from municipia.directory.models import Organisation
from municipia.events import services as event_services
from municipia.events.enums import RegistrationStatus
from municipia.networking import selectors
from municipia.networking import services as networking_services
from municipia.networking.enums import RequestStatus

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def to_koln(world):
    """Köln's editor registers for Köln and takes requests; a participant asks
    Köln's delegation for a meeting, with a private message."""
    koln_editor = world.users["organisation_editor"]
    koln = event_services.register(
        actor=koln_editor, event=world.event, organisation=world.organisations["koln"]
    )
    assert koln.status == RegistrationStatus.CONFIRMED
    networking_services.opt_in(actor=koln_editor, registration=koln, topics="Heat")
    return networking_services.send_request(
        actor=world.users["confirmed"],
        requester=world.registrations["confirmed"],
        recipient=koln,
        message="Private: our budget is 2M",
        to_delegation=True,
    )


def test_naming_another_organisation_when_registering_is_refused_to_its_outsiders(world):
    krakow_editor = world.users["krakow_editor"]
    response = api(krakow_editor).post(
        "/api/registrations/",
        {"event": world.event.slug, "organisation": "koln"},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
    with pytest.raises(ValidationError) as error:
        event_services.register(
            actor=krakow_editor, event=world.event, organisation=world.organisations["koln"]
        )
    assert "organisation" in error.value.message_dict


def test_a_self_declared_member_of_a_delegation_neither_reads_nor_answers_its_requests(
    world, plain_user, to_koln
):
    # Someone with no role yet may say where they come from (the directory's
    # organisations they can see) ...
    response = api(plain_user).post(
        "/api/registrations/",
        {"event": world.event.slug, "organisation": "koln"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    # ... but that does not make them part of Köln's delegation.
    base = f"/api/events/{world.event.slug}/networking/requests"
    listed = api(plain_user).get(f"{base}/").json()["results"]
    assert [r["id"] for r in listed] == []
    declined = api(plain_user).post(f"{base}/{to_koln.pk}/decline/", {}, format="json")
    assert declined.status_code == 404
    to_koln.refresh_from_db()
    assert to_koln.status == RequestStatus.REQUESTED


def test_a_self_declared_member_does_not_send_requests_as_the_delegation(world, plain_user):
    registration = event_services.register(
        actor=plain_user, event=world.event, organisation=world.organisations["koln"]
    )
    networking_services.opt_in(actor=plain_user, registration=registration)
    with pytest.raises(ValidationError) as error:
        networking_services.send_request(
            actor=plain_user,
            requester=registration,
            recipient=world.registrations["principal"],
            as_delegation=True,
        )
    assert "as_delegation" in error.value.message_dict
    assert not rules.speaks_for_delegation(registration)


def test_the_mayor_an_editor_registered_speaks_for_the_delegation(world, to_koln):
    """An officer registers their mayor, who has an account but no role: the
    mayor reads and answers what is addressed to the delegation."""
    mayor = make_user("mayor@koeln.example", display_name="Henriette Reker")
    registration = event_services.register(
        actor=world.users["organisation_editor"],
        event=world.event,
        participant_name="Henriette Reker",
        participant_email="mayor@koeln.example",
        organisation=world.organisations["koln"],
    )
    assert registration.user == mayor
    assert rules.speaks_for_delegation(registration)
    assert [r.pk for r in selectors.inbox(registration)] == [to_koln.pk]
    networking_services.decline_request(actor=mayor, meeting_request=to_koln)
    to_koln.refresh_from_db()
    assert to_koln.status == RequestStatus.DECLINED


def test_the_registration_page_offers_only_organisations_the_person_may_see(world, plain_user):
    Organisation.objects.create(
        name="Geheimstadt",
        slug="geheimstadt",
        kind=OrganisationType.MUNICIPALITY,
        country="DE",
        visibility=Visibility.HIDDEN,
    )
    event_services.update_event(
        actor=world.users["event_organiser"],
        event=world.event,
        registration_fields=["organisation"],
    )
    client = Client()
    client.force_login(plain_user)
    page = client.get(f"/en/events/{world.event.slug}/register/").content.decode()
    assert "Köln" in page
    assert "Geheimstadt" not in page
    # With a role, only the organisations one belongs to.
    client.force_login(world.users["krakow_editor"])
    page = client.get(f"/en/events/{world.event.slug}/register/").content.decode()
    assert "Kraków" in page and "Köln" not in page
