"""The permission policy, role by role: each role can do what it should and nothing more."""

import pytest
from django.contrib.auth.models import AnonymousUser

from municipia.accounts import rules
from municipia.accounts.enums import Role

ROLES = [
    "anonymous",
    "plain_user",
    "member_user",
    "organisation_editor",
    "organisation_admin",
    "association_manager",
    "event_organiser",
    "staff_user",
]


@pytest.fixture
def actor(request, db):
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


def expect(**allowed):
    """Parametrise over every role; `allowed` names the roles that get True."""
    return pytest.mark.parametrize(
        ("actor", "expected"),
        [(role, allowed.get(role, False)) for role in ROLES],
        indirect=["actor"],
    )


@expect(organisation_editor=True, organisation_admin=True, staff_user=True)
def test_edit_own_organisation(actor, expected, organisation):
    assert rules.can_edit_organisation(actor, organisation) is expected


@expect(staff_user=True)
def test_edit_an_organisation_of_another_country(actor, expected, other_organisation):
    assert rules.can_edit_organisation(actor, other_organisation) is expected


@expect(association_manager=True, staff_user=True)
def test_verify_a_member_of_the_association(actor, expected, organisation):
    assert rules.can_verify_organisation(actor, organisation) is expected


@expect(staff_user=True)
def test_verify_a_member_of_another_association(actor, expected, other_organisation):
    assert rules.can_verify_organisation(actor, other_organisation) is expected


@expect(organisation_admin=True, association_manager=True, staff_user=True)
def test_grant_editor_role_in_organisation(actor, expected, organisation):
    assert rules.can_grant_role(actor, Role.ORGANISATION_EDITOR, organisation) is expected


@expect(association_manager=True, staff_user=True)
def test_appoint_another_association_manager(actor, expected, association):
    assert rules.can_grant_role(actor, Role.ASSOCIATION_MANAGER, association) is expected


@expect(staff_user=True)
def test_grant_platform_wide_event_organiser(actor, expected):
    assert rules.can_grant_role(actor, Role.EVENT_ORGANISER, None) is expected


@expect(event_organiser=True, staff_user=True)
def test_organise_events(actor, expected):
    assert rules.can_organise_events(actor) is expected


@expect(staff_user=True)
def test_admin_and_audit_trail(actor, expected):
    assert rules.can_access_admin(actor) is expected
    assert rules.can_view_audit_trail(actor) is expected


@expect(association_manager=True, staff_user=True)
def test_bulk_import_own_country(actor, expected):
    assert rules.can_bulk_import(actor, "DE") is expected


@expect(staff_user=True)
def test_bulk_import_another_country(actor, expected):
    assert rules.can_bulk_import(actor, "PL") is expected


@expect(member_user=True, organisation_editor=True, organisation_admin=True)
def test_membership_of_organisation(actor, expected, organisation):
    assert rules.is_member(actor, organisation) is expected


def test_inactive_staff_may_do_nothing(staff_user, organisation):
    staff_user.is_active = False
    assert not rules.can_edit_organisation(staff_user, organisation)
    assert not rules.can_access_admin(staff_user)


def test_grants_are_read_once_per_user_object(
    organisation_editor, organisation, other_organisation, django_assert_num_queries
):
    rules.forget_cached_grants(organisation_editor)
    with django_assert_num_queries(1):
        assert rules.can_edit_organisation(organisation_editor, organisation)
        assert not rules.can_edit_organisation(organisation_editor, other_organisation)
        assert not rules.can_organise_events(organisation_editor)
