"""Find partners, the swipe deck and the matches pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipia.matching import selectors, services
from municipia.matching.models import Match, Swipe

from .conftest import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(places, client):
    user = make_editor("tartu@example.org", places["tartu"])
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_log_in(client, places):
    for path in ("/en/matching/", "/en/matching/tartu/", "/en/matching/tartu/deck/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/")


def test_an_editor_of_another_organisation_is_refused(client, places):
    client.force_login(make_editor("riga@example.org", places["riga"]))
    assert client.get("/en/matching/tartu/").status_code == 403
    assert client.get("/en/matching/tartu/matches/").status_code == 403
    response = client.post(
        "/en/matching/tartu/deck/", {"candidate": places["lyon"].pk, "decision": "like"}
    )
    assert response.status_code == 403
    assert Swipe.objects.count() == 0


def test_the_only_organisation_is_chosen_for_the_editor(client, editor):
    response = client.get("/en/matching/")
    assert response.status_code == 302
    assert response.url == "/en/matching/tartu/"


def test_the_header_offers_find_partners_to_editors_only(client, editor, plain_user):
    assert b'href="/en/matching/"' in client.get("/en/").content
    client.force_login(plain_user)
    assert b'href="/en/matching/"' not in client.get("/en/").content


def test_find_partners_ranks_and_explains(client, editor):
    selectors.current_engine()  # built by the task in production, not in the request
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/matching/tartu/")
    assert response.status_code == 200
    results = [s.organisation.name for s, _ in response.context["results"]]
    assert results[0] == "Riga"
    assert "Riga offers expertise on your challenge “District heating”" in response.text
    assert len(queries) <= 12


def test_find_partners_filters(client, editor):
    response = client.get("/en/matching/tartu/", {"countries": ["FR"], "distance": "anywhere"})
    assert [s.organisation.name for s, _ in response.context["results"]] == ["Lyon"]
    response = client.get("/en/matching/tartu/", {"group": "eu", "excluded": ["FR", "LV"]})
    assert [s.organisation.name for s, _ in response.context["results"]] == ["Espoo"]


def test_the_deck_shows_one_card_and_swipes_with_htmx(client, editor, places):
    selectors.current_engine()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/matching/tartu/deck/")
    assert len(queries) <= 12
    first = response.context["cards"][0][0].organisation
    assert first == places["riga"]
    assert response.text.count('class="candidate-card"') == 1
    response = client.post(
        "/en/matching/tartu/deck/",
        {"candidate": first.pk, "decision": "pass"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "You passed on Riga." in response.text
    assert response.context["cards"][0][0].organisation != first
    assert Swipe.objects.get().decision == "pass"


def test_a_like_back_is_a_match_shown_on_the_matches_page(client, editor, places):
    riga_editor = make_editor("riga@example.org", places["riga"])
    services.swipe(
        actor=riga_editor, organisation=places["riga"], candidate=places["tartu"], decision="like"
    )
    response = client.post(
        "/en/matching/tartu/deck/",
        {"candidate": places["riga"].pk, "decision": "like"},
        headers={"HX-Request": "true"},
    )
    assert "It&#x27;s a match: Riga likes you too!" in response.text
    assert Match.objects.count() == 1
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/matching/tartu/matches/")
    assert [row["partner"].name for row in page.context["rows"]] == ["Riga"]
    assert len(queries) <= 10


def test_a_swipe_on_a_vanished_candidate_is_announced(client, editor, places):
    gone = places["lyon"].pk
    places["lyon"].delete()
    response = client.post("/en/matching/tartu/deck/", {"candidate": gone, "decision": "like"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "This organisation is no longer looking for partners." in page.text
    assert Swipe.objects.count() == 0
