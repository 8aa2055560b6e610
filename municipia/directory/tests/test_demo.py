"""Demo data: the hand-written profiles, the places, and loading twice."""

import io

import pytest
from django.core.management import call_command

from municipia.accounts.models import RoleGrant, User
from municipia.directory import demo, selectors
from municipia.directory.demo_data import GENERATED_NOTE, PROFILES
from municipia.directory.enums import LOCAL_AND_REGIONAL_GOVERNMENTS
from municipia.directory.models import Challenge, Expertise, Organisation, OrganisationName, Person
from municipia.matching.models import EngineSnapshot


def snapshot() -> dict:
    return {
        "organisations": sorted(
            Organisation.objects.values_list(
                "slug", "name", "kind", "country", "population", "description", "geonames_id"
            )
        ),
        "names": OrganisationName.objects.count(),
        "memberships": Organisation.member_of.through.objects.count(),
        "challenges": sorted(Challenge.objects.values_list("organisation__slug", "title")),
        "expertise": sorted(Expertise.objects.values_list("organisation__slug", "title")),
        "people": sorted(Person.objects.values_list("organisation__slug", "name", "email")),
    }


@pytest.mark.django_db
def test_demo_profiles_without_places_are_idempotent():
    demo.load_demo_organisations(places=0)
    first = snapshot()
    demo.load_demo_organisations(places=0)
    assert snapshot() == first
    assert len(first["organisations"]) == len(PROFILES)


@pytest.mark.django_db
def test_demo_profiles_are_in_their_own_languages():
    demo.load_demo_organisations(places=0)
    koln = Organisation.objects.get(slug="koln")
    assert koln.description_language == "de"
    assert koln.description.endswith(GENERATED_NOTE["de"])
    assert {c.language for c in Challenge.objects.filter(organisation=koln)} == {"de"}
    themes = set(Challenge.objects.filter(organisation=koln).values_list("themes__code", flat=True))
    assert {"digital", "youth-engagement"} <= themes
    expected_languages = {
        "munchen": "de",
        "espoo": "fi",
        "riga": "lv",
        "goteborg": "sv",
        "mazowieckie": "pl",
        "diputacio-de-barcelona": "ca",
        "pereshchepyne": "uk",
        "lampedusa": "it",
        "kutaisi": "en",
    }
    for slug, language in expected_languages.items():
        organisation = Organisation.objects.get(slug=slug)
        assert organisation.description_language == language
        assert organisation.description.endswith(GENERATED_NOTE[language])
        assert Expertise.objects.filter(organisation=organisation, language=language).exists()
        assert organisation.challenges.exists()
    # Every demo statement is tagged with at least one theme and one SDG.
    for statement in [*Challenge.objects.all(), *Expertise.objects.all()]:
        assert statement.themes.exists(), statement
        assert statement.sdgs.exists(), statement
    assert "cologne" in koln.search_text
    assert selectors.search_organisations(viewer=None, query="koln").first() == koln


@pytest.mark.django_db
def test_demo_people_are_public_figures_or_marked_as_generated():
    demo.load_demo_organisations(places=0)
    mayor = Person.objects.get(name="Yaroslav Tsvirkun")
    assert mayor.organisation.slug == "pereshchepyne"
    assert mayor.has_consented
    assert (mayor.email, mayor.phone) == ("", "")
    for person in Person.objects.exclude(pk=mayor.pk):
        assert person.email.endswith("@example.org")
        assert "Generated" in person.title
    assert Person.objects.filter(consent_given_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_with_places_folds_the_german_placeholder(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_PLACES", 150)
    demo.load_demo_organisations()
    first = snapshot()
    rgre = Organisation.objects.get(slug="rgre")
    assert not Organisation.objects.filter(slug="association-de").exists()
    # Köln is the GeoNames place, not a second entry next to it.
    assert Organisation.objects.filter(geonames_id=2886242).get().slug == "koln"
    assert Organisation.objects.filter(name="Köln").count() == 1
    assert rgre.members.count() > 10
    assert Organisation.objects.filter(slug="association-fr", is_placeholder=True).exists()
    assert Organisation.objects.count() > 150
    demo.load_demo_organisations()
    assert snapshot() == first


@pytest.mark.django_db
def test_load_demo_command(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_PLACES", 0)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    # The matching engine is published with the data, so suggestions are ready.
    published = EngineSnapshot.objects.get()
    assert (
        published.organisations
        == Organisation.objects.filter(kind__in=LOCAL_AND_REGIONAL_GOVERNMENTS).count()
    )
    assert f"published for {published.organisations} organisations." in out.getvalue()
    editor = User.objects.get(email="editor@demo.municipia.eu")
    grant = RoleGrant.objects.get(user=editor)
    assert grant.organisation.slug == "koln"
    assert (
        RoleGrant.objects.get(user__email="manager@demo.municipia.eu").organisation.slug == "rgre"
    )
