"""Fixtures shared by the whole suite: one user per role and the organisations they act for."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Organisation

# `world`: every role and what each may see (tests/security_world.py).
pytest_plugins = ["tests.security_world"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness (~0.3 s a user) would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _matching_snapshots_in_memory(settings):
    # Published matching engines go to memory, not to var/matching on disk.
    settings.STORAGES = {
        **settings.STORAGES,
        "matching": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttling and rate limits count in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request to a /fr/ page leaves French active in the thread (LocaleMiddleware
    # does not switch back): each test starts, and ends, in the default language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email=email, password="correct horse battery", **fields)


@pytest.fixture
def association(db):
    return Organisation.objects.create(
        name="Deutsche Sektion des RGRE",
        slug="rgre",
        kind=OrganisationType.NATIONAL_ASSOCIATION,
        country="DE",
    )


@pytest.fixture
def other_association(db):
    return Organisation.objects.create(
        name="Association of Polish Cities",
        slug="zmp",
        kind=OrganisationType.NATIONAL_ASSOCIATION,
        country="PL",
    )


@pytest.fixture
def organisation(association):
    org = Organisation.objects.create(
        name="Köln", slug="koln", kind=OrganisationType.MUNICIPALITY, country="DE"
    )
    org.member_of.add(association)
    return org


@pytest.fixture
def other_organisation(other_association):
    org = Organisation.objects.create(
        name="Kraków", slug="krakow", kind=OrganisationType.MUNICIPALITY, country="PL"
    )
    org.member_of.add(other_association)
    return org


@pytest.fixture
def staff_user(db):
    return make_user("staff@example.org", is_staff=True)


@pytest.fixture
def plain_user(db):
    return make_user("someone@example.org")


@pytest.fixture
def association_manager(association):
    user = make_user("manager@example.org")
    account_services.grant_role(
        actor=None, user=user, role=Role.ASSOCIATION_MANAGER, organisation=association
    )
    return user


@pytest.fixture
def organisation_admin(organisation):
    user = make_user("admin@example.org")
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_ADMIN, organisation=organisation
    )
    return user


@pytest.fixture
def organisation_editor(organisation):
    user = make_user("editor@example.org")
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_EDITOR, organisation=organisation
    )
    return user


@pytest.fixture
def member_user(organisation):
    user = make_user("member@example.org")
    account_services.grant_role(actor=None, user=user, role=Role.MEMBER, organisation=organisation)
    return user


@pytest.fixture
def event_organiser(db):
    user = make_user("organiser@example.org")
    account_services.grant_role(actor=None, user=user, role=Role.EVENT_ORGANISER)
    return user
