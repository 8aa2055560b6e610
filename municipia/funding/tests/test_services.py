"""Calls, following and deadline alerts, partner searches and answers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from municipia.accounts.enums import Role
from municipia.funding import services
from municipia.funding.enums import CallStatus, InterestStatus, SearchStatus
from municipia.funding.models import DeadlineAlertSent, ExpressionOfInterest
from municipia.notifications.models import Notification

from .conftest import grant, make_call, make_org

pytestmark = pytest.mark.django_db


def deadline_in(days, hours=0):
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


# -- calls -------------------------------------------------------------------------------


def test_partner_organisation_editor_publishes_a_call(funder, funder_editor):
    call = services.publish_call(
        actor=funder_editor,
        organisation=funder,
        funder="EIT Digital",
        title="AI skills",
        deadline=deadline_in(20),
        status=CallStatus.OPEN,
        themes=["climate"],
        sdgs=[11],
    )
    assert call.published_by == funder_editor
    assert [t.code for t in call.themes.all()] == ["climate"]


def test_a_local_government_editor_may_not_publish_calls(organisation, organisation_editor):
    with pytest.raises(PermissionDenied):
        services.publish_call(
            actor=organisation_editor,
            organisation=organisation,
            funder="Köln",
            title="x",
            deadline=deadline_in(3),
        )


def test_contradictory_rules_are_refused_by_the_service(staff_user):
    with pytest.raises(ValidationError) as raised:
        services.publish_call(
            actor=staff_user,
            funder="EC",
            title="x",
            deadline=deadline_in(3),
            min_partners=5,
            max_partners=2,
        )
    assert "max_partners" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.publish_call(
            actor=staff_user, funder="EC", title="x", deadline=deadline_in(3), themes=["nope"]
        )
    assert "themes" in raised.value.message_dict


def test_only_editors_of_the_publisher_edit_a_call(funder, funder_editor, organisation_editor):
    call = make_call(published_by_organisation=funder)
    services.update_call(actor=funder_editor, call=call, title="Renamed")
    with pytest.raises(PermissionDenied):
        services.update_call(actor=organisation_editor, call=call, title="Mine")


# -- deadline alerts --------------------------------------------------------------------------


def test_alerts_once_per_interval(plain_user):
    call = make_call(deadline=deadline_in(6, hours=12))
    services.follow_call(user=plain_user, call=call)
    assert services.send_deadline_alerts() == 1
    assert services.send_deadline_alerts() == 0  # idempotent
    notification = Notification.objects.get(recipient=plain_user)
    assert "deadline in 6 days" in notification.title  # 6 days 12 hours
    # 30 and 7 are both reached: only the 7-day one is sent, both are recorded
    assert set(DeadlineAlertSent.objects.values_list("days_before", flat=True)) == {30, 7}
    later = timezone.now() + datetime.timedelta(days=6)
    assert services.send_deadline_alerts(now=later) == 1  # the 1-day reminder
    assert services.send_deadline_alerts(now=later) == 0
    assert Notification.objects.filter(recipient=plain_user).count() == 2


def test_alerts_by_notification_and_email_in_the_followers_language(
    plain_user, django_capture_on_commit_callbacks, mailoutbox
):
    """The reminder is written in each follower's language, not in the language of
    the task that sends it (English by default)."""
    german = make_user("koeln@example.org")
    german.preferred_language = "de"
    german.save(update_fields=["preferred_language"])
    call = make_call(title="Netzwerke", deadline=deadline_in(6, hours=12))
    services.follow_call(user=plain_user, call=call)
    services.follow_call(user=german, call=call)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_deadline_alerts() == 2
    by_user = {n.recipient: n for n in Notification.objects.filter(kind="funding.deadline")}
    assert by_user[german].title == "Netzwerke: Frist in 6 Tagen"
    assert by_user[plain_user].title == "Netzwerke: deadline in 6 days"
    assert by_user[plain_user].body.startswith("Applications close on ")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([plain_user.email, german.email])
    assert any("Frist in 6 Tagen" in m.subject for m in mailoutbox)


def test_alerts_follow_the_chosen_intervals_and_a_moved_deadline(plain_user):
    services.update_alert_settings(user=plain_user, days_before=[14])
    call = make_call(deadline=deadline_in(20))
    services.follow_call(user=plain_user, call=call)
    assert services.send_deadline_alerts() == 0
    call.deadline = deadline_in(10)
    call.save()
    assert services.send_deadline_alerts() == 1
    call.deadline = deadline_in(12)  # moved again: reminded about the new date
    call.save()
    assert services.send_deadline_alerts() == 1
    services.update_alert_settings(user=plain_user, days_before=[])
    call.deadline = deadline_in(5)
    call.save()
    assert services.send_deadline_alerts() == 0


def test_no_alerts_for_closed_or_past_calls_or_non_followers(plain_user, staff_user):
    closed = make_call(status=CallStatus.CLOSED, deadline=deadline_in(2))
    services.follow_call(user=plain_user, call=closed)
    make_call(deadline=deadline_in(2))  # nobody follows it
    assert services.send_deadline_alerts() == 0


def test_alert_settings_are_validated(plain_user):
    with pytest.raises(ValidationError):
        services.update_alert_settings(user=plain_user, days_before=[0, 7])
    assert services.update_alert_settings(user=plain_user, days_before=[1, 7, 7]).days_before == [
        7,
        1,
    ]


def test_drafts_cannot_be_followed_by_outsiders(plain_user):
    draft = make_call(status=CallStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.follow_call(user=plain_user, call=draft)


# -- partner searches --------------------------------------------------------------------------


@pytest.fixture
def lyon(db):
    return make_org("Lyon", "FR", population=520000)


@pytest.fixture
def lyon_editor(lyon):
    return grant(make_user("lyon@example.org"), Role.ORGANISATION_EDITOR, lyon)


def publish(actor, owner, **fields):
    fields.setdefault("title", "Partners for a twinning project")
    fields.setdefault("purpose", "Youth exchanges on climate.")
    return services.publish_partner_search(actor=actor, owner=owner, **fields)


def test_new_search_is_announced_to_fitting_organisations_once(
    organisation, organisation_editor, lyon, lyon_editor, django_capture_on_commit_callbacks
):
    make_org("Zürich", "CH")
    with django_capture_on_commit_callbacks(execute=True):
        search = publish(organisation_editor, organisation, country_groups=["eu"])
    # the task ran on commit (inline in tests) and told Lyon's editor, not Zürich's
    told = Notification.objects.filter(kind="funding.partner_search")
    assert [n.recipient for n in told] == [lyon_editor]
    assert services.announce_partner_search(search_id=search.pk) == 0


def test_search_filters_refuse_contradictions(organisation, organisation_editor):
    with pytest.raises(ValidationError) as raised:
        publish(organisation_editor, organisation, population_min=10, population_max=5)
    assert "population_max" in raised.value.message_dict
    with pytest.raises(ValidationError):
        publish(
            organisation_editor,
            organisation,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_interest_shortlist_invite_and_close(organisation, organisation_editor, lyon, lyon_editor):
    search = publish(organisation_editor, organisation)
    interest = services.express_interest(
        actor=lyon_editor, search=search, organisation=lyon, message="We'd love to."
    )
    assert Notification.objects.filter(
        recipient=organisation_editor, kind="funding.interest"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.set_interest_status(
            actor=lyon_editor, interest=interest, status=InterestStatus.SHORTLISTED
        )
    services.set_interest_status(
        actor=organisation_editor, interest=interest, status=InterestStatus.SHORTLISTED
    )
    services.set_interest_status(
        actor=organisation_editor, interest=interest, status=InterestStatus.INVITED
    )
    assert Notification.objects.filter(recipient=lyon_editor, kind="funding.invited").exists()
    with pytest.raises(ValidationError):
        services.set_interest_status(
            actor=organisation_editor, interest=interest, status=InterestStatus.SHORTLISTED
        )
    services.close_partner_search(actor=organisation_editor, search=search)
    assert search.status == SearchStatus.COMPLETE
    with pytest.raises(ValidationError):
        services.express_interest(actor=lyon_editor, search=search, organisation=lyon)


def test_interest_rules(organisation, organisation_editor, lyon, lyon_editor, staff_user):
    search = publish(organisation_editor, organisation)
    with pytest.raises(PermissionDenied):  # staff do not speak for an organisation
        services.express_interest(actor=staff_user, search=search, organisation=lyon)
    with pytest.raises(PermissionDenied):
        services.express_interest(actor=organisation_editor, search=search, organisation=lyon)
    with pytest.raises(ValidationError):
        services.express_interest(
            actor=organisation_editor, search=search, organisation=organisation
        )
    services.express_interest(actor=lyon_editor, search=search, organisation=lyon, message="a")
    services.express_interest(actor=lyon_editor, search=search, organisation=lyon, message="b")
    assert ExpressionOfInterest.objects.get().message == "b"


def test_publishing_with_invitations(organisation, organisation_editor, lyon, lyon_editor):
    search = publish(organisation_editor, organisation, invite=[lyon])
    assert search.interests.get().status == InterestStatus.INVITED
    assert Notification.objects.filter(recipient=lyon_editor, kind="funding.invited").exists()


def test_members_may_not_publish_searches(organisation, member_user):
    with pytest.raises(PermissionDenied):
        publish(member_user, organisation)
