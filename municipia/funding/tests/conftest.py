import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation
from municipia.funding.enums import CallStatus
from municipia.funding.models import FundingCall


def grant(user, role, organisation):
    account_services.grant_role(actor=None, user=user, role=role, organisation=organisation)
    return user


def make_org(name, country, kind=OrganisationType.MUNICIPALITY, **fields):
    return Organisation.objects.create(
        name=name, slug=slugify(name), kind=kind, country=country, **fields
    )


def make_call(**fields) -> FundingCall:
    themes = fields.pop("themes", ())
    sdgs = fields.pop("sdgs", ())
    fields.setdefault("funder", "European Commission")
    fields.setdefault("title", "Networks of towns")
    fields.setdefault("status", CallStatus.OPEN)
    fields.setdefault("deadline", timezone.now() + datetime.timedelta(days=40))
    call = FundingCall.objects.create(**fields)
    call.themes.set(themes)
    call.sdgs.set(sdgs)
    return call


@pytest.fixture
def funder(db):
    return make_org("EIT Digital", "BE", kind=OrganisationType.PARTNER)


@pytest.fixture
def funder_editor(funder):
    return grant(make_user("funder@example.org"), Role.ORGANISATION_EDITOR, funder)
