import pytest

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation


def grant(user, role, organisation):
    account_services.grant_role(actor=None, user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def partner_editor(other_organisation):
    return grant(
        make_user("partner-editor@example.org", display_name="Ola Nowak"),
        Role.ORGANISATION_EDITOR,
        other_organisation,
    )


@pytest.fixture
def third_organisation(db):
    return Organisation.objects.create(
        name="Espoo", slug="espoo", kind=OrganisationType.MUNICIPALITY, country="FI"
    )


@pytest.fixture
def third_editor(third_organisation):
    return grant(make_user("third@example.org"), Role.ORGANISATION_EDITOR, third_organisation)
