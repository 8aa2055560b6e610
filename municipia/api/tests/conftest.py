"""Fixtures of the API tests: a client, taxonomy rows of our own, a token."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from municipia.accounts import services as account_services
from municipia.taxonomy.enums import ThemeKind
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme


@pytest.fixture(autouse=True)
def _reset_language():
    # LocaleMiddleware leaves the request's language active in the thread.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def throttle_rates(monkeypatch):
    """Set the throttle rates for one test. DRF reads them into the throttle classes
    when it is imported, so overriding the setting would change nothing."""

    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    return set_rates


@pytest.fixture
def community(db):
    # Codes of our own: the taxonomy's data migration may or may not have loaded
    # the real themes, and these tests must not depend on either.
    return Theme.objects.create(
        code="test-community",
        kind=ThemeKind.IMPACT_COMMUNITY,
        position=900,
        labels={"en": "Test community", "fr": "Communauté d'essai", "de": "Testgemeinschaft"},
        descriptions={"en": "For the tests.", "fr": "Pour les essais."},
    )


@pytest.fixture
def working_groups(community):
    return [
        Theme.objects.create(
            code=f"test-group-{index}",
            kind=ThemeKind.WORKING_GROUP,
            parent=community,
            position=900 + index,
            labels={"en": f"Test group {index}", "fr": f"Groupe d'essai {index}"},
        )
        for index in range(1, 6)
    ]


@pytest.fixture
def goals(db):
    # update_or_create: the numbers are unique, and the migration may have loaded them.
    return [
        SustainableDevelopmentGoal.objects.update_or_create(
            number=number,
            defaults={
                "colour": colour,
                "labels": {"en": f"Goal {number}", "fr": f"Objectif {number}"},
                "descriptions": {"en": f"About goal {number}."},
            },
        )[0]
        for number, colour in [(1, "#E5243B"), (2, "#DDA63A"), (3, "#4C9F38")]
    ]


@pytest.fixture
def token(organisation_admin):
    return account_services.create_api_token(user=organisation_admin)


@pytest.fixture
def bearer_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client
