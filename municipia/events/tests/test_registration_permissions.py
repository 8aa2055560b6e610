"""The events section of the permission policy, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_user
from municipia.accounts import rules
from municipia.events import selectors, services
from municipia.events.models import Registration

pytest_plugins = ["municipia.events.tests.core_fixtures"]

ROLES = [
    "anonymous",
    "plain_user",
    "member_user",
    "organisation_editor",
    "organisation_admin",
    "event_organiser",
    "other_event_organiser",
    "staff_user",
]


@pytest.fixture
def other_event_organiser(db):
    from municipia.accounts import services as account_services
    from municipia.accounts.enums import Role

    user = make_user("other.organiser@example.org")
    account_services.grant_role(actor=None, user=user, role=Role.EVENT_ORGANISER)
    return user


@pytest.fixture
def actor(request, db):
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


def expect(**allowed):
    return pytest.mark.parametrize(
        ("actor", "expected"),
        [(role, allowed.get(role, False)) for role in ROLES],
        indirect=["actor"],
    )


def _visibility(event, organiser, visibility, published=True):
    return services.update_event(
        actor=organiser, event=event, visibility=visibility, is_published=published
    )


# The retreat is created by `event_organiser` and organised by `organisation`
# (Köln), where `organisation_admin` is an admin.
MANAGERS = {"event_organiser": True, "organisation_admin": True, "staff_user": True}


@expect(**MANAGERS)
def test_manage_event(actor, expected, retreat):
    assert rules.can_manage_event(actor, retreat) is expected


@expect(**MANAGERS)
def test_view_participant_list(actor, expected, retreat):
    assert rules.can_view_participants(actor, retreat) is expected


@expect(**dict.fromkeys(ROLES, True))
def test_view_public_event(actor, expected, retreat):
    assert rules.can_view_event(actor, retreat) is expected


@expect(member_user=True, organisation_editor=True, **MANAGERS)
def test_view_members_only_event(actor, expected, retreat, event_organiser):
    retreat = _visibility(retreat, event_organiser, "members")
    assert rules.can_view_event(actor, retreat) is expected
    assert (retreat in selectors.visible_events(actor)) is expected


@expect(**MANAGERS)
def test_view_invitation_event(actor, expected, retreat, event_organiser):
    retreat = _visibility(retreat, event_organiser, "invitation")
    assert rules.can_view_event(actor, retreat) is expected
    assert (retreat in selectors.visible_events(actor)) is expected


@expect(**MANAGERS)
def test_view_unpublished_event(actor, expected, retreat, event_organiser):
    retreat = _visibility(retreat, event_organiser, "public", published=False)
    assert rules.can_view_event(actor, retreat) is expected
    assert (retreat in selectors.visible_events(actor)) is expected


def test_an_invited_person_sees_the_invitation_event(retreat, event_organiser, plain_user):
    retreat = _visibility(retreat, event_organiser, "invitation")
    services.register(
        actor=event_organiser,
        event=retreat,
        participant_name="Invited",
        participant_email=plain_user.email,
    )
    assert rules.can_view_event(plain_user, retreat)
    assert list(selectors.visible_events(plain_user)) == [retreat]


@expect(
    plain_user=True,
    member_user=True,
    organisation_editor=True,
    other_event_organiser=True,
    **MANAGERS,
)
def test_register_for_public_event(actor, expected, retreat):
    assert rules.can_register_for(actor, retreat) is expected


@expect(organisation_editor=True, **MANAGERS)
def test_register_a_delegation_of_the_organisation(actor, expected, retreat, organisation):
    assert rules.can_register_delegation(actor, retreat, organisation) is expected


@expect(**MANAGERS)
def test_see_online_link_without_registration(actor, expected, plenary):
    assert rules.can_see_online_link(actor, plenary) is expected


@pytest.mark.parametrize(
    ("position", "plenary_link", "reception_link"),
    [("officer", True, False), ("mayor_or_president", True, True)],
)
def test_online_links_of_participants(
    retreat, plenary, reception, position, plenary_link, reception_link
):
    user = make_user("participant@example.org")
    registration = services.register(actor=user, event=retreat, answers={"position": position})
    # The organisers confirm whoever says they are a mayor.
    services.set_principal(
        actor=retreat.created_by, registration=registration, is_principal=position != "officer"
    )
    assert rules.can_see_online_link(user, plenary) is plenary_link
    assert rules.can_see_online_link(user, reception) is reception_link


def test_no_online_link_before_the_registration_is_confirmed(retreat, plenary, event_organiser):
    retreat = services.update_event(actor=event_organiser, event=retreat, requires_approval=True)
    user = make_user("participant@example.org")
    registration = services.register(actor=user, event=retreat)
    assert registration.status == "pending"
    assert not rules.can_see_online_link(user, plenary)
    services.approve_registration(actor=event_organiser, registration=registration)
    assert rules.can_see_online_link(user, plenary)


def test_an_officer_does_not_see_the_link_of_their_mayor(
    retreat, reception, organisation, organisation_editor
):
    services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="Mayor",
        participant_email="mayor@example.org",
        organisation=organisation,
        answers={"position": "mayor_or_president"},
    )
    assert Registration.objects.get(participant_email="mayor@example.org").is_principal
    assert not rules.can_see_online_link(organisation_editor, reception)
