"""Exposure counts: counted where suggestions are served, summed over the
recent days, and damping the organisations shown most."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from municipia.matching import exposure, selectors
from municipia.matching.engine import MatchingEngine, OrganisationProfile
from municipia.matching.models import Exposure

from .conftest import make_editor, make_lrg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_counts():
    cache.delete(exposure.CACHE_KEY)
    yield
    cache.delete(exposure.CACHE_KEY)


def test_serving_suggestions_counts_who_was_shown(places):
    editor = make_editor("tartu@example.org", places["tartu"])
    first = selectors.suggestions_for_organisation(organisation=places["tartu"], viewer=editor)
    selectors.suggestions_for_organisation(organisation=places["tartu"], viewer=editor, limit=1)
    today = timezone.now().date()
    times = dict(Exposure.objects.filter(day=today).values_list("organisation_id", "times"))
    top = first[0].organisation.pk
    assert times[top] == 2  # in both lists
    assert all(times[s.organisation.pk] == 1 for s in first[1:])
    assert places["tartu"].pk not in times  # the searcher was not shown


def test_recent_exposure_sums_the_window_and_forgets_older_days(places):
    today = datetime.date(2026, 11, 22)
    riga, lyon = places["riga"], places["lyon"]
    for days_ago in (0, 3, exposure.WINDOW_DAYS - 1, exposure.WINDOW_DAYS):
        day = today - datetime.timedelta(days=days_ago)
        exposure.record_shown([riga.pk, riga.pk], day=day)  # a duplicate counts once
    exposure.record_shown([lyon.pk], day=today)
    counts = exposure.recent_exposure(today=today)
    assert counts == {str(riga.pk): 3, str(lyon.pk): 1}


def test_recent_exposure_is_cached_between_requests(places):
    exposure.record_shown([places["riga"].pk])
    assert exposure.recent_exposure() == {str(places["riga"].pk): 1}
    exposure.record_shown([places["riga"].pk])
    assert exposure.recent_exposure() == {str(places["riga"].pk): 1}  # until the cache expires
    cache.delete(exposure.CACHE_KEY)
    assert exposure.recent_exposure() == {str(places["riga"].pk): 2}


def test_old_rows_are_pruned(places):
    old = timezone.now().date() - datetime.timedelta(days=60)
    exposure.record_shown([places["riga"].pk], day=old)
    exposure.record_shown([places["riga"].pk])
    assert exposure.forget_old_exposure() == 1
    assert Exposure.objects.count() == 1


def test_an_often_shown_organisation_gives_way_to_an_equal_one(places):
    twin_a = make_lrg("Twin A", "SE", population=50000, latitude=59.3, longitude=18.0)
    make_lrg("Twin B", "SE", population=50000, latitude=59.3, longitude=18.0)
    searcher = make_lrg("Searcher", "NO", population=50000, latitude=59.9, longitude=10.7)
    editor = make_editor("searcher@example.org", searcher)

    def scores():
        found = selectors.suggestions_for_organisation(organisation=searcher, viewer=editor)
        by_name = {s.organisation.name: s.score for s in found}
        return by_name["Twin A"], by_name["Twin B"]

    a, b = scores()
    assert a == pytest.approx(b)  # identical profiles, shown equally often
    for _ in range(30):
        exposure.record_shown([twin_a.pk])
    cache.delete(exposure.CACHE_KEY)
    a, b = scores()
    assert a < b * 0.8


def test_engine_ignores_exposure_of_organisations_it_does_not_hold():
    e = MatchingEngine([OrganisationProfile(id="a"), OrganisationProfile(id="b")])
    assert [s.organisation_id for s in e.suggest("a", exposure={"gone": 99})] == ["b"]
