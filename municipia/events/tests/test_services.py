"""Programme editing and personal agendas: seats, waiting lists, audience rules, clashes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from municipia.directory.models import Person
from municipia.events import selectors, services
from municipia.events.enums import AgendaStatus, SessionAudience
from municipia.events.models import AgendaItem
from municipia.events.tests.core_helpers import register_mayor

from .core_helpers import at

pytest_plugins = ["municipia.events.tests.core_fixtures"]


@pytest.fixture
def participant(retreat):
    user = make_user("ana@example.org", display_name="Ana Puig")
    return services.register(actor=user, event=retreat)


@pytest.fixture
def mayor(retreat):
    user = make_user("mayor@example.org", display_name="Mayor")
    return register_mayor(retreat, user)


def _registrations(event, n, prefix="p"):
    return [
        services.register(actor=make_user(f"{prefix}{i}@example.org"), event=event)
        for i in range(n)
    ]


def test_room_double_booking_and_speaker_clash_are_warned_not_refused(
    retreat, room, plenary, event_organiser, organisation
):
    speaker = Person.objects.create(
        organisation=organisation, name="Henriette Reker", position="mayor_or_president"
    )
    services.save_session(
        actor=event_organiser,
        event=retreat,
        session=plenary,
        people=[{"person": speaker}, {"guest_name": "Dr. Guest", "role": "moderator"}],
    )
    session, warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Side meeting",
        starts_at=at(6, 10),
        ends_at=at(6, 12),
        room=room,
        people=[{"person": speaker.pk}, {"guest_name": "dr. guest"}],
    )
    assert session.pk
    assert len(warnings) == 3
    assert any("Sala Diagonal" in w for w in warnings)
    assert any("Henriette Reker" in w for w in warnings)
    assert any("Dr. Guest" in w for w in warnings)
    # Moving it later removes the warnings.
    _, warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        session=session,
        starts_at=at(6, 11),
        ends_at=at(6, 12),
    )
    assert warnings == []
    session.refresh_from_db()
    assert session.sequence == 1  # calendars replace their copy


def test_only_managers_edit_the_programme(retreat, plenary, member_user, organisation_editor):
    for user in (member_user, organisation_editor):
        with pytest.raises(PermissionDenied):
            services.save_session(actor=user, event=retreat, session=plenary, title="Hacked")
        with pytest.raises(PermissionDenied):
            services.delete_session(actor=user, session=plenary)


def test_a_room_of_another_event_is_refused(retreat, plenary, event_organiser):
    import datetime

    other = services.create_event(
        actor=event_organiser,
        slug="other",
        title="Other",
        kind="seminar",
        starts_on=datetime.date(2030, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
    )
    foreign_room = services.save_room(actor=event_organiser, event=other, name="Elsewhere")
    with pytest.raises(ValidationError) as error:
        services.save_session(
            actor=event_organiser, event=retreat, session=plenary, room=foreign_room
        )
    assert "room" in error.value.message_dict


def test_agenda_seats_and_waiting_list(retreat, plenary, event_organiser):
    services.save_session(actor=event_organiser, event=retreat, session=plenary, capacity=2)
    a, b, c, d = _registrations(retreat, 4)
    items = [
        services.add_to_agenda(actor=r.user, registration=r, session=plenary) for r in (a, b, c, d)
    ]
    assert [i.status for i in items] == ["confirmed", "confirmed", "waiting_list", "waiting_list"]
    # Adding twice changes nothing.
    assert services.add_to_agenda(actor=a.user, registration=a, session=plenary).pk == items[0].pk

    services.remove_from_agenda(actor=a.user, item=items[0])
    assert AgendaItem.objects.get(pk=items[2].pk).status == AgendaStatus.CONFIRMED
    assert AgendaItem.objects.get(pk=items[3].pk).status == AgendaStatus.WAITING_LIST
    # Cancelling the registration frees the seat too.
    services.cancel_registration(actor=b.user, registration=b)
    assert AgendaItem.objects.get(pk=items[3].pk).status == AgendaStatus.CONFIRMED
    # More seats promote the whole list.
    e, _f = _registrations(retreat, 2, prefix="late")
    services.add_to_agenda(actor=e.user, registration=e, session=plenary)
    services.save_session(actor=event_organiser, event=retreat, session=plenary, capacity=10)
    assert AgendaItem.objects.filter(session=plenary, status=AgendaStatus.WAITING_LIST).count() == 0


def test_room_seats_limit_the_session_when_it_has_no_limit_of_its_own(
    retreat, room, plenary, event_organiser
):
    services.save_room(actor=event_organiser, event=retreat, room=room, name=room.name, capacity=1)
    a, b = _registrations(retreat, 2)
    assert (
        services.add_to_agenda(actor=a.user, registration=a, session=plenary).status == "confirmed"
    )
    assert (
        services.add_to_agenda(actor=b.user, registration=b, session=plenary).status
        == "waiting_list"
    )


def test_principals_only_session(retreat, reception, participant, mayor):
    with pytest.raises(ValidationError) as error:
        services.add_to_agenda(actor=participant.user, registration=participant, session=reception)
    assert error.value.message_dict["session"] == [
        "This session is open to principals and mayors only."
    ]
    item = services.add_to_agenda(actor=mayor.user, registration=mayor, session=reception)
    assert item.status == AgendaStatus.CONFIRMED


def test_invited_session(retreat, plenary, participant, mayor, event_organiser):
    services.save_session(
        actor=event_organiser,
        event=retreat,
        session=plenary,
        audience=SessionAudience.INVITED,
        invited=[participant],
    )
    services.add_to_agenda(actor=participant.user, registration=participant, session=plenary)
    with pytest.raises(ValidationError):
        services.add_to_agenda(actor=mayor.user, registration=mayor, session=plenary)


def test_agenda_needs_a_confirmed_registration(retreat, plenary, event_organiser):
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=1)
    first, waiting = _registrations(retreat, 2)
    with pytest.raises(ValidationError):
        services.add_to_agenda(actor=waiting.user, registration=waiting, session=plenary)
    with pytest.raises(PermissionDenied):
        services.add_to_agenda(actor=waiting.user, registration=first, session=plenary)


def test_cancelled_sessions_take_no_sign_ups_and_tell_those_signed_up(
    retreat, plenary, participant, event_organiser
):
    services.add_to_agenda(actor=participant.user, registration=participant, session=plenary)
    services.save_session(actor=event_organiser, event=retreat, session=plenary, is_cancelled=True)
    assert participant.user.notifications.filter(kind="event_session_changed").exists()
    other = _registrations(retreat, 1)[0]
    with pytest.raises(ValidationError):
        services.add_to_agenda(actor=other.user, registration=other, session=plenary)


def test_clashes_and_busy_intervals(retreat, plenary, reception, mayor, event_organiser):
    overlapping, _ = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Working lunch",
        starts_at=at(6, 10, 30),
        ends_at=at(6, 12),
    )
    later, _ = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Afternoon",
        starts_at=at(6, 12),
        ends_at=at(6, 13),
    )
    for session in (later, reception, overlapping, plenary):
        services.add_to_agenda(actor=mayor.user, registration=mayor, session=session)
    pairs = selectors.clashes(mayor)
    assert [(a.title, b.title) for a, b in pairs] == [("Opening plenary", "Working lunch")]
    assert selectors.clashing_session_ids(mayor) == {plenary.pk, overlapping.pk}
    assert selectors.busy_intervals(mayor) == [
        (at(6, 9, 30), at(6, 11)),
        (at(6, 10, 30), at(6, 12)),
        (at(6, 12), at(6, 13)),
        (at(6, 19), at(6, 21)),
    ]


def test_programme_by_day_with_themes(retreat, plenary, reception, event_organiser):
    day = retreat.days.get(date=plenary.day)
    services.set_day_theme(actor=event_organiser, day=day, theme="Working for the planet")
    days = selectors.programme(retreat)
    assert [d.date.day for d in days] == [5, 6, 7]
    assert days[1].theme == "Working for the planet"
    assert [s.title for s in days[1].sessions] == ["Opening plenary", "Reception at the City Hall"]
    assert days[0].sessions == []


def test_programme_costs_the_same_queries_whatever_its_size(
    retreat, room, event_organiser, organisation, django_assert_num_queries
):
    speaker = Person.objects.create(organisation=organisation, name="Speaker", position="expert")

    def add(n):
        for i in range(n):
            services.save_session(
                actor=event_organiser,
                event=retreat,
                title=f"S{i}",
                starts_at=at(5 + i % 3, 9 + i % 8),
                ends_at=at(5 + i % 3, 10 + i % 8),
                room=room,
                people=[{"person": speaker}, {"guest_name": f"Guest {i}"}],
            )

    # days, sessions with rooms and tracks, speakers, their people, organisations
    add(3)
    with django_assert_num_queries(5):
        days = selectors.programme(retreat)
        [(p.display_name, p.affiliation) for d in days for s in d.sessions for p in s.people.all()]
        [(s.room.name, s.track, s.day) for d in days for s in d.sessions]
    add(30)
    with django_assert_num_queries(5):
        days = selectors.programme(retreat)
        [(p.display_name, p.affiliation) for d in days for s in d.sessions for p in s.people.all()]
        [(s.room.name, s.track, s.day) for d in days for s in d.sessions]
