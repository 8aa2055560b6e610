"""Pages: calls, calls for you, reminders and the calendar feed, partner searches;
who sees which button and who gets 403/404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from municipia.funding import services
from municipia.funding.enums import CallStatus, InterestStatus
from municipia.funding.models import FundingCall, PartnerSearch

from .conftest import make_call, make_org

pytestmark = pytest.mark.django_db


def test_call_list_shows_open_calls_and_hides_drafts(client):
    make_call(title="Open call")
    make_call(title="Secret draft", status=CallStatus.DRAFT)
    make_call(title="Old call", status=CallStatus.CLOSED)
    page = client.get(reverse("funding:calls")).content.decode()
    assert "Open call" in page and "Secret draft" not in page and "Old call" not in page
    page = client.get(reverse("funding:calls") + "?closed=1").content.decode()
    assert "Old call" in page


def test_call_list_filters_by_country(client):
    make_call(title="For the EU", eligible_groups=["eu"])
    make_call(title="For Norway", eligible_countries=["NO"])
    make_call(title="For all")
    page = client.get(reverse("funding:calls") + "?country=FR").content.decode()
    assert "For the EU" in page and "For all" in page and "For Norway" not in page


def test_draft_is_404_for_others_and_visible_to_its_publisher(client, funder, funder_editor):
    draft = make_call(status=CallStatus.DRAFT, published_by_organisation=funder)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(funder_editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_call_page_tells_each_organisation_whether_it_may_apply(client, organisation_editor):
    call = make_call(eligible_groups=["eu"], lead_types=["region"])
    client.force_login(organisation_editor)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "may apply as a partner, not lead" in page
    assert reverse("funding:consortium", kwargs={"pk": call.pk}) in page


def test_publish_a_call_by_form_with_field_errors(client, funder, funder_editor):
    client.force_login(funder_editor)
    url = reverse("funding:call_create")
    data = {
        "organisation": funder.pk,
        "funder": "EIT Digital",
        "title": "AI",
        "language": "en",
        "deadline": (timezone.now() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Europe/Lisbon",
        "currency": "EUR",
        "min_partners": 5,
        "max_partners": 2,
        "min_countries": 1,
        "status": "open",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "below the minimum" in response.content.decode()
    data["max_partners"] = 6
    data["deadline"] = "2030-03-31T17:00"
    response = client.post(url, data)
    assert response.status_code == 302
    call = FundingCall.objects.get()
    assert call.published_by_organisation == funder
    # typed as Lisbon wall-clock time (UTC+1 in summer 2030)
    assert call.deadline == datetime.datetime(2030, 3, 31, 16, 0, tzinfo=datetime.UTC)


def test_a_call_is_never_published_for_an_organisation_not_chosen(
    client, funder, funder_editor, organisation
):
    client.force_login(funder_editor)
    data = {
        "funder": "EIT Digital",
        "title": "AI",
        "language": "en",
        "deadline": "2030-03-31T17:00",
        "time_zone": "Europe/Lisbon",
        "currency": "EUR",
        "min_partners": 2,
        "max_partners": 6,
        "min_countries": 1,
        "status": "open",
    }
    for chosen in (organisation.pk, "", "999999999"):
        response = client.post(reverse("funding:call_create"), {**data, "organisation": chosen})
        assert response.status_code == 200
        assert "Choose one of the organisations you publish for." in response.content.decode()
    assert not FundingCall.objects.exists()
    response = client.post(reverse("funding:call_create"), {**data, "organisation": funder.pk})
    assert response.status_code == 302
    assert FundingCall.objects.get().published_by_organisation == funder


def test_local_government_editors_may_not_publish_calls(client, organisation_editor):
    client.force_login(organisation_editor)
    assert client.get(reverse("funding:call_create")).status_code == 403


def test_calls_for_you_page(client, organisation_editor, organisation):
    make_call(title="Everyone welcome")
    make_call(title="Only Poland", eligible_countries=["PL"])
    client.force_login(organisation_editor)
    page = client.get(reverse("funding:for_you")).content.decode()
    assert "Everyone welcome" in page and "Only Poland" not in page
    assert "Deadline in" in page


def test_calls_for_you_page_by_pages(client, organisation_editor, organisation):
    """Every eligible call is reachable, a page of them explained at a time."""
    for day in range(1, 31):
        make_call(
            title=f"Call due on day {day:02}",
            deadline=timezone.now() + datetime.timedelta(days=day),
        )
    client.force_login(organisation_editor)
    first = client.get(reverse("funding:for_you")).content.decode()
    second = client.get(reverse("funding:for_you") + "?page=2").content.decode()
    assert "Call due on day 01" in first and "Call due on day 25" in first
    assert "Call due on day 26" not in first and 'rel="next"' in first
    assert "Call due on day 26" in second and "Call due on day 30" in second
    assert "Call due on day 01" not in second


def test_follow_reminders_and_private_feed(client, plain_user):
    call = make_call(title="Follow me")
    client.force_login(plain_user)
    client.post(reverse("funding:call_follow", kwargs={"pk": call.pk}))
    page = client.get(reverse("funding:alerts"))
    assert "Follow me" in page.content.decode()
    settings_ = services.alert_settings_for(user=plain_user)
    response = client.post(reverse("funding:alerts"), {"days_before": "14, x"})
    assert "is not a number of days" in response.content.decode()
    client.post(reverse("funding:alerts"), {"days_before": "14, 2"})
    settings_.refresh_from_db()
    assert settings_.days_before == [14, 2]
    client.logout()
    feed = client.get(reverse("funding:feed", kwargs={"token": settings_.feed_token}))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and "Deadline: Follow me" in body
    assert "TZID=Europe/Brussels" in body
    assert client.get(reverse("funding:feed", kwargs={"token": "guess"})).status_code == 404
    old = settings_.feed_token
    client.force_login(plain_user)
    client.post(reverse("funding:alerts"), {"action": "renew"})
    assert client.get(reverse("funding:feed", kwargs={"token": old})).status_code == 404


def test_partner_search_flow(client, organisation, organisation_editor, staff_user):
    from conftest import make_user
    from municipia.accounts.enums import Role

    from .conftest import grant

    lyon = make_org("Lyon", "FR")
    lyon_editor = grant(make_user("lyon@example.org"), Role.ORGANISATION_EDITOR, lyon)
    client.force_login(organisation_editor)
    response = client.post(
        reverse("funding:search_create"),
        {
            "title": "Climate partners",
            "purpose": "Heat plans.",
            "language": "en",
            "partners_sought": 2,
            "country_groups": ["eu"],
        },
    )
    search = PartnerSearch.objects.get()
    assert response.status_code == 302 and search.owner == organisation
    assert "Climate partners" in client.get(reverse("funding:searches")).content.decode()

    client.force_login(lyon_editor)
    page = client.get(search.get_absolute_url()).content.decode()
    assert "Express interest" in page and "Close the search" not in page
    client.post(
        reverse("funding:search_interest", kwargs={"pk": search.pk}),
        {"organisation": lyon.pk, "message": "Count us in"},
    )
    interest = search.interests.get()
    assert (
        client.post(
            reverse("funding:search_answer", kwargs={"pk": search.pk, "interest_id": interest.pk}),
            {"status": "invited"},
        ).status_code
        == 403
    )

    client.force_login(organisation_editor)
    page = client.get(search.get_absolute_url()).content.decode()
    assert "Count us in" in page and "Shortlist" in page
    client.post(
        reverse("funding:search_answer", kwargs={"pk": search.pk, "interest_id": interest.pk}),
        {"status": "shortlisted"},
    )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SHORTLISTED
    client.post(reverse("funding:search_close", kwargs={"pk": search.pk}), {"complete": "1"})
    search.refresh_from_db()
    assert search.status == "complete"


def test_search_form_refuses_bad_ranges(client, organisation_editor):
    client.force_login(organisation_editor)
    response = client.post(
        reverse("funding:search_create"),
        {
            "title": "x",
            "purpose": "y",
            "language": "en",
            "partners_sought": 1,
            "population_min": 100,
            "population_max": 10,
        },
    )
    assert response.status_code == 200
    assert "The largest population is below the smallest." in response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    call = make_call()
    for url in (
        reverse("funding:for_you"),
        reverse("funding:alerts"),
        reverse("funding:search_create"),
        reverse("funding:consortium", kwargs={"pk": call.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
