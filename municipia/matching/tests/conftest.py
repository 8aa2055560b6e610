"""Organisations with profiles the engine can tell apart, and their editors."""

import pytest

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory.enums import OrganisationType
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.matching import selectors
from municipia.taxonomy.models import Theme


@pytest.fixture(autouse=True)
def _fresh_engine():
    selectors.forget_engine()
    yield
    selectors.forget_engine()


def make_lrg(name: str, country: str, **fields) -> Organisation:
    fields.setdefault("kind", OrganisationType.MUNICIPALITY)
    return Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), country=country, **fields
    )


def make_editor(email: str, organisation: Organisation):
    user = make_user(email)
    account_services.grant_role(
        actor=None, user=user, role=Role.ORGANISATION_EDITOR, organisation=organisation
    )
    return user


@pytest.fixture
def themes(db):
    """The taxonomy's own themes (loaded by its data migration)."""
    return {
        "climate": Theme.objects.get(code="climate"),
        "waste": Theme.objects.get(code="waste-and-circular-economy"),
    }


@pytest.fixture
def places(db, themes):
    """Riga (offers district heating), Tartu (needs it), Espoo and Lyon."""
    riga = make_lrg(
        "Riga", "LV", population=605000, latitude=56.95, longitude=24.11,
        working_languages=",en,lv,", partnership_interests=",thematic,",
    )  # fmt: skip
    tartu = make_lrg(
        "Tartu", "EE", population=97000, latitude=58.38, longitude=26.72,
        working_languages=",en,et,", partnership_interests=",thematic,",
    )  # fmt: skip
    espoo = make_lrg("Espoo", "FI", population=300000, latitude=60.2, longitude=24.65)
    lyon = make_lrg("Lyon", "FR", population=520000, latitude=45.76, longitude=4.83)
    heating = Expertise.objects.create(
        organisation=riga,
        title="District heating",
        text="Renovating district heating networks and waste heat recovery.",
        language="en",
    )
    heating.themes.add(themes["waste"])
    need = Challenge.objects.create(
        organisation=tartu,
        title="District heating",
        text="Our district heating network is old and loses heat.",
        language="en",
    )
    need.themes.add(themes["waste"])
    Challenge.objects.create(
        organisation=lyon, title="Night markets", text="Food markets at night.", language="fr"
    )
    return {"riga": riga, "tartu": tartu, "espoo": espoo, "lyon": lyon}
