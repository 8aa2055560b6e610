"""Deleting one's account (GDPR article 17): what goes, what stays anonymised,
and who must hand over first."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import make_user
from municipia.accounts import services
from municipia.accounts.enums import AuditAction, Role
from municipia.accounts.models import AuditEntry, RoleGrant, User
from municipia.events.enums import RegistrationStatus
from municipia.events.models import AgendaItem, Registration
from municipia.funding.models import DeadlineAlertSettings
from municipia.matching.models import Swipe
from municipia.networking.models import AvailabilityBlock, MeetingRequest, NetworkingProfile
from municipia.notifications.models import Notification

PASSWORD = "correct horse battery"


def test_deletion_removes_the_account_and_its_personal_data(world):
    anna_id = world.anna.pk
    EmailAddress.objects.create(user=world.anna, email=world.anna.email, primary=True)

    summary = services.delete_account(user=world.anna)

    assert summary == {"registrations_cancelled": 1, "registrations_anonymised": 1}
    assert not User.objects.filter(pk=anna_id).exists()
    assert not EmailAddress.objects.filter(email="anna@koeln.example").exists()
    assert not RoleGrant.objects.filter(user_id=anna_id).exists()
    assert not Token.objects.filter(user_id=anna_id).exists()
    assert not DeadlineAlertSettings.objects.filter(user_id=anna_id).exists()
    assert list(Notification.objects.filter(recipient_id=anna_id)) == []
    # Piotr's own data is untouched.
    assert Token.objects.filter(user=world.piotr).exists()
    assert DeadlineAlertSettings.objects.filter(user=world.piotr).exists()
    assert Notification.objects.filter(title="Piotr's own notification").exists()


def test_future_registration_is_cancelled_and_the_waiting_list_moves_up(world):
    services.delete_account(user=world.anna)

    assert not Registration.objects.filter(pk=world.anna_future.pk).exists()
    assert not AgendaItem.objects.filter(registration_id=world.anna_future.pk).exists()
    world.aino_waiting.refresh_from_db()
    assert world.aino_waiting.status == RegistrationStatus.CONFIRMED
    # The open meeting request was withdrawn and Piotr was told.
    assert not MeetingRequest.objects.filter(pk=world.future_request.pk).exists()
    assert Notification.objects.filter(recipient=world.piotr, kind="networking.cancelled").exists()


def test_past_registration_stays_anonymised(world):
    services.delete_account(user=world.anna)

    past = Registration.objects.get(pk=world.anna_past.pk)
    assert past.user_id is None
    assert past.participant_name == "Deleted participant"
    assert past.participant_email == f"deleted-{past.pk}@deleted.invalid"
    assert (past.dietary_needs, past.accessibility_needs, past.position) == ("", "", "")
    assert past.feed_token != world.anna_past.feed_token
    # What the event's records need stays.
    assert past.organisation_id == world.anna_past.organisation_id
    assert past.status == RegistrationStatus.CONFIRMED
    assert past.checked_in_at == world.anna_past.checked_in_at
    assert not NetworkingProfile.objects.filter(registration=past).exists()
    assert not AvailabilityBlock.objects.filter(registration=past).exists()
    # The partner's request stays with its text; Anna's answer goes.
    request = MeetingRequest.objects.get(pk=world.past_request.pk)
    assert (request.message, request.response) == ("Piotr asks about heating", "")
    # Piotr's registration is untouched.
    world.piotr_past.refresh_from_db()
    assert world.piotr_past.dietary_needs == "Halal"


def test_what_was_written_for_an_organisation_stays_without_its_author(world):
    services.delete_account(user=world.anna)

    world.anna_message.refresh_from_db()
    assert (world.anna_message.sender_id, world.anna_message.text) == (None, "Hello from Köln")
    world.piotr_message.refresh_from_db()
    assert world.piotr_message.sender_id == world.piotr.pk
    world.interest.refresh_from_db()
    assert (world.interest.created_by_id, world.interest.message) == (None, "Köln is interested")
    assert Swipe.objects.get().by_id is None
    # The organisation's directory entry stays, unlinked from the account.
    world.person.refresh_from_db()
    assert world.person.user_id is None


def test_audit_trail_records_the_erasure_without_personal_data(world):
    anna_id = world.anna.pk
    services.delete_account(user=world.anna)

    erasure = AuditEntry.objects.get(action=AuditAction.DELETED)
    assert (erasure.target_type, erasure.target_id) == ("accounts.User", str(anna_id))
    assert erasure.target_repr == erasure.actor_repr == f"deleted user #{anna_id}"
    assert erasure.details["registrations_cancelled"] == 1
    for entry in AuditEntry.objects.all():
        text = f"{entry.actor_repr} {entry.target_repr} {entry.details}"
        assert "anna@koeln.example" not in text
        assert "Anna Schmidt" not in text
    # Lines about Piotr keep his name.
    assert AuditEntry.objects.filter(target_repr="Piotr Nowak").exists()


def test_last_administrator_is_refused(organisation_admin, organisation):
    with pytest.raises(ValidationError) as error:
        services.delete_account(user=organisation_admin)
    assert "last administrator of Köln" in error.value.messages[0]
    assert User.objects.filter(pk=organisation_admin.pk).exists()

    other = make_user("second-admin@example.org")
    services.grant_role(
        actor=None, user=other, role=Role.ORGANISATION_ADMIN, organisation=organisation
    )
    services.delete_account(user=organisation_admin)
    assert not User.objects.filter(pk=organisation_admin.pk).exists()


def test_last_association_manager_is_refused(association_manager, association):
    with pytest.raises(ValidationError) as error:
        services.delete_account(user=association_manager)
    assert "last manager of Deutsche Sektion des RGRE" in error.value.messages[0]

    other = make_user("second-manager@example.org")
    services.grant_role(
        actor=None, user=other, role=Role.ASSOCIATION_MANAGER, organisation=association
    )
    services.delete_account(user=association_manager)
    assert not User.objects.filter(pk=association_manager.pk).exists()


def test_an_inactive_second_administrator_does_not_count(organisation_admin, organisation):
    other = make_user("gone@example.org", is_active=False)
    services.grant_role(
        actor=None, user=other, role=Role.ORGANISATION_ADMIN, organisation=organisation
    )
    with pytest.raises(ValidationError):
        services.delete_account(user=organisation_admin)


def test_platform_staff_are_refused(staff_user):
    with pytest.raises(ValidationError) as error:
        services.delete_account(user=staff_user)
    assert "platform staff" in error.value.messages[0]
    assert User.objects.filter(pk=staff_user.pk).exists()


# -- the confirmation page ---------------------------------------------------------------


def test_confirmation_page_does_not_delete(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("accounts:delete_account"))
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()
    assert User.objects.filter(pk=plain_user.pk).exists()


def test_wrong_password_is_a_field_error(client, plain_user):
    client.force_login(plain_user)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["This password is not correct."]}
    assert User.objects.filter(pk=plain_user.pk).exists()


def test_missing_password_is_a_field_error(client, plain_user):
    client.force_login(plain_user)
    response = client.post(reverse("accounts:delete_account"), {})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=plain_user.pk).exists()


def test_password_guesses_are_limited(client, plain_user):
    client.force_login(plain_user)
    for _attempt in range(10):
        client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.context["form"].errors["password"] == [
        "Too many attempts. Please try again in a few minutes."
    ]
    assert User.objects.filter(pk=plain_user.pk).exists()


def test_right_password_deletes_and_signs_out(client, world):
    client.force_login(world.anna)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not User.objects.filter(email="anna@koeln.example").exists()
    follow = client.get(reverse("accounts:profile"))
    assert follow.status_code == 302
    assert follow.url.startswith(reverse("account_login"))


def test_last_administrator_sees_why_on_the_page(client, organisation_admin):
    client.force_login(organisation_admin)
    page = client.get(reverse("accounts:personal_data"))
    assert "last administrator of Köln" in page.content.decode()
    assert reverse("accounts:delete_account") not in page.content.decode()

    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 409
    assert "last administrator of Köln" in response.content.decode()
    assert User.objects.filter(pk=organisation_admin.pk).exists()


def test_deletion_needs_a_csrf_token(plain_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(plain_user)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=plain_user.pk).exists()
