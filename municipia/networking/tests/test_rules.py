"""The networking permission questions of accounts/rules.py, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from municipia.accounts import rules
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.events.enums import RegistrationStatus
from municipia.networking import services

from .conftest import register


@pytest.fixture
def roles(event, anna, piotr, aino, organisation_admin, staff_user, plain_user):
    other_organiser = make_user("other-organiser@example.org")
    account_services.grant_role(actor=None, user=other_organiser, role=Role.EVENT_ORGANISER)
    officer = make_user("officer@example.org")
    mayor = register(event, "Mayor", "mayor@example.org", user=False)
    mayor.registered_by = officer
    mayor.save()
    return {
        "anonymous": AnonymousUser(),
        "plain": plain_user,
        "anna": anna.user,
        "aino": aino.user,
        "officer": officer,
        "organiser": event.created_by,
        "other_organiser": other_organiser,
        "organisation_admin": organisation_admin,
        "staff": staff_user,
        "_mayor": mayor,
    }


MANAGE = {"organiser", "staff"}


@pytest.mark.parametrize(
    "who",
    ["anonymous", "plain", "anna", "aino", "officer", "organiser", "other_organiser",
     "organisation_admin", "staff"],
)  # fmt: skip
def test_who_manages_the_networking_centre(event, roles, who):
    assert rules.can_manage_networking(roles[who], event) is (who in MANAGE)


@pytest.mark.parametrize(
    "who, allowed",
    [("anonymous", False), ("plain", False), ("anna", True), ("aino", False),
     ("officer", False), ("organiser", True), ("other_organiser", False), ("staff", True)],
)  # fmt: skip
def test_who_networks_as_anna(anna, roles, who, allowed):
    assert rules.can_network_as(roles[who], anna) is allowed


def test_the_officer_networks_for_the_mayor_they_registered(roles):
    assert rules.can_network_as(roles["officer"], roles["_mayor"])
    assert not rules.can_network_as(roles["anna"], roles["_mayor"])


def test_nobody_networks_for_a_cancelled_registration(anna, roles):
    anna.status = RegistrationStatus.CANCELLED
    assert not rules.can_network_as(roles["anna"], anna)
    assert not rules.can_network_as(roles["staff"], anna)


@pytest.mark.parametrize(
    "who, allowed",
    [("anonymous", False), ("plain", False), ("anna", True), ("aino", False),
     ("organiser", True), ("other_organiser", False), ("staff", True)],
)  # fmt: skip
def test_who_sees_a_request(event, grid, anna, piotr, roles, who, allowed):
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    assert rules.can_view_meeting_request(roles[who], meeting_request) is allowed
    assert rules.can_view_meeting_request(piotr.user, meeting_request)
