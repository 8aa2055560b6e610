import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from municipia.directory import selectors, services
from municipia.directory.enums import OrganisationType, Position, Visibility
from municipia.directory.models import Organisation, Person
from municipia.directory.text import encode_codes, search_text_for

ANONYMOUS = AnonymousUser()


def place(name, country, population, *, other_names=(), **fields):
    from django.utils.text import slugify

    return Organisation.objects.create(
        name=name,
        slug=slugify(f"{name}-{country}-{population}"),
        kind=fields.pop("kind", OrganisationType.MUNICIPALITY),
        country=country,
        population=population,
        search_text=search_text_for([name, *other_names]),
        **fields,
    )


@pytest.fixture
def places(db):
    return {
        "koln": place(
            "Köln",
            "DE",
            1_024_621,
            other_names=["Cologne", "Colonia", "Koeln", "Кёльн"],
            region_code="DE.07",
            region_name="Nordrhein-Westfalen",
            working_languages=encode_codes(["de", "en"]),
            partnership_interests=encode_codes(["twinning"]),
        ),
        "kolnhausen": place("Kölnhausen", "DE", 600, region_code="DE.05", region_name="Hessen"),
        "bergheim": place("Bergheim (Köln)", "DE", 61_000, region_code="DE.07"),
        "colonia": place("Colonia Tovar", "VE", 14_000),
        "colonia_es": place("Colonia de Sant Jordi", "ES", 2_000, other_names=["Colònia"]),
        "munchen": place(
            "München",
            "DE",
            1_260_391,
            other_names=["Munich", "Monaco di Baviera"],
            region_code="DE.02",
            region_name="Bayern",
            working_languages=encode_codes(["de"]),
        ),
        "lodz": place("Łódź", "PL", 672_185, region_code="PL.74"),
        "hidden": place("Geheimstadt", "DE", 5_000, visibility=Visibility.HIDDEN),
        "members": place("Mitgliederstadt", "DE", 4_000, visibility=Visibility.MEMBERS),
    }


def names(organisations):
    return [o.name for o in organisations]


@pytest.mark.parametrize(
    "query", ["koln", "Koln", "KÖLN", "köln", "Koeln", "cologne", "Colonia ", "кельн"]
)
def test_search_is_accent_and_language_insensitive(places, query):
    found = names(selectors.search_organisations(viewer=ANONYMOUS, query=query))
    assert found[0] == "Köln"


def test_relevance_exact_then_other_name_then_prefix_then_substring(places):
    found = names(selectors.search_organisations(viewer=ANONYMOUS, query="koln"))
    assert found == ["Köln", "Kölnhausen", "Bergheim (Köln)"]
    found = names(selectors.search_organisations(viewer=ANONYMOUS, query="colonia"))
    # Exact other names (Köln, and Colònia for Colonia de Sant Jordi) come
    # before a mere prefix of the official name (Colonia Tovar).
    assert found == ["Köln", "Colonia de Sant Jordi", "Colonia Tovar"]


def test_every_word_must_match(places):
    assert names(selectors.search_organisations(viewer=ANONYMOUS, query="sant colonia")) == [
        "Colonia de Sant Jordi"
    ]
    assert names(selectors.search_organisations(viewer=ANONYMOUS, query="lodz")) == ["Łódź"]
    assert names(selectors.search_organisations(viewer=ANONYMOUS, query="%")) == []


def test_filters(places):
    def search(**filters):
        return names(selectors.search_organisations(viewer=ANONYMOUS, **filters))

    assert search(country="de", region_code="DE.07") == ["Köln", "Bergheim (Köln)"]
    assert search(population_min=600_000, population_max=1_100_000) == ["Köln", "Łódź"]
    assert search(working_language="en") == ["Köln"]
    assert search(working_language="de", sort="name") == ["Köln", "München"]
    assert search(partnership_interest="twinning") == ["Köln"]
    assert search(kinds=[OrganisationType.NATIONAL_ASSOCIATION]) == []
    assert search(country="DE", query="kol") == ["Köln", "Kölnhausen", "Bergheim (Köln)"]


def test_verified_and_theme_filters(places, staff_user):
    services.verify_organisation(actor=staff_user, organisation=places["lodz"])
    services.add_expertise(
        actor=staff_user,
        organisation=places["munchen"],
        title="Wärmewende",
        text="…",
        language="de",
        themes=["climate"],
    )
    services.add_challenge(
        actor=staff_user,
        organisation=places["koln"],
        title="Hitze",
        text="…",
        language="de",
        themes=["climate"],
    )
    search = selectors.search_organisations
    assert names(search(viewer=ANONYMOUS, verified=True)) == ["Łódź"]
    assert "Łódź" not in names(search(viewer=ANONYMOUS, verified=False))
    assert names(search(viewer=ANONYMOUS, theme_codes=["climate"])) == ["München", "Köln"]


def test_sorts(places):
    def sort(order):
        return names(selectors.search_organisations(viewer=ANONYMOUS, country="DE", sort=order))

    assert sort("-population") == [
        "München",
        "Köln",
        "Bergheim (Köln)",
        "Kölnhausen",
    ]
    assert sort("relevance") == sort("-population")
    assert sort("population")[0] == "Kölnhausen"
    assert sort("name") == ["Bergheim (Köln)", "Köln", "Kölnhausen", "München"]
    assert names(selectors.search_organisations(viewer=ANONYMOUS, query="o", sort="country"))[
        :2
    ] == ["Bergheim (Köln)", "Köln"]


def test_visibility(places, plain_user, staff_user, organisation_editor, organisation):
    hidden = places["hidden"]

    def visible(viewer):
        return set(names(selectors.search_organisations(viewer=viewer, query="stadt")))

    assert visible(ANONYMOUS) == set()
    assert visible(plain_user) == {"Mitgliederstadt"}
    assert visible(organisation_editor) == {"Mitgliederstadt"}
    assert visible(staff_user) == {"Mitgliederstadt", "Geheimstadt"}
    Organisation.objects.filter(pk=organisation.pk).update(visibility=Visibility.HIDDEN)
    assert "Köln" in {o.name for o in selectors.visible_organisations(viewer=organisation_editor)}
    assert selectors.organisation_for_viewer(slug=organisation.slug, viewer=organisation_editor)
    with pytest.raises(Http404):
        selectors.organisation_for_viewer(slug=hidden.slug, viewer=plain_user)
    with pytest.raises(Http404):
        selectors.organisation_for_viewer(slug=places["members"].slug, viewer=ANONYMOUS)
    with pytest.raises(Http404):
        selectors.organisation_for_viewer(slug="no-such-place", viewer=staff_user)
    assert selectors.organisation_for_viewer(slug=hidden.slug, viewer=staff_user) == hidden


def test_count_up_to(places):
    everything = selectors.search_organisations(viewer=ANONYMOUS)
    assert selectors.count_up_to(everything, limit=100) == (7, True)
    assert selectors.count_up_to(everything, limit=7) == (7, True)
    assert selectors.count_up_to(everything, limit=3) == (3, False)


@pytest.fixture
def people(organisation, other_organisation):
    now = timezone.now()
    return {
        "consented": Person.objects.create(
            organisation=organisation,
            name="Anna Consent",
            position=Position.OFFICER,
            consent_given_at=now,
        ),
        "silent": Person.objects.create(
            organisation=organisation, name="Bernd Silent", position=Position.STAFF
        ),
        "elsewhere": Person.objects.create(
            organisation=other_organisation,
            name="Celina Elsewhere",
            position=Position.EXPERT,
            consent_given_at=now,
        ),
    }


def test_people_without_consent_are_shown_only_to_editors_and_staff(
    people,
    organisation,
    plain_user,
    member_user,
    organisation_editor,
    organisation_admin,
    staff_user,
):
    def shown(viewer):
        return names(selectors.visible_people(organisation=organisation, viewer=viewer))

    assert shown(ANONYMOUS) == ["Anna Consent"]
    assert shown(plain_user) == ["Anna Consent"]
    assert shown(member_user) == ["Anna Consent"]
    assert shown(organisation_editor) == ["Anna Consent", "Bernd Silent"]
    assert shown(organisation_admin) == ["Anna Consent", "Bernd Silent"]
    assert shown(staff_user) == ["Anna Consent", "Bernd Silent"]

    def listed(viewer, **kwargs):
        return names(selectors.people_for_viewer(viewer=viewer, **kwargs))

    assert listed(ANONYMOUS) == ["Anna Consent", "Celina Elsewhere"]
    assert listed(organisation_editor) == ["Anna Consent", "Bernd Silent", "Celina Elsewhere"]
    assert listed(staff_user, query="silent") == ["Bernd Silent"]
    assert listed(ANONYMOUS, query="silent") == []
    assert listed(ANONYMOUS, organisation=organisation) == ["Anna Consent"]
    with pytest.raises(Http404):
        selectors.person_for_viewer(person_id=people["silent"].pk, viewer=plain_user)
    assert selectors.person_for_viewer(person_id=people["silent"].pk, viewer=staff_user)


def test_people_of_a_hidden_organisation_are_hidden_even_with_consent(
    people, organisation, plain_user
):
    Organisation.objects.filter(pk=organisation.pk).update(visibility=Visibility.HIDDEN)
    organisation.refresh_from_db()
    assert list(selectors.visible_people(organisation=organisation, viewer=plain_user)) == []
    assert names(selectors.people_for_viewer(viewer=plain_user)) == ["Celina Elsewhere"]


def test_regions_of_country(places):
    assert selectors.regions_of_country(country="de") == [
        ("DE.02", "Bayern"),
        ("DE.05", "Hessen"),
        ("DE.07", "Nordrhein-Westfalen"),
    ]
    assert selectors.regions_of_country(country="PL") == [("PL.74", "PL.74")]
    assert selectors.regions_of_country(country="FR") == []


def test_challenges_and_expertise_in_order(organisation, organisation_editor):
    second = services.add_challenge(
        actor=organisation_editor, organisation=organisation, title="A", text="a", language="de"
    )
    first = services.add_challenge(
        actor=organisation_editor, organisation=organisation, title="B", text="b", language="de"
    )
    services.update_challenge(actor=organisation_editor, challenge=first, position=0)
    services.update_challenge(actor=organisation_editor, challenge=second, position=1)
    assert list(selectors.challenges_of(organisation=organisation)) == [first, second]
    assert list(selectors.expertise_of(organisation=organisation)) == []
