"""Registration: capacity, waiting list, approval, delegations, cancellation, e-mails."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from municipia.accounts.models import User
from municipia.accounts.personal_data import personal_data_of
from municipia.events import selectors, services
from municipia.events.enums import RegistrationStatus
from municipia.events.models import Registration
from municipia.events.tests.core_helpers import register_mayor
from municipia.notifications.models import Notification

from .core_helpers import YEAR

pytest_plugins = ["municipia.events.tests.core_fixtures"]


def _people(n, prefix="p"):
    return [make_user(f"{prefix}{i}@example.org", display_name=f"{prefix} {i}") for i in range(n)]


def test_a_person_registers_and_receives_the_confirmation_with_an_ics(retreat, mailoutbox):
    ana = make_user("ana@example.org", display_name="Ana Puig", preferred_language="fr")
    registration = services.register(
        actor=ana, event=retreat, answers={"position": "officer", "dietary_needs": "vegetarian"}
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.participant_email == "ana@example.org"
    assert registration.dietary_needs == "vegetarian"
    assert registration.registered_by == ana
    [email] = mailoutbox
    assert email.to == ["ana@example.org"]
    # In the participant's language (the French catalogue may not be compiled
    # yet, so the check is on what the template always contains).
    assert "CEMR Strategic Retreat" in email.subject
    [(filename, content, mimetype)] = email.attachments
    assert filename == "cemr-retreat-2024.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    assert f"DTSTART;VALUE=DATE:{YEAR}1105" in content
    assert f"DTEND;VALUE=DATE:{YEAR}1108" in content


def test_questions_the_event_does_not_ask_are_ignored_and_answers_are_checked(retreat):
    ana = make_user("ana@example.org")
    with pytest.raises(ValidationError) as error:
        services.register(actor=ana, event=retreat, answers={"position": "emperor"})
    assert "position" in error.value.message_dict
    registration = services.register(
        actor=ana, event=retreat, answers={"accessibility_needs": "not asked"}
    )
    assert registration.accessibility_needs == ""


def test_consent_is_required_when_the_event_asks_for_it(retreat, event_organiser):
    retreat = services.update_event(
        actor=event_organiser, event=retreat, registration_fields=["consent", "organisation"]
    )
    ana = make_user("ana@example.org")
    with pytest.raises(ValidationError) as error:
        services.register(actor=ana, event=retreat, answers={})
    assert "consent" in error.value.message_dict


def test_saying_one_is_a_mayor_waits_for_the_organisers_to_confirm_it(retreat, event_organiser):
    mayor = make_user("alcaldessa@example.org")
    registration = services.register(
        actor=mayor, event=retreat, answers={"position": "mayor_or_president"}
    )
    assert not registration.is_principal
    registration = services.set_principal(
        actor=event_organiser, registration=registration, is_principal=True
    )
    assert registration.is_principal


def test_organisers_registering_a_mayor_vouch_for_the_position(retreat, event_organiser):
    registration = services.register(
        actor=event_organiser,
        event=retreat,
        participant_name="Jaume Collboni",
        participant_email="alcalde@example.org",
        answers={"position": "mayor_or_president"},
    )
    assert registration.is_principal


def test_registering_twice_is_a_field_error(retreat):
    ana = make_user("ana@example.org")
    services.register(actor=ana, event=retreat)
    with pytest.raises(ValidationError) as error:
        services.register(actor=ana, event=retreat)
    assert "participant_email" in error.value.message_dict


def test_full_event_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    retreat, event_organiser, mailoutbox
):
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=2)
    first, second, third, fourth = _people(4)
    r1 = services.register(actor=first, event=retreat)
    services.register(actor=second, event=retreat)
    r3 = services.register(actor=third, event=retreat)
    r4 = services.register(actor=fourth, event=retreat)
    assert r3.status == r4.status == RegistrationStatus.WAITING_LIST
    assert selectors.event_counts(retreat)["places_left"] == 0

    mailoutbox.clear()
    services.cancel_registration(actor=first, registration=r1)
    r1.refresh_from_db()
    r3.refresh_from_db()
    r4.refresh_from_db()
    assert r1.status == RegistrationStatus.CANCELLED
    assert r3.status == RegistrationStatus.CONFIRMED  # first come, first served
    assert r4.status == RegistrationStatus.WAITING_LIST
    assert sorted(m.to[0] for m in mailoutbox) == ["p0@example.org", "p2@example.org"]
    promoted_mail = next(m for m in mailoutbox if m.to == ["p2@example.org"])
    assert promoted_mail.attachments  # confirmation with the .ics
    assert Notification.objects.filter(
        recipient=third, kind="event_registration_confirmed"
    ).exists()


def test_more_places_promote_the_waiting_list(retreat, event_organiser):
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=1)
    a, b = _people(2)
    services.register(actor=a, event=retreat)
    rb = services.register(actor=b, event=retreat)
    assert rb.status == RegistrationStatus.WAITING_LIST
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=5)
    rb.refresh_from_db()
    assert rb.status == RegistrationStatus.CONFIRMED


def test_approval(retreat, event_organiser, mailoutbox):
    retreat = services.update_event(
        actor=event_organiser, event=retreat, requires_approval=True, capacity=1
    )
    a, b, c = _people(3)
    ra = services.register(actor=a, event=retreat)
    rb = services.register(actor=b, event=retreat)
    rc = services.register(actor=c, event=retreat)
    assert {ra.status, rb.status, rc.status} == {RegistrationStatus.PENDING}
    # The organiser who created the event is told there is something to approve.
    assert (
        Notification.objects.filter(
            recipient=event_organiser, kind="event_registration_to_approve"
        ).count()
        == 3
    )
    with pytest.raises(PermissionDenied):
        services.approve_registration(actor=a, registration=ra)

    services.approve_registration(actor=event_organiser, registration=ra)
    services.approve_registration(actor=event_organiser, registration=rb)
    services.decline_registration(actor=event_organiser, registration=rc)
    ra.refresh_from_db()
    rb.refresh_from_db()
    rc.refresh_from_db()
    assert ra.status == RegistrationStatus.CONFIRMED
    assert rb.status == RegistrationStatus.WAITING_LIST  # approved, but the event is full
    assert rc.status == RegistrationStatus.DECLINED
    with pytest.raises(ValidationError):
        services.approve_registration(actor=event_organiser, registration=rc)
    assert Notification.objects.filter(recipient=c, kind="event_registration_declined").exists()
    # The declined person's last e-mail says so and carries no calendar file.
    last_to_c = [m for m in mailoutbox if m.to == [c.email]][-1]
    assert "not accepted" in last_to_c.subject
    assert last_to_c.attachments == []


def test_an_officer_registers_their_mayor_who_has_no_account(
    retreat, organisation, organisation_editor, mailoutbox
):
    registration = services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="Henriette Reker",
        participant_email="Oberbuergermeisterin@Example.org",
        organisation=organisation,
        answers={"position": "mayor_or_president"},
        language="de",
    )
    assert registration.user is None
    assert registration.registered_by == organisation_editor
    assert registration.participant_email == "oberbuergermeisterin@example.org"
    assert registration.is_principal
    [email] = mailoutbox
    assert email.to == ["oberbuergermeisterin@example.org"]
    assert email.cc == ["editor@example.org"]
    # The officer may cancel for them; a stranger may not.
    stranger = make_user("stranger@example.org")
    with pytest.raises(PermissionDenied):
        services.cancel_registration(actor=stranger, registration=registration)
    services.cancel_registration(actor=organisation_editor, registration=registration)
    assert list(selectors.registrations_by(organisation_editor)) == [registration]


def test_a_delegate_with_an_account_gets_the_registration_in_it(
    retreat, organisation, organisation_editor
):
    mayor = make_user("mayor@example.org", display_name="The Mayor")
    registration = services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="The Mayor",
        participant_email="MAYOR@example.org",
        organisation=organisation,
    )
    assert registration.user == mayor
    assert selectors.registration_of(mayor, retreat) == registration


def _sign_up(client, email):
    response = client.post(
        "/en/accounts/signup/",
        {"email": email, "password1": "a-long-Passphrase-42", "password2": "a-long-Passphrase-42"},
    )
    assert response.status_code == 302


def _confirm(client, mailoutbox, email):
    [message] = [m for m in mailoutbox if m.to == [email] and "confirm-email" in m.body]
    [link] = re.findall(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    response = client.post(urlparse(link).path)
    assert response.status_code == 302


def test_a_mayor_registered_before_having_an_account_finds_it_once_the_address_is_verified(
    client, retreat, organisation, organisation_editor, mailoutbox
):
    registration = services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="Henriette Reker",
        participant_email="Oberbuergermeisterin@Example.org",
        organisation=organisation,
    )
    assert registration.user is None
    _sign_up(client, "oberbuergermeisterin@example.org")
    mayor = User.objects.get(email="oberbuergermeisterin@example.org")
    registration.refresh_from_db()
    # Typing an address is not enough: an unverified account claims nothing.
    assert registration.user is None
    assert selectors.registration_of(mayor, retreat) is None

    _confirm(client, mailoutbox, "oberbuergermeisterin@example.org")
    registration.refresh_from_db()
    assert registration.user == mayor
    assert selectors.registration_of(mayor, retreat) == registration
    assert registration.registered_by == organisation_editor  # who made it is kept
    exported = personal_data_of(user=mayor)["events"]["registrations"]
    assert [row["event"] for row in exported] == [retreat.title]


def test_a_verified_address_claims_nothing_that_would_double_a_registration(
    retreat, organisation, organisation_editor
):
    mayor = make_user("mayor@example.org", display_name="The Mayor")
    own = services.register(actor=mayor, event=retreat, answers={"position": "officer"})
    # The officer used the mayor's private address: a second, separate registration.
    private = services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="The Mayor",
        participant_email="mayor.private@example.org",
        organisation=organisation,
    )
    assert services.claim_registrations(user=mayor, email="Mayor.Private@example.org") == 0
    private.refresh_from_db()
    assert private.user is None
    assert selectors.registration_of(mayor, retreat) == own
    # Once the mayor's own registration is cancelled, the other one can join the account.
    services.cancel_registration(actor=mayor, registration=own)
    assert services.claim_registrations(user=mayor, email="mayor.private@example.org") == 1
    assert selectors.registration_of(mayor, retreat) == private


def test_only_editors_of_an_organisation_register_its_people(
    retreat, organisation, member_user, other_organisation, organisation_editor
):
    with pytest.raises(PermissionDenied):
        services.register(
            actor=member_user,
            event=retreat,
            participant_name="Someone",
            participant_email="someone.else@example.org",
            organisation=organisation,
        )
    with pytest.raises(PermissionDenied):
        services.register(
            actor=organisation_editor,
            event=retreat,
            participant_name="Someone",
            participant_email="someone.else@example.org",
            organisation=other_organisation,
        )


def test_registration_window(retreat, event_organiser):
    now = timezone.now()
    retreat = services.update_event(
        actor=event_organiser,
        event=retreat,
        registration_opens_at=now + datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=2),
    )
    ana = make_user("ana@example.org")
    with pytest.raises(ValidationError) as error:
        services.register(actor=ana, event=retreat)
    assert error.value.code == "closed"
    # Organisers may still add someone late.
    services.register(
        actor=event_organiser,
        event=retreat,
        participant_name="Late Comer",
        participant_email="late@example.org",
    )


def test_registration_closing_before_opening_is_a_field_error(retreat, event_organiser):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.update_event(
            actor=event_organiser,
            event=retreat,
            registration_opens_at=now,
            registration_closes_at=now - datetime.timedelta(hours=1),
        )
    assert "registration_closes_at" in error.value.message_dict


def test_invitation_events_take_registrations_from_organisers_only(retreat, event_organiser):
    retreat = services.update_event(actor=event_organiser, event=retreat, visibility="invitation")
    guest = make_user("guest@example.org")
    with pytest.raises(PermissionDenied):
        services.register(actor=guest, event=retreat)
    invitation = services.register(
        actor=event_organiser,
        event=retreat,
        participant_name="Guest",
        participant_email="guest@example.org",
    )
    assert invitation.user == guest
    assert selectors.event_for(guest, retreat.slug) == retreat


def test_cancelled_people_may_register_again(retreat):
    ana = make_user("ana@example.org")
    first = services.register(actor=ana, event=retreat)
    services.cancel_registration(actor=ana, registration=first)
    with pytest.raises(ValidationError):
        services.cancel_registration(actor=ana, registration=first)
    second = services.register(actor=ana, event=retreat)
    assert second.pk != first.pk
    assert Registration.objects.filter(event=retreat, user=ana).count() == 2
    assert selectors.registration_of(ana, retreat) == second


def test_anonymous_cannot_register(retreat):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.register(actor=AnonymousUser(), event=retreat)


def test_counts_and_participant_filters(retreat, event_organiser, organisation):
    retreat = services.update_event(actor=event_organiser, event=retreat, capacity=2)
    a, b, c = _people(3)
    ra = services.register(
        actor=a, event=retreat, organisation=organisation, answers={"dietary_needs": "halal"}
    )
    register_mayor(retreat, b)
    services.register(actor=c, event=retreat)
    services.record_attendance(actor=event_organiser, registration=ra)
    counts = selectors.event_counts(retreat)
    assert counts["confirmed"] == 2
    assert counts["waiting_list"] == 1
    assert counts["attended"] == 1
    assert counts["places_left"] == 0
    assert list(selectors.participants(retreat, {"needs": "dietary"})) == [ra]
    assert list(selectors.participants(retreat, {"country": "de"})) == [ra]
    assert [r.user for r in selectors.participants(retreat, {"is_principal": "true"})] == [b]
    assert selectors.participants(retreat, {"status": "waiting_list"}).get().user == c
    assert selectors.participants(retreat, {"q": "P 1"}).get().user == b


def test_every_problem_of_a_registration_is_told_at_once(retreat, event_organiser):
    retreat = services.update_event(
        actor=event_organiser,
        event=retreat,
        registration_fields=["organisation", "position", "consent"],
    )
    with pytest.raises(ValidationError) as error:
        services.register(
            actor=event_organiser,
            event=retreat,
            participant_name="",
            participant_email="mayor@example.org",
            organisation=None,
            answers={"position": "emperor"},
        )
    assert set(error.value.message_dict) == {
        "participant_name",
        "organisation",
        "position",
        "consent",
    }
    assert not Registration.objects.exists()
