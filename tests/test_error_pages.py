"""The pages shown for a refused or missing address: in the page's language,
with the site's navigation and a way on, never Django's bare text."""

from django.test import Client


def test_a_refused_page_explains_and_offers_a_way_on(member_user):
    client = Client()
    client.force_login(member_user)
    response = client.get("/fr/events/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert 'class="main-nav"' in page
    assert 'href="/fr/account/"' in page
    assert "403 Forbidden" not in page


def test_a_missing_page_is_a_page_of_the_site(client, db):
    response = client.get("/de/directory/no-such-place/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="de"' in page
    assert 'href="/de/directory/"' in page
