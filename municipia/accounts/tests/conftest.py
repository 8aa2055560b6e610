"""A person with data in every app (Anna, of Köln) and a counterpart (Piotr, of
Kraków) whose data must never leak into Anna's export nor be touched by her
erasure."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory.enums import Position
from municipia.directory.models import Person
from municipia.events.enums import AgendaStatus, EventKind, RegistrationStatus
from municipia.events.models import AgendaItem, Event, Registration, Session
from municipia.funding.models import DeadlineAlertSettings, ExpressionOfInterest, PartnerSearch
from municipia.matching.models import Swipe
from municipia.networking.enums import RequestStatus
from municipia.networking.models import AvailabilityBlock, MeetingRequest, NetworkingProfile
from municipia.notifications.models import Notification
from municipia.partnerships.models import Conversation, Message


@dataclass
class World:
    anna: object
    piotr: object
    aino: object
    past_event: Event
    future_event: Event
    anna_past: Registration
    anna_future: Registration
    piotr_past: Registration
    piotr_future: Registration
    aino_waiting: Registration
    past_request: MeetingRequest
    future_request: MeetingRequest
    anna_message: Message
    piotr_message: Message
    interest: ExpressionOfInterest
    person: Person
    token_key: str


def _event(slug, starts_on, capacity=None):
    return Event.objects.create(
        slug=slug,
        title=f"Seminar {slug}",
        kind=EventKind.SEMINAR,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=1),
        is_published=True,
        capacity=capacity,
    )


def _register(event, user, organisation, status=RegistrationStatus.CONFIRMED, **fields):
    return Registration.objects.create(
        event=event,
        user=user,
        participant_name=user.display_name,
        participant_email=user.email,
        organisation=organisation,
        status=status,
        **fields,
    )


@pytest.fixture
def world(organisation, other_organisation):
    anna = make_user("anna@koeln.example", display_name="Anna Schmidt")
    piotr = make_user("piotr@krakow.example", display_name="Piotr Nowak")
    aino = make_user("aino@espoo.example", display_name="Aino Virtanen")
    account_services.grant_role(
        actor=None, user=anna, role=Role.ORGANISATION_EDITOR, organisation=organisation
    )
    account_services.grant_role(
        actor=None, user=piotr, role=Role.ORGANISATION_EDITOR, organisation=other_organisation
    )
    today = timezone.localdate()
    past_event = _event("past-seminar", datetime.date(2020, 5, 4))
    future_event = _event("future-seminar", today + datetime.timedelta(days=60), capacity=2)

    anna_past = _register(
        past_event,
        anna,
        organisation,
        dietary_needs="Vegetarian",
        accessibility_needs="Step-free access",
        checked_in_at=timezone.now() - datetime.timedelta(days=2000),
    )
    piotr_past = _register(past_event, piotr, other_organisation, dietary_needs="Halal")
    anna_future = _register(future_event, anna, organisation, dietary_needs="Vegan")
    piotr_future = _register(future_event, piotr, other_organisation)
    aino_waiting = _register(future_event, aino, None, status=RegistrationStatus.WAITING_LIST)

    starts = timezone.now() + datetime.timedelta(days=60)
    session = Session.objects.create(
        event=future_event,
        title="Heat pumps workshop",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    AgendaItem.objects.create(
        registration=anna_future, session=session, status=AgendaStatus.CONFIRMED
    )
    NetworkingProfile.objects.create(registration=anna_past, topics="Energy poverty")
    NetworkingProfile.objects.create(registration=anna_future, topics="Heat pumps")
    NetworkingProfile.objects.create(registration=piotr_future, topics="District heating")
    AvailabilityBlock.objects.create(
        registration=anna_past,
        starts_at=timezone.now() - datetime.timedelta(days=2000, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=2000, hours=1),
        note="Doctor's appointment",
    )
    past_request = MeetingRequest.objects.create(
        event=past_event,
        requester=piotr_past,
        recipient=anna_past,
        message="Piotr asks about heating",
        response="Anna answers gladly",
        status=RequestStatus.ACCEPTED,
        created_by=piotr,
    )
    future_request = MeetingRequest.objects.create(
        event=future_event,
        requester=anna_future,
        recipient=piotr_future,
        message="Anna proposes a talk",
        created_by=anna,
    )

    first, second = sorted([organisation, other_organisation], key=lambda o: o.pk)
    conversation = Conversation.objects.create(organisation_a=first, organisation_b=second)
    anna_message = Message.objects.create(
        conversation=conversation,
        sender=anna,
        sender_organisation=organisation,
        text="Hello from Köln",
    )
    piotr_message = Message.objects.create(
        conversation=conversation,
        sender=piotr,
        sender_organisation=other_organisation,
        text="Hello from Kraków, private to Piotr",
    )

    Notification.objects.create(recipient=anna, kind="test", title="Welcome Anna", language="en")
    Notification.objects.create(
        recipient=piotr, kind="test", title="Piotr's own notification", language="en"
    )
    DeadlineAlertSettings.objects.create(user=anna, days_before=[14, 2])
    DeadlineAlertSettings.objects.create(user=piotr, days_before=[30])
    search = PartnerSearch.objects.create(
        owner=other_organisation,
        title="Partners for a heating project",
        purpose="District heating",
        created_by=piotr,
    )
    interest = ExpressionOfInterest.objects.create(
        search=search, organisation=organisation, message="Köln is interested", created_by=anna
    )
    Swipe.objects.create(
        organisation=organisation, candidate=other_organisation, decision="like", by=anna
    )
    person = Person.objects.create(
        organisation=organisation,
        name="Anna Schmidt",
        position=Position.OFFICER,
        email="anna@koeln.example",
        user=anna,
    )
    token_key = account_services.create_api_token(user=anna).key
    account_services.create_api_token(user=piotr)
    return World(
        anna=anna,
        piotr=piotr,
        aino=aino,
        past_event=past_event,
        future_event=future_event,
        anna_past=anna_past,
        anna_future=anna_future,
        piotr_past=piotr_past,
        piotr_future=piotr_future,
        aino_waiting=aino_waiting,
        past_request=past_request,
        future_request=future_request,
        anna_message=anna_message,
        piotr_message=piotr_message,
        interest=interest,
        person=person,
        token_key=token_key,
    )
