"""Who may apply: countries (lists and dated groups), applicant types, the lead."""

import datetime

import pytest
from django.utils import timezone

from municipia.directory.enums import OrganisationType
from municipia.funding import selectors
from municipia.funding.country_groups import members
from municipia.funding.enums import CallStatus

from .conftest import make_call, make_org

pytestmark = pytest.mark.django_db


def test_group_members_change_with_the_date():
    assert "GB" in members("eu", datetime.date(2019, 12, 31))
    assert "GB" not in members("eu", datetime.date(2020, 2, 1))
    assert "HR" in members("candidates", datetime.date(2013, 6, 30))
    assert "HR" not in members("candidates", datetime.date(2013, 7, 1))
    assert "HR" in members("eu", datetime.date(2013, 7, 1))
    assert "UA" not in members("candidates", datetime.date(2022, 6, 22))
    assert "UA" in members("candidates", datetime.date(2022, 6, 23))
    assert members("nato") == frozenset()


def test_country_lists_and_groups():
    call = make_call(eligible_groups=["eu"], eligible_countries=["NO"])
    assert selectors.check_eligibility(call, make_org("Bergen", "NO")).eligible
    assert selectors.check_eligibility(call, make_org("Lyon", "FR")).eligible
    refused = selectors.check_eligibility(call, make_org("Zürich", "CH"))
    assert not refused.eligible
    assert refused.codes == ("country",)
    assert "Switzerland is not among the eligible countries." in refused.problems


def test_a_country_that_left_a_group_is_judged_on_the_calls_date():
    """Leeds could apply to an EU-only call that closed in 2019, not to one today."""
    leeds = make_org("Leeds", "GB")
    old = make_call(
        eligible_groups=["eu"],
        status=CallStatus.CLOSED,
        deadline=datetime.datetime(2019, 10, 1, 12, tzinfo=datetime.UTC),
    )
    current = make_call(eligible_groups=["eu"])
    assert selectors.eligibility_date(old) == datetime.date(2019, 10, 1)
    assert selectors.check_eligibility(old, leeds).eligible
    assert not selectors.check_eligibility(current, leeds).eligible


def test_an_organisation_without_country():
    nowhere = make_org("Somewhere", "")
    restricted = make_call(eligible_groups=["eu"])
    result = selectors.check_eligibility(restricted, nowhere)
    assert not result.eligible and result.codes == ("no_country",)
    assert "has no country" in result.problems[0]
    assert selectors.check_eligibility(make_call(), nowhere).eligible  # open to all


def test_applicant_types_and_lead_conditions():
    call = make_call(
        eligible_types=[OrganisationType.MUNICIPALITY, OrganisationType.REGION],
        lead_types=[OrganisationType.MUNICIPALITY],
        lead_groups=["eu"],
        eligible_groups=["eu", "candidates"],
    )
    region = make_org("Tuscany", "IT", kind=OrganisationType.REGION)
    result = selectors.check_eligibility(call, region)
    assert result.eligible and not result.may_lead
    assert "The lead partner must be one of: Municipality." in result.lead_problems
    skopje = make_org("Skopje", "MK")
    result = selectors.check_eligibility(call, skopje)
    assert result.eligible and not result.may_lead
    assert selectors.check_eligibility(call, make_org("Gent", "BE")).may_lead
    network = make_org("Eurocities", "BE", kind=OrganisationType.NETWORK)
    refused = selectors.check_eligibility(call, network)
    assert refused.codes == ("type",) and not refused.may_lead


def test_calls_for_you_only_eligible_open_calls_ranked_and_explained(themes_and_org):
    org, climate, waste = themes_and_org
    fitting = make_call(title="Climate towns", themes=[waste], languages=["en"])
    near = make_call(title="Community", themes=[climate])
    unrelated = make_call(title="Anything", deadline=timezone.now() + datetime.timedelta(days=5))
    make_call(title="Not for Germany", eligible_countries=["FR"])
    make_call(title="Closed", status=CallStatus.CLOSED)
    make_call(title="Draft", status=CallStatus.DRAFT)
    found = selectors.calls_for_you(organisation=org)
    assert [f.call for f in found] == [fitting, near, unrelated]
    reasons = found[0].reasons
    assert "Addresses your challenge “District heating”" in reasons
    assert any(r.startswith("On your themes:") for r in reasons)
    assert "You may apply in English" in reasons
    assert found[2].reasons == ("Deadline in 4 days",) or found[2].reasons == (
        "Deadline in 5 days",
    )


@pytest.fixture
def themes_and_org(db):
    from municipia.directory.models import Challenge
    from municipia.taxonomy.models import Theme

    waste = Theme.objects.get(code="waste-and-circular-economy")
    climate = waste.parent
    org = make_org("Köln", "DE", working_languages=",de,en,")
    challenge = Challenge.objects.create(
        organisation=org, title="District heating", text="Old network.", language="en"
    )
    challenge.themes.add(waste)
    return org, climate, waste


def test_the_fast_ranking_scores_as_the_explained_fit(themes_and_org):
    """`calls_for_you` ranks every open call on cached rows and explains only the
    ones it shows: both must give the same score."""
    import random

    from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

    org, _climate, waste = themes_and_org
    org.challenges.first().sdgs.add(*SustainableDevelopmentGoal.objects.filter(number__in=[7, 11]))
    rng = random.Random(3)
    themes = list(Theme.objects.select_related("parent"))
    goals = list(SustainableDevelopmentGoal.objects.all())
    for i in range(40):
        make_call(
            title=f"Call {i}",
            themes=rng.sample(themes, rng.randint(0, 3)) + ([waste] if i % 5 == 0 else []),
            sdgs=rng.sample(goals, rng.randint(0, 3)),
            languages=rng.sample(["en", "de", "fr"], rng.randint(0, 2)),
        )
    interests = selectors.organisation_interests(org)
    found = selectors.calls_for_you(organisation=org, limit=100)
    assert len(found) == 40
    for item in found:
        expected, _reasons = selectors._fit(
            list(item.call.themes.select_related("parent")),
            set(item.call.sdgs.values_list("number", flat=True)),
            item.call.languages,
            interests,
            explain=False,
        )
        assert item.score == expected, item.call.title
    scores = [item.score for item in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_calls_for_you_sees_a_call_change(themes_and_org):
    org = themes_and_org[0]
    call = make_call(title="Later fitting", eligible_countries=["FR"])
    assert selectors.calls_for_you(organisation=org) == []
    call.eligible_countries = ["DE"]
    call.save()
    assert [f.call for f in selectors.calls_for_you(organisation=org)] == [call]
