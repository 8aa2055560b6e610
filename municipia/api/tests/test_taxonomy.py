"""Themes and Sustainable Development Goals: read-only, public, paginated, translated."""

import pytest

from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

pytestmark = pytest.mark.django_db


def test_theme_list_includes_our_themes_with_their_parent(api_client, working_groups):
    response = api_client.get("/api/themes/", {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] == Theme.objects.count()
    by_code = {theme["code"]: theme for theme in response.json()["results"]}
    assert by_code["test-group-1"] == {
        "code": "test-group-1",
        "kind": "working_group",
        "parent": "test-community",
        "position": 901,
        "label": "Test group 1",
        "description": "",
        "labels": {"en": "Test group 1", "fr": "Groupe d'essai 1"},
        "descriptions": {},
    }
    assert by_code["test-community"]["parent"] is None


def test_theme_detail(api_client, community):
    response = api_client.get("/api/themes/test-community/")

    assert response.status_code == 200
    assert response.json()["label"] == "Test community"
    assert response.json()["description"] == "For the tests."
    assert response.json()["kind"] == "impact_community"


def test_label_follows_accept_language(api_client, community):
    response = api_client.get("/api/themes/test-community/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response.json()["label"] == "Communauté d'essai"
    assert response.json()["description"] == "Pour les essais."
    # Every language stays available whatever the request's language.
    assert response.json()["labels"]["de"] == "Testgemeinschaft"


def test_label_falls_back_to_english_when_untranslated(api_client, community):
    response = api_client.get("/api/themes/test-community/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["label"] == "Test community"


def test_sdg_list_and_detail(api_client, goals):
    listing = api_client.get("/api/sdgs/", {"page_size": 200})
    detail = api_client.get("/api/sdgs/2/", HTTP_ACCEPT_LANGUAGE="fr")

    assert listing.status_code == 200
    assert listing.json()["count"] == SustainableDevelopmentGoal.objects.count()
    numbers = [goal["number"] for goal in listing.json()["results"]]
    assert numbers == sorted(numbers)
    assert {1, 2, 3} <= set(numbers)
    assert detail.status_code == 200
    assert detail.json() == {
        "number": 2,
        "colour": "#DDA63A",
        "label": "Objectif 2",
        "description": "About goal 2.",
        "labels": {"en": "Goal 2", "fr": "Objectif 2"},
        "descriptions": {"en": "About goal 2."},
    }


def test_pagination_shape(api_client, working_groups):
    total = Theme.objects.count()
    first = api_client.get("/api/themes/", {"page_size": 2})
    second = api_client.get(first.json()["next"])

    assert first.status_code == 200
    assert set(first.json()) == {"count", "next", "previous", "results"}
    assert first.json()["count"] == total
    assert len(first.json()["results"]) == 2
    assert first.json()["previous"] is None
    assert "page=2" in first.json()["next"] and "page_size=2" in first.json()["next"]
    assert second.status_code == 200
    assert second.json()["previous"] is not None
    assert not {t["code"] for t in first.json()["results"]} & {
        t["code"] for t in second.json()["results"]
    }


def test_page_size_up_to_the_maximum(api_client, working_groups):
    response = api_client.get("/api/themes/", {"page_size": 200})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(Theme.objects.count(), 200)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=ten", "page_size"),
        ("page_size=", "page_size"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=last", "page"),
        ("page=1&page=2", "page"),
    ],
)
def test_bad_pagination_parameters_are_refused(api_client, community, query, parameter):
    # Silently falling back to a default would hide the client's mistake.
    response = api_client.get(f"/api/themes/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [parameter]


def test_page_beyond_the_last_is_a_404_with_the_error_body(api_client, community):
    response = api_client.get("/api/themes/", {"page": 9999})

    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Invalid page."}


@pytest.mark.parametrize(
    "url", ["/api/themes/no-such-theme/", "/api/sdgs/99/", "/api/sdgs/not-a-number/"]
)
def test_unknown_object_is_a_404_with_the_error_body(api_client, community, url):
    response = api_client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "code", "detail"}
    assert (body["status"], body["code"]) == (404, "not_found")
    assert isinstance(body["detail"], str) and body["detail"]


def test_unknown_api_url_answers_with_the_error_body_not_a_page(api_client, db):
    response = api_client.get("/api/no/such/thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_url_without_trailing_slash_still_redirects(api_client, db):
    response = api_client.get("/api/themes")

    assert response.status_code == 301
    assert response["Location"] == "/api/themes/"


def test_read_only(bearer_client, community):
    response = bearer_client.delete("/api/themes/test-community/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert Theme.objects.filter(code="test-community").exists()


def test_theme_list_query_count_does_not_grow_with_rows(
    api_client, working_groups, django_assert_max_num_queries
):
    # One count, one select with the parents joined: no query per theme.
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/themes/", {"page_size": 200})
    assert len(response.json()["results"]) >= 6


def test_sdg_list_query_count(api_client, goals, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/sdgs/")
    assert len(response.json()["results"]) >= 3


def test_authenticated_list_adds_only_the_token_lookup(
    bearer_client, working_groups, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = bearer_client.get("/api/themes/", {"page_size": 200})
    assert response.status_code == 200
