"""The theme index, theme and SDG pages in every interface language."""

import pytest
from django.utils import translation
from django.utils.html import escape

from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "de"]
GENDER_EQUALITY = {
    "en": "Gender Equality",
    "fr": "Égalité femmes-hommes",
    "es": "Igualdad de género",
    "de": "Gleichstellung der Geschlechter",
}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_index_lists_every_theme_and_goal_in_the_language(client, language):
    html = page(client, f"/{language}/themes/")
    assert f'<html lang="{language}">' in html
    assert escape(GENDER_EQUALITY[language]) in html
    for row in [*Theme.objects.all(), *SustainableDevelopmentGoal.objects.all()]:
        assert escape(row.labels[language]) in html, row.labels["en"]
    for theme in Theme.objects.all():
        assert f'href="/{language}/themes/{theme.code}/"' in html


def test_index_shows_other_languages_only_on_their_own_pages(client):
    assert "Gleichstellung der Geschlechter" not in page(client, "/fr/themes/")
    assert "Égalité femmes-hommes" not in page(client, "/de/themes/")


def test_index_queries_do_not_grow_with_themes(client, django_assert_max_num_queries):
    # Communities, their working groups (one prefetch), cross-cutting groups, goals: 25 themes
    # and 17 goals in four queries.
    with django_assert_max_num_queries(4):
        page(client, "/en/themes/")


def test_index_queries_for_a_signed_in_user(client, plain_user, django_assert_max_num_queries):
    client.force_login(plain_user)
    # Session, user, unread-notification count and the user's roles (for the
    # "Find partners" link) come from the base template; none grows with the themes.
    with django_assert_max_num_queries(8):
        page(client, "/fr/themes/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_community_page_lists_its_working_groups(client, language):
    html = page(client, f"/{language}/themes/society/")
    society = Theme.objects.get(code="society")
    assert escape(society.labels[language]) in html
    assert escape(society.descriptions[language]) in html
    for group in society.children.all():
        assert escape(group.labels[language]) in html
    assert escape(GENDER_EQUALITY[language]) in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_working_group_page_names_its_community(client, language):
    html = page(client, f"/{language}/themes/digital/")
    digital = Theme.objects.select_related("parent").get(code="digital")
    assert f"<h1>{escape(digital.labels[language])}</h1>" in html
    assert escape(digital.descriptions[language]) in html
    assert escape(digital.parent.labels[language]) in html
    assert f'href="/{language}/themes/labour/"' in html
    with translation.override(language):
        assert escape(str(digital.get_kind_display())) in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_cross_cutting_group_page(client, language):
    group = Theme.objects.get(code="twinning-and-partnerships")
    html = page(client, f"/{language}/themes/twinning-and-partnerships/")
    assert escape(group.labels[language]) in html
    assert escape(group.descriptions[language]) in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_sdg_page(client, language):
    goal = SustainableDevelopmentGoal.objects.get(number=5)
    html = page(client, f"/{language}/themes/sdg/5/")
    assert escape(goal.labels[language]) in html
    assert escape(goal.descriptions[language]) in html
    assert "#FF3A21" in html


def test_theme_detail_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page(client, "/en/themes/society/")


@pytest.mark.parametrize(
    "url", ["/en/themes/no-such-theme/", "/fr/themes/sdg/18/", "/de/themes/sdg/0/"]
)
def test_unknown_theme_or_goal_is_404(client, url):
    assert client.get(url).status_code == 404
