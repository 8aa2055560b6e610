"""Directory pages: search, filters, sort, pages, organisation profile, editing,
verification and the permission rules behind them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.directory import services
from municipia.directory.enums import OrganisationType, Position, Visibility
from municipia.directory.maps import project
from municipia.directory.models import Challenge, Expertise, Organisation, Person

SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _english():
    # A request to a /de/ page leaves German active in this thread; reverse()
    # in the next test would then build /de/ addresses.
    with translation.override("en"):
        yield


def make_place(name, *, country="DE", population=None, **fields):
    return services.create_organisation(
        actor=None,
        name=name,
        kind=fields.pop("kind", OrganisationType.MUNICIPALITY),
        country=country,
        population=population,
        **fields,
    )


def names_in(response) -> list[str]:
    return [row["organisation"].name for row in response.context["rows"]]


@pytest.fixture
def places(organisation, other_organisation, association, other_association):
    """Köln (1,084,000, DE) with other names, München, Kraków, Bonn, Vaduz."""
    # The shared fixtures create organisations without the services.
    for fixture in (organisation, other_organisation, association, other_association):
        services.refresh_search_text(organisation=fixture)
    services.update_organisation_profile(
        actor=None,
        organisation=organisation,
        population=1_084_000,
        region_code="DE.07",
        region_name="Nordrhein-Westfalen",
        working_languages=["de", "en"],
        partnership_interests=["twinning"],
    )
    services.set_other_names(
        actor=None, organisation=organisation, names=[("en", "Cologne"), ("es", "Colonia")]
    )
    services.update_organisation_profile(
        actor=None, organisation=other_organisation, population=800_000, working_languages=["pl"]
    )
    return {
        "koln": organisation,
        "krakow": other_organisation,
        "munchen": make_place(
            "München", population=1_488_000, region_code="DE.02", region_name="Bayern"
        ),
        "bonn": make_place(
            "Bonn", population=330_000, region_code="DE.07", region_name="Nordrhein-Westfalen"
        ),
        "vaduz": make_place("Vaduz", country="LI", population=5_700, kind=OrganisationType.REGION),
    }


# -- search ----------------------------------------------------------------------------


def test_search_page_lists_organisations_largest_first(client, places):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert names_in(response)[:3] == ["München", "Köln", "Kraków"]
    content = response.content.decode()
    assert 'aria-live="polite"' in content
    assert 'hx-trigger="input changed delay:300ms from:#id_q' in content
    assert 'hx-push-url="true"' in content


@pytest.mark.parametrize("query", ["koln", "KÖLN", "Koln", "cologne", "Colonia", "köl"])
def test_search_by_any_name_without_accents(client, places, query):
    response = client.get(SEARCH, {"q": query})
    assert names_in(response) == ["Köln"]


def test_search_htmx_returns_only_the_results(client, places):
    response = client.get(SEARCH, {"q": "bonn"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert "Bonn" in content
    assert 'id="result-count" hx-swap-oob="innerHTML"' in content
    assert "1 organisation found" in content
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(client, places):
    response = client.get(
        SEARCH,
        {"q": "bonn"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "DE"}, ["München", "Köln", "Bonn", "Deutsche Sektion des RGRE"]),
        ({"country": "DE", "region": "DE.07"}, ["Köln", "Bonn"]),
        # A region of another country (left over after changing the country) is ignored.
        ({"country": "PL", "region": "DE.07"}, ["Kraków", "Association of Polish Cities"]),
        ({"type": "region"}, ["Vaduz"]),
        ({"type": ["region", "municipality"], "country": "LI"}, ["Vaduz"]),
        ({"population_min": "500000", "population_max": "1100000"}, ["Köln", "Kraków"]),
        ({"language": "pl"}, ["Kraków"]),
        ({"interest": "twinning"}, ["Köln"]),
        (
            {"sort": "name", "country": "DE"},
            ["Bonn", "Deutsche Sektion des RGRE", "Köln", "München"],
        ),
        # Unknown populations come last either way.
        (
            {"sort": "population", "country": "DE"},
            ["Bonn", "Köln", "München", "Deutsche Sektion des RGRE"],
        ),
        # "a" is in "Colonia", one of Köln's other names.
        (
            {"sort": "country", "q": "a"},
            ["Köln", "Vaduz", "Association of Polish Cities", "Kraków"],
        ),
    ],
)
def test_search_filters_and_sorts(client, places, params, expected):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert names_in(response) == expected


def test_verified_filter(client, places):
    services.verify_organisation(actor=None, organisation=places["bonn"])
    assert names_in(client.get(SEARCH, {"verified": "yes"})) == ["Bonn"]
    assert "Bonn" not in names_in(client.get(SEARCH, {"verified": "no"}))


def test_theme_filter_finds_working_groups_of_a_community(client, places):
    services.add_challenge(
        actor=None,
        organisation=places["bonn"],
        title="Heat plan",
        text="Cooling the city.",
        language="de",
        themes=["climate-and-energy"],
    )
    assert names_in(client.get(SEARCH, {"theme": "climate"})) == ["Bonn"]
    assert names_in(client.get(SEARCH, {"theme": "climate-and-energy"})) == ["Bonn"]
    assert names_in(client.get(SEARCH, {"theme": "digital"})) == []


def test_region_choices_follow_the_country(client, places):
    response = client.get(reverse("directory:regions"), {"country": "DE"})
    content = response.content.decode()
    assert 'id="region-field"' in content
    assert "Nordrhein-Westfalen" in content and "Bayern" in content
    assert "Choose a country first" not in content


def test_invalid_filter_shows_an_error_and_still_searches(client, places):
    response = client.get(SEARCH, {"population_min": "many", "country": "LI"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert names_in(response) == ["Vaduz"]


def test_population_range_the_wrong_way_round(client, places):
    response = client.get(SEARCH, {"population_min": "10", "population_max": "5"})
    assert response.status_code == 200
    assert response.context["form"].errors["population_max"]


def test_unknown_country_is_a_field_error_not_a_500(client, places):
    response = client.get(SEARCH, {"country": "ZZ"})
    assert response.status_code == 200
    assert "country" in response.context["form"].errors


def test_hidden_and_members_only_profiles(client, places, plain_user, organisation_editor):
    services.update_organisation_profile(
        actor=None, organisation=places["bonn"], visibility=Visibility.MEMBERS
    )
    services.update_organisation_profile(
        actor=None, organisation=places["koln"], visibility=Visibility.HIDDEN
    )
    german_places = {"country": "DE", "type": "municipality"}
    assert names_in(client.get(SEARCH, german_places)) == ["München"]
    assert client.get(places["koln"].get_absolute_url()).status_code == 404
    client.force_login(plain_user)
    assert names_in(client.get(SEARCH, german_places)) == ["München", "Bonn"]
    client.force_login(organisation_editor)
    assert names_in(client.get(SEARCH, german_places)) == ["München", "Köln", "Bonn"]


def test_pagination_keeps_the_filters(client, db):
    for number in range(30):
        make_place(f"Ort {number:02d}", population=1000 + number)
    response = client.get(SEARCH, {"country": "DE", "sort": "name", "page": "2"})
    assert names_in(response) == [f"Ort {n:02d}" for n in range(25, 30)]
    content = response.content.decode()
    assert "country=DE&amp;sort=name&amp;page=1" in content
    assert "Page 2 of 2" in content
    assert "30 organisations found" in content


def test_search_page_query_count(client, places, django_assert_max_num_queries):
    for number in range(40):
        make_place(f"Dorf {number}", population=number)
    # Count, page, theme choices, region choices; nothing per row.
    with django_assert_max_num_queries(5):
        response = client.get(SEARCH, {"country": "DE", "q": "o", "population_min": "1"})
    assert len(response.context["rows"]) == 25


def test_search_page_query_count_signed_in(client, places, organisation_editor):
    client.force_login(organisation_editor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(SEARCH, {"q": "o"})
    # Session, user and role grants come on top of the four reads of the page.
    assert len(queries) <= 7


# -- organisation page ----------------------------------------------------------------------


def test_organisation_page_shows_the_profile(client, places):
    koln = places["koln"]
    services.update_organisation_profile(
        actor=None,
        organisation=koln,
        latitude=50.9375,
        longitude=6.9603,
        website="https://www.stadt-koeln.de",
        description="Die Stadt am Rhein.",
        description_language="de",
    )
    services.add_challenge(
        actor=None,
        organisation=koln,
        title="Digitale Bürgerschaft",
        text="Kreative soziale Medien.",
        language="de",
        themes=["digital"],
        sdgs=[16],
    )
    services.add_expertise(
        actor=None,
        organisation=koln,
        title="Social media for digital citizenship",
        text="How we reach young people.",
        language="en",
    )
    response = client.get(koln.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert '<span lang="en">Cologne</span>' in content
    assert "Nordrhein-Westfalen" in content
    assert "1,084,000" in content
    assert '<article lang="de"' in content and '<article lang="en"' in content
    assert "Digitale Bürgerschaft" in content and "SDG 16" in content
    assert 'href="/en/themes/digital/"' in content
    assert "Deutsche Sektion des RGRE" in content
    # The map is drawn from the local picture, with OpenStreetMap only as a link.
    assert "img/europe.svg" in content
    assert "openstreetmap.org/?mlat=50.93750&amp;mlon=6.96030" in content
    assert "Latitude 50.9375, longitude 6.9603" in content
    assert '<div lang="de"><p>Die Stadt am Rhein.</p></div>' in content


def test_organisation_page_in_german_keeps_map_coordinates_machine_readable(client, places):
    services.update_organisation_profile(
        actor=None, organisation=places["koln"], latitude=50.9375, longitude=6.9603
    )
    content = client.get(f"/de/directory/{places['koln'].slug}/").content.decode()
    x, y = project(6.9603, 50.9375)
    # German writes decimal commas; SVG needs points.
    assert f'cx="{round(x, 1)}" cy="{round(y, 1)}"' in content
    assert "Deutschland" in content


def test_user_html_is_shown_as_text(client, places):
    koln = places["koln"]
    services.add_challenge(
        actor=None,
        organisation=koln,
        title="<script>alert('x')</script>",
        text="<b>bold</b> & <img src=x onerror=alert(1)>",
        language="en",
    )
    services.update_organisation_profile(
        actor=None, organisation=koln, description="<iframe src=evil></iframe>"
    )
    content = client.get(koln.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in content
    assert "<iframe" not in content


def test_people_without_consent_are_not_shown(client, places, organisation_editor):
    koln = places["koln"]
    services.add_person(
        actor=None,
        organisation=koln,
        name="Listed Person",
        position=Position.OFFICER,
        email="listed@example.org",
        consent_given_at=timezone.now(),
    )
    services.add_person(
        actor=None,
        organisation=koln,
        name="Private Person",
        position=Position.OFFICER,
        email="private@example.org",
    )
    content = client.get(koln.get_absolute_url()).content.decode()
    assert "Listed Person" in content and "listed@example.org" in content
    assert "Private Person" not in content and "private@example.org" not in content
    client.force_login(organisation_editor)
    content = client.get(koln.get_absolute_url()).content.decode()
    assert "Private Person" in content and "Not listed publicly" in content


def test_association_page_lists_its_members(client, places, association):
    content = client.get(association.get_absolute_url()).content.decode()
    assert "1 member in the directory." in content
    assert 'href="/en/directory/koln/"' in content


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("directory:organisation", args=["nowhere"])).status_code == 404


# -- editing -------------------------------------------------------------------------------


EDIT_URLS = [
    ("directory:edit", {}),
    ("directory:challenge_add", {}),
    ("directory:expertise_add", {}),
    ("directory:person_add", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), EDIT_URLS)
def test_anonymous_editing_redirects_to_login(client, organisation, name, kwargs):
    response = client.get(reverse(name, kwargs={"slug": organisation.slug, **kwargs}))
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")


@pytest.mark.parametrize(("name", "kwargs"), EDIT_URLS)
def test_editor_of_another_organisation_gets_403(
    client, other_organisation, organisation_editor, name, kwargs
):
    client.force_login(organisation_editor)
    url = reverse(name, kwargs={"slug": other_organisation.slug, **kwargs})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Hacked", "title": "x"}).status_code == 403
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Kraków"


def test_member_without_editor_role_gets_403(client, organisation, member_user):
    client.force_login(member_user)
    assert client.get(reverse("directory:edit", args=[organisation.slug])).status_code == 403


def profile_data(**overrides):
    data = {
        "name": "Köln",
        "other_names": "en: Cologne\nit: Colonia",
        "region_code": "",
        "population": "1084831",
        "latitude": "50.9375",
        "longitude": "6.9603",
        "website": "www.stadt-koeln.de",
        "working_languages": ["de", "en"],
        "partnership_interests": ["twinning", "peer_learning"],
        "is_looking_for_partners": "on",
        "description": "Köln liegt am Rhein.",
        "description_language": "de",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_editor_edits_the_profile(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    url = reverse("directory:edit", args=[organisation.slug])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, profile_data())
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.population == 1_084_831
    assert organisation.website == "https://www.stadt-koeln.de"
    assert organisation.working_languages == ",de,en,"
    assert organisation.partnership_interests == ",twinning,peer_learning,"
    assert sorted(organisation.other_names.values_list("language", "name")) == [
        ("en", "Cologne"),
        ("it", "Colonia"),
    ]
    assert "colonia" in organisation.search_text


def test_profile_form_shows_field_errors(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    url = reverse("directory:edit", args=[organisation.slug])
    response = client.post(
        url,
        profile_data(
            name="",
            population="-3",
            latitude="95",
            website="not a url at all",
            other_names="xx: Nowhere",
            visibility="secret",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "population", "latitude", "website", "visibility"} <= set(errors)
    organisation.refresh_from_db()
    assert organisation.name == "Köln"


def test_unknown_language_of_another_name_is_reported(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("directory:edit", args=[organisation.slug]),
        profile_data(other_names="xx: Nowhere"),
    )
    assert response.status_code == 200
    assert "Unknown language code: xx." in response.content.decode()
    organisation.refresh_from_db()
    # The profile change was rolled back together with the names.
    assert organisation.population is None


def test_editor_adds_edits_and_deletes_a_challenge(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("directory:challenge_add", args=[organisation.slug]),
        {
            "title": "Digital citizenship",
            "text": "Creative <b>social</b> media.",
            "language": "en",
            "themes": ["digital", "youth-engagement"],
            "sdgs": ["4", "16"],
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get(organisation=organisation)
    assert sorted(challenge.themes.values_list("code", flat=True)) == [
        "digital",
        "youth-engagement",
    ]
    assert sorted(challenge.sdgs.values_list("number", flat=True)) == [4, 16]

    edit_url = reverse("directory:challenge_edit", args=[organisation.slug, challenge.pk])
    form = client.get(edit_url)
    assert form.context["form"].initial["themes"] == ["digital", "youth-engagement"]
    response = client.post(
        edit_url,
        {"title": "Digitale Bürgerschaft", "text": "Neu.", "language": "de", "sdgs": ["16"]},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.title, challenge.language) == ("Digitale Bürgerschaft", "de")
    assert list(challenge.themes.all()) == []

    delete_url = reverse("directory:challenge_delete", args=[organisation.slug, challenge.pk])
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    assert not Challenge.objects.exists()


def test_themes_are_suggested_from_the_text_without_saving(
    client, organisation, organisation_editor
):
    client.force_login(organisation_editor)
    url = reverse("directory:challenge_add", args=[organisation.slug])
    typed = {
        "title": "Tri des déchets",
        "text": "Nous voulons développer le recyclage et fermer la décharge.",
        "language": "fr",
        "themes": ["youth-engagement"],
        "sdgs": ["12"],
    }
    response = client.post(url, {**typed, "suggest_themes": "1"})
    assert response.status_code == 200
    assert not Challenge.objects.exists()
    form = response.context["form"]
    assert not form.is_bound  # no errors shown for what is not saved yet
    assert form.initial["title"] == "Tri des déchets"
    assert form.initial["sdgs"] == ["12"]
    # What the editor checked stays checked; the suggestion is added.
    assert form.initial["themes"][0] == "youth-engagement"
    assert "waste-and-circular-economy" in form.initial["themes"]
    page = response.content.decode()
    assert "Themes suggested from your text" in page
    checked = re.findall(r'<input type="checkbox" name="themes" value="([^"]+)"[^>]*checked', page)
    assert set(checked) == {"youth-engagement", "waste-and-circular-economy"}

    nothing = client.post(
        url, {**typed, "title": "Nuit", "text": "Marchés de nuit.", "suggest_themes": "1"}
    )
    assert "No theme could be suggested from this text." in nothing.content.decode()


def test_statement_form_errors(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("directory:expertise_add", args=[organisation.slug]),
        {"title": "", "text": "", "language": "xx", "themes": ["nope"], "sdgs": ["18"]},
    )
    assert response.status_code == 200
    assert {"title", "text", "language", "themes", "sdgs"} <= set(response.context["form"].errors)
    assert not Expertise.objects.exists()


def test_statement_of_another_organisation_is_404(
    client, organisation, other_organisation, organisation_editor
):
    foreign = services.add_challenge(
        actor=None, organisation=other_organisation, title="T", text="X", language="pl"
    )
    client.force_login(organisation_editor)
    url = reverse("directory:challenge_edit", args=[organisation.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_editor_manages_people_and_consent(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("directory:person_add", args=[organisation.slug]),
        {
            "name": "Anna Beispiel",
            "position": Position.OFFICER,
            "title": "International relations",
            "email": "anna@example.org",
            "phone": "+49 221 0",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert not person.has_consented
    url = reverse("directory:person_edit", args=[organisation.slug, person.pk])
    client.post(
        url,
        {"name": "Anna Beispiel", "position": Position.OFFICER, "consent": "on"},
    )
    person.refresh_from_db()
    assert person.has_consented and person.email == ""
    response = client.post(url, {"name": "Anna", "position": "king", "email": "nope"})
    assert response.status_code == 200
    assert {"position", "email"} <= set(response.context["form"].errors)
    delete_url = reverse("directory:person_delete", args=[organisation.slug, person.pk])
    assert client.post(delete_url).status_code == 302
    assert not Person.objects.exists()


# -- verification --------------------------------------------------------------------------------


def test_association_manager_verifies_and_withdraws(client, organisation, association_manager):
    client.force_login(association_manager)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Verify this organisation" in page
    url = reverse("directory:verify", args=[organisation.slug])
    assert client.post(url).status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == association_manager
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Verified by manager@example.org" in page
    client.post(url, {"action": "withdraw"})
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_verifier_is_shown_to_staff_and_managers_only(client, organisation, association_manager):
    services.verify_organisation(actor=association_manager, organisation=organisation)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Verified" in page
    assert "manager@example.org" not in page


def test_manager_of_another_association_cannot_verify(
    client, other_organisation, association_manager
):
    client.force_login(association_manager)
    page = client.get(other_organisation.get_absolute_url()).content.decode()
    assert "Verify this organisation" not in page
    response = client.post(reverse("directory:verify", args=[other_organisation.slug]))
    assert response.status_code == 403
    other_organisation.refresh_from_db()
    assert not other_organisation.is_verified


def test_editor_cannot_verify_own_organisation(client, organisation, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(reverse("directory:verify", args=[organisation.slug]))
    assert response.status_code == 403


def test_verify_needs_post(client, organisation, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("directory:verify", args=[organisation.slug])).status_code == 405


# -- import page --------------------------------------------------------------------------------


def test_import_page_only_for_staff_and_association_managers(
    client, plain_user, organisation_admin, association_manager, staff_user
):
    url = reverse("directory:import")
    assert client.get(url).status_code == 302
    for user in (plain_user, organisation_admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (association_manager, staff_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "geonames_id" in response.content.decode()


def test_search_links_to_import_for_managers(client, association_manager, places):
    assert "/en/directory/import/" not in client.get(SEARCH).content.decode()
    client.force_login(association_manager)
    assert "/en/directory/import/" in client.get(SEARCH).content.decode()


def test_new_manager_of_second_association(client, association, other_association):
    # Managers of two associations see both countries' organisations as importable.
    user = make_user("two@example.org")
    for assoc in (association, other_association):
        account_services.grant_role(
            actor=None, user=user, role=Role.ASSOCIATION_MANAGER, organisation=assoc
        )
    client.force_login(user)
    assert client.get(reverse("directory:import")).status_code == 200
    assert Organisation.objects.filter(kind=OrganisationType.NATIONAL_ASSOCIATION).count() == 2


# -- admin -------------------------------------------------------------------------------------


def test_admin_pages_of_the_directory(client, staff_user, organisation):
    services.add_challenge(
        actor=None, organisation=organisation, title="T", text="X", language="de"
    )
    client.force_login(staff_user)
    for path in [
        "/en/admin/directory/organisation/",
        f"/en/admin/directory/organisation/{organisation.pk}/change/",
        "/en/admin/directory/challenge/",
        "/en/admin/directory/person/",
    ]:
        assert client.get(path).status_code == 200, path


def test_admin_verify_action_is_audited(client, staff_user, organisation):
    from municipia.accounts.enums import AuditAction
    from municipia.accounts.models import AuditEntry

    client.force_login(staff_user)
    response = client.post(
        "/en/admin/directory/organisation/",
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == staff_user
    assert AuditEntry.objects.filter(action=AuditAction.ORGANISATION_VERIFIED).count() == 1


def test_admin_name_changes_refresh_the_search_text(client, staff_user, organisation):
    client.force_login(staff_user)
    url = f"/en/admin/directory/organisation/{organisation.pk}/change/"
    data = {
        "name": "Köln",
        "slug": "koln",
        "kind": "municipality",
        "country": "DE",
        "visibility": "public",
        "is_looking_for_partners": "on",
        "member_of": [],
        "other_names-TOTAL_FORMS": "1",
        "other_names-INITIAL_FORMS": "0",
        "other_names-0-language": "it",
        "other_names-0-name": "Colonia",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.search_text == "|koln|colonia|"
