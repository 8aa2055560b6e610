import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from municipia.accounts import rules
from municipia.directory import services
from municipia.directory.enums import OrganisationType, Position, Visibility
from municipia.directory.models import Challenge, Organisation, Person
from municipia.directory.text import search_text_for


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def make_place(name, country="DE", population=1000, *, other_names=(), **fields):
    slug = fields.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{population}"
    return Organisation.objects.create(
        name=name,
        slug=slug,
        kind=fields.pop("kind", OrganisationType.MUNICIPALITY),
        country=country,
        population=population,
        search_text=search_text_for([name, *other_names]),
        **fields,
    )


@pytest.fixture
def cologne(organisation, staff_user):
    """The conftest's Köln, with other names, a profile, a challenge and an offer."""
    services.update_organisation_profile(
        actor=None,
        organisation=organisation,
        population=1_024_621,
        working_languages=["de", "en"],
        description="Köln sucht Partner.",
    )
    services.set_other_names(
        actor=None, organisation=organisation, names=[("en", "Cologne"), ("es", "Colonia")]
    )
    services.add_challenge(
        actor=None,
        organisation=organisation,
        title="Hitze",
        text="Hitzeschutz für Ältere.",
        language="de",
        themes=["climate"],
        sdgs=[3, 11],
    )
    services.add_expertise(
        actor=None, organisation=organisation, title="Fernwärme", text="…", language="de"
    )
    organisation.refresh_from_db()
    return organisation


def result_names(response):
    assert response.status_code == 200, response.json()
    return [item["name"] for item in response.json()["results"]]


# -- organisations: reading ------------------------------------------------------


@pytest.mark.parametrize("query", ["koln", "KÖLN", "Cologne", "colonia"])
def test_search_by_any_name_without_accents(cologne, query):
    make_place("Kölnhausen", population=600)
    names = result_names(client_for().get("/api/organisations/", {"q": query}))
    assert names[0] == "Köln"


def test_filters_as_query_parameters(cologne):
    make_place("München", population=1_260_391, working_languages=",de,")
    make_place("Kraków", "PL", 800_000)
    api = client_for()

    def names(**params):
        return result_names(api.get("/api/organisations/", params))

    assert names(country="de", language="en") == ["Köln"]
    assert names(country="DE", population_min=1_100_000) == ["München"]
    assert names(kind=["municipality"], sort="-population") == ["München", "Köln", "Kraków"]
    assert names(kind=["national_association", "network"]) == ["Deutsche Sektion des RGRE"]
    assert names(theme="climate") == ["Köln"]
    assert names(verified="true") == []
    assert "Köln" in names(verified="false")
    response = api.get("/api/organisations/", {"q": "köln"})
    item = response.json()["results"][0]
    assert item == {
        "slug": "koln",
        "name": "Köln",
        "kind": "municipality",
        "country": "DE",
        "region_code": "",
        "region_name": "",
        "population": 1_024_621,
        "latitude": None,
        "longitude": None,
        "website": "",
        "is_verified": False,
        "is_placeholder": False,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"population_min": "many"}, "population_min"),
        ({"population_max": str(10**30)}, "population_max"),
        ({"sort": "random"}, "sort"),
        ({"country": "DEU"}, "country"),
        ({"kind": "castle"}, "kind"),
        ({"q": "k\x00ln"}, "q"),
        ({"verified": "perhaps"}, "verified"),
    ],
)
def test_bad_parameters_are_field_errors(db, params, field):
    response = client_for().get("/api/organisations/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]


def test_visibility_of_profiles(cologne, plain_user, staff_user):
    members_only = make_place("Mitgliederstadt", visibility=Visibility.MEMBERS)
    hidden = make_place("Geheimstadt", visibility=Visibility.HIDDEN)
    query = {"q": "stadt"}
    assert result_names(client_for().get("/api/organisations/", query)) == []
    assert result_names(client_for(plain_user).get("/api/organisations/", query)) == [
        "Mitgliederstadt"
    ]
    assert set(result_names(client_for(staff_user).get("/api/organisations/", query))) == {
        "Mitgliederstadt",
        "Geheimstadt",
    }
    assert client_for().get(f"/api/organisations/{members_only.slug}/").status_code == 404
    assert client_for(plain_user).get(f"/api/organisations/{hidden.slug}/").status_code == 404
    assert (
        client_for(plain_user).get(f"/api/organisations/{hidden.slug}/challenges/").status_code
        == 404
    )
    assert client_for(staff_user).get(f"/api/organisations/{hidden.slug}/").status_code == 200


def test_detail_nests_names_challenges_and_expertise(cologne, association):
    body = client_for().get("/api/organisations/koln/").json()
    assert body["other_names"] == [
        {"language": "en", "name": "Cologne"},
        {"language": "es", "name": "Colonia"},
    ]
    assert body["working_languages"] == ["de", "en"]
    assert body["member_of"] == ["rgre"]
    assert body["description"] == "Köln sucht Partner."
    assert [c["title"] for c in body["challenges"]] == ["Hitze"]
    assert body["challenges"][0]["themes"] == ["climate"]
    assert sorted(body["challenges"][0]["sdgs"]) == [3, 11]
    assert [e["title"] for e in body["expertise"]] == ["Fernwärme"]
    assert body["logo"] is None
    assert client_for().get("/api/organisations/no-such-place/").json()["code"] == "not_found"


# -- organisations: writing ------------------------------------------------------


def test_editor_updates_profile_and_html_is_kept_as_text(cologne, organisation_editor):
    response = client_for(organisation_editor).patch(
        "/api/organisations/koln/",
        {
            "description": "<b>Wir</b> <script>alert('x')</script>",
            "partnership_interests": ["twinning"],
            "website": "https://www.stadt-koeln.de/",
            "other_names": [{"language": "it", "name": "Colonia"}, {"name": "Kölle"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["description"] == "<b>Wir</b> <script>alert('x')</script>"
    assert body["partnership_interests"] == ["twinning"]
    assert body["other_names"] == [
        {"language": "", "name": "Kölle"},
        {"language": "it", "name": "Colonia"},
    ]
    cologne.refresh_from_db()
    assert cologne.website == "https://www.stadt-koeln.de/"
    assert "|kolle|" in cologne.search_text


def test_profile_field_errors(cologne, organisation_editor):
    api = client_for(organisation_editor)
    response = api.patch(
        "/api/organisations/koln/",
        {"website": "nonsense", "visibility": "everyone", "latitude": 91},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"website", "visibility", "latitude"}
    # Errors the service finds come back in the same shape.
    response = api.patch(
        "/api/organisations/koln/", {"working_languages": ["de", "xx"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"working_languages": ["Unknown codes: xx."]}
    cologne.refresh_from_db()
    assert cologne.working_languages == ",de,en,"


def test_a_refused_change_changes_nothing(cologne, organisation_editor):
    """The other names are checked after the profile's fields: when they are
    refused, the fields sent with them are not kept either."""
    response = client_for(organisation_editor).patch(
        "/api/organisations/koln/",
        {"name": "Renamed by a refused request", "other_names": [{"language": "zz9", "name": "X"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "other_names" in response.json()["errors"]
    cologne.refresh_from_db()
    assert cologne.name == "Köln"


def test_only_editors_of_the_organisation_may_change_it(
    cologne, other_organisation, organisation_editor, plain_user
):
    change = {"description": "taken over"}
    assert (
        client_for(organisation_editor)
        .patch(f"/api/organisations/{other_organisation.slug}/", change, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(plain_user).patch("/api/organisations/koln/", change, format="json").status_code
        == 403
    )
    assert client_for().patch("/api/organisations/koln/", change, format="json").status_code == 401
    other_organisation.refresh_from_db()
    cologne.refresh_from_db()
    assert other_organisation.description == ""
    assert cologne.description == "Köln sucht Partner."


# -- challenges and expertise ----------------------------------------------------


def test_editor_manages_challenges(cologne, organisation_editor):
    api = client_for(organisation_editor)
    url = "/api/organisations/koln/challenges/"
    response = api.post(
        url,
        {"title": "Wohnen", "text": "Bezahlbar.", "language": "de", "themes": ["climate"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["title"], created["themes"], created["position"]) == (
        "Wohnen",
        ["climate"],
        1,
    )
    response = api.patch(f"{url}{created['id']}/", {"title": "Wohnraum"}, format="json")
    assert response.json()["title"] == "Wohnraum"
    assert [c["title"] for c in client_for().get(url).json()] == ["Hitze", "Wohnraum"]
    assert client_for().get(f"{url}{created['id']}/").json()["text"] == "Bezahlbar."
    assert api.delete(f"{url}{created['id']}/").status_code == 204
    assert api.get(f"{url}{created['id']}/").status_code == 404
    assert list(Challenge.objects.values_list("title", flat=True)) == ["Hitze"]


def test_challenge_errors_and_permissions(cologne, organisation_editor, other_organisation):
    api = client_for(organisation_editor)
    response = api.post(
        "/api/organisations/koln/challenges/",
        {"text": "x", "language": "xx", "themes": ["nope"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title"}
    response = api.post(
        "/api/organisations/koln/challenges/",
        {"title": "T", "text": "x", "language": "xx", "themes": ["nope"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"language", "themes"}
    response = api.post(
        f"/api/organisations/{other_organisation.slug}/expertise/",
        {"title": "Metro", "text": "x", "language": "pl"},
        format="json",
    )
    assert response.status_code == 403
    challenge = cologne.challenges.get()
    # A challenge is reached only through its own organisation.
    url = f"/api/organisations/{other_organisation.slug}/challenges/{challenge.pk}/"
    assert client_for().get(url).status_code == 404
    response = client_for().delete(f"/api/organisations/koln/challenges/{challenge.pk}/")
    assert response.status_code == 401
    assert Challenge.objects.count() == 1


def test_editor_manages_expertise(cologne, organisation_editor):
    api = client_for(organisation_editor)
    url = "/api/organisations/koln/expertise/"
    response = api.post(url, {"title": "Rheinufer", "text": "…", "language": "de"}, format="json")
    assert response.status_code == 201
    offer = response.json()["id"]
    assert api.patch(f"{url}{offer}/", {"sdgs": [11]}, format="json").json()["sdgs"] == [11]
    assert api.delete(f"{url}{offer}/").status_code == 204
    assert [e["title"] for e in api.get(url).json()] == ["Fernwärme"]


# -- people ----------------------------------------------------------------------


@pytest.fixture
def people(organisation, other_organisation):
    return {
        "listed": Person.objects.create(
            organisation=organisation,
            name="Anna Listed",
            position=Position.OFFICER,
            email="anna@example.org",
            consent_given_at=timezone.now(),
        ),
        "unlisted": Person.objects.create(
            organisation=organisation,
            name="Bernd Unlisted",
            position=Position.STAFF,
            email="bernd@example.org",
        ),
        "elsewhere": Person.objects.create(
            organisation=other_organisation,
            name="Celina Elsewhere",
            position=Position.EXPERT,
        ),
    }


def test_people_without_consent_never_reach_outsiders(
    people, plain_user, organisation_editor, staff_user
):
    def names(user=None, **params):
        response = client_for(user).get("/api/people/", params)
        assert response.status_code == 200
        return [p["name"] for p in response.json()["results"]]

    assert names() == ["Anna Listed"]
    assert names(plain_user) == ["Anna Listed"]
    assert names(plain_user, q="bernd") == []
    assert names(organisation_editor) == ["Anna Listed", "Bernd Unlisted"]
    assert names(staff_user) == ["Anna Listed", "Bernd Unlisted", "Celina Elsewhere"]
    assert names(organisation="koln") == ["Anna Listed"]
    response = client_for().get("/api/people/", {"organisation": "nowhere"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["organisation"]

    unlisted = people["unlisted"].pk
    assert client_for(plain_user).get(f"/api/people/{unlisted}/").status_code == 404
    assert client_for().get(f"/api/people/{people['elsewhere'].pk}/").status_code == 404
    body = client_for(organisation_editor).get(f"/api/people/{unlisted}/").json()
    assert body == {
        "id": unlisted,
        "name": "Bernd Unlisted",
        "position": "staff",
        "title": "",
        "email": "bernd@example.org",
        "phone": "",
        "organisation": "koln",
        "organisation_name": "Köln",
        "has_consented": False,
    }


def test_people_of_hidden_organisations_stay_hidden(people, organisation, plain_user):
    Organisation.objects.filter(pk=organisation.pk).update(visibility=Visibility.HIDDEN)
    response = client_for(plain_user).get("/api/people/")
    assert [p["name"] for p in response.json()["results"]] == []


# -- query counts ----------------------------------------------------------------


def count_queries(client, url, params=None) -> int:
    user = client.handler._force_user
    if user is not None:
        # As on a real request, where the user and its cached roles are fresh.
        rules.forget_cached_grants(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_list_endpoints_make_a_bounded_number_of_queries(db, plain_user, organisation):
    api = client_for(plain_user)
    for index in range(3):
        make_place(f"Ort {index}")
        Person.objects.create(
            organisation=organisation,
            name=f"P{index}",
            position=Position.STAFF,
            consent_given_at=timezone.now(),
        )
    few = (
        count_queries(api, "/api/organisations/", {"q": "ort"}),
        count_queries(api, "/api/people/"),
    )
    for index in range(3, 40):
        make_place(f"Ort {index}")
        Person.objects.create(
            organisation=organisation,
            name=f"P{index}",
            position=Position.STAFF,
            consent_given_at=timezone.now(),
        )
    many = (
        count_queries(api, "/api/organisations/", {"q": "ort"}),
        count_queries(api, "/api/people/"),
    )
    assert many == few
    assert max(many) <= 4


def test_detail_makes_a_bounded_number_of_queries(cologne):
    api = client_for()
    few = count_queries(api, "/api/organisations/koln/")
    for index in range(10):
        services.add_challenge(
            actor=None,
            organisation=cologne,
            title=f"C{index}",
            text="…",
            language="de",
            themes=["climate"],
            sdgs=[index + 1],
        )
    assert count_queries(api, "/api/organisations/koln/") == few
    assert count_queries(api, "/api/organisations/koln/challenges/") <= 4
