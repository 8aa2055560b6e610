"""Property-based tests of the API against its committed OpenAPI document.

schemathesis generates requests from docs/api/openapi.yaml and sends them to the
Django WSGI application in-process (no server, no network), anonymously and with
the bearer token of a real user. Its checks fail the test on any 5xx, on an
undocumented status code, content type or header, on a body that does not match
the schema, on valid input refused and on invalid input accepted.

Kept fast and reproducible: a fixed seed, derandomized generation, twenty
examples per operation plus the coverage phase's boundary cases, no example
database, no stateful phase.
"""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from municipia.accounts import services as account_services
from municipia.wsgi import application

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"

schema = schemathesis.openapi.from_path(
    DOCUMENT,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260101,
            "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {
                    # By design, filtering people by an organisation that does not
                    # exist (or that the caller may not see) is refused with 400
                    # "No such organisation." rather than answered with no one.
                    "include-path": "/api/people/",
                    "include-method": "GET",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "400", "401", "404", "429"]
                        }
                    },
                }
            ],
        }
    ),
)
# Set before the tests are generated: each operation keeps the app it was built
# with, and the checks that send requests of their own (re-authentication probes,
# missing-auth variants) use it too.
schema.app = application

EXAMPLES = hypothesis_settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    # Every example of an operation shares the test's database transaction and
    # its fixtures, which is what we want here.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def served(db, monkeypatch, community, goals, organisation):
    """Let the WSGI application serve inside the test's transaction, unthrottled.

    A real server closes stale database connections when each request starts and
    ends; inside the transaction pytest-django wraps the test in, that would mark
    the transaction for rollback and break the next query. django.test.Client
    disconnects the same two receivers for the same reason.
    """
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES",
        {"anon": None, "user": None},
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer_headers(organisation_admin):
    token = account_services.create_api_token(user=organisation_admin)
    return {"Authorization": f"Bearer {token.key}"}


@schema.parametrize()
@EXAMPLES
def test_anonymous(case, served):
    case.call_and_validate()


@schema.parametrize()
@EXAMPLES
def test_with_bearer_token(case, served, bearer_headers):
    case.call_and_validate(headers=bearer_headers)
