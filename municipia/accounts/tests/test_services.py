import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from municipia.accounts import rules, selectors, services
from municipia.accounts.enums import AuditAction, Role
from municipia.accounts.models import AuditEntry, RoleGrant


def test_grant_role_is_audited_with_who_what_when(organisation_admin, plain_user, organisation):
    services.grant_role(
        actor=organisation_admin,
        user=plain_user,
        role=Role.ORGANISATION_EDITOR,
        organisation=organisation,
    )
    entry = AuditEntry.objects.get(action=AuditAction.ROLE_GRANTED, target_id=str(plain_user.pk))
    assert entry.actor == organisation_admin
    assert entry.actor_repr == "admin@example.org"
    assert entry.details == {"role": "organisation_editor", "organisation": organisation.pk}
    assert entry.created_at is not None
    assert rules.can_edit_organisation(plain_user, organisation)


def test_grant_role_twice_changes_nothing(organisation_admin, plain_user, organisation):
    for _ in range(2):
        services.grant_role(
            actor=organisation_admin, user=plain_user, role=Role.MEMBER, organisation=organisation
        )
    assert RoleGrant.objects.filter(user=plain_user).count() == 1
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.ROLE_GRANTED, target_id=str(plain_user.pk)
        ).count()
        == 1
    )


def test_editor_cannot_grant_roles(organisation_editor, plain_user, organisation):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=organisation_editor,
            user=plain_user,
            role=Role.ORGANISATION_EDITOR,
            organisation=organisation,
        )
    assert not RoleGrant.objects.filter(user=plain_user).exists()


def test_admin_of_one_organisation_cannot_grant_in_another(
    organisation_admin, plain_user, other_organisation
):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=organisation_admin,
            user=plain_user,
            role=Role.ORGANISATION_ADMIN,
            organisation=other_organisation,
        )


def test_association_manager_only_for_a_national_association(staff_user, plain_user, organisation):
    with pytest.raises(ValidationError) as error:
        services.grant_role(
            actor=staff_user,
            user=plain_user,
            role=Role.ASSOCIATION_MANAGER,
            organisation=organisation,
        )
    assert "organisation" in error.value.message_dict


def test_organisation_roles_need_an_organisation(staff_user, plain_user):
    with pytest.raises(ValidationError):
        services.grant_role(actor=staff_user, user=plain_user, role=Role.ORGANISATION_EDITOR)


def test_revoke_role_is_audited_and_takes_effect(
    organisation_admin, organisation_editor, organisation
):
    grant = RoleGrant.objects.get(user=organisation_editor)
    services.revoke_role(actor=organisation_admin, grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ROLE_REVOKED).count() == 1
    assert not rules.can_edit_organisation(organisation_editor, organisation)


def test_editor_cannot_revoke_the_admin(organisation_admin, organisation_editor):
    grant = RoleGrant.objects.get(user=organisation_admin)
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=organisation_editor, grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_only_staff_make_staff(staff_user, organisation_admin, plain_user):
    with pytest.raises(PermissionDenied):
        services.set_platform_staff(actor=organisation_admin, user=plain_user, is_staff=True)
    services.set_platform_staff(actor=staff_user, user=plain_user, is_staff=True)
    plain_user.refresh_from_db()
    assert plain_user.is_staff
    assert AuditEntry.objects.get(action=AuditAction.STAFF_CHANGED).details == {"is_staff": True}


def test_update_account_refuses_unknown_language(plain_user):
    with pytest.raises(ValidationError):
        services.update_account(user=plain_user, display_name="Anna", preferred_language="xx")


def test_api_token_replaced_and_revoked_with_audit(plain_user):
    first = services.create_api_token(user=plain_user)
    second = services.create_api_token(user=plain_user)
    assert first.key != second.key
    services.revoke_api_token(user=plain_user)
    actions = list(
        selectors.audit_trail(target_id=str(plain_user.pk)).values_list("action", flat=True)
    )
    assert actions.count(AuditAction.API_TOKEN_CREATED) == 2
    assert AuditAction.API_TOKEN_REVOKED in actions


def test_audit_trail_survives_deletion_of_its_target(staff_user, plain_user):
    services.set_platform_staff(actor=staff_user, user=plain_user, is_staff=True)
    plain_user.delete()
    entry = AuditEntry.objects.get(action=AuditAction.STAFF_CHANGED)
    assert entry.target_repr == "someone@example.org"
