"""Swipes, matches, notifications, permissions and rate limits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from municipia.directory import services as directory_services
from municipia.directory.enums import OrganisationType, Visibility
from municipia.matching import selectors, services
from municipia.matching.models import Match, Swipe
from municipia.notifications.models import Notification

from .conftest import make_editor, make_lrg

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(places):
    return {
        "riga": make_editor("riga@example.org", places["riga"]),
        "tartu": make_editor("tartu@example.org", places["tartu"]),
    }


def test_a_swipe_is_idempotent(places, editors):
    for _ in range(3):
        result = services.swipe(
            actor=editors["tartu"],
            organisation=places["tartu"],
            candidate=places["riga"],
            decision="like",
        )
    assert Swipe.objects.count() == 1
    assert result.swipe.decision == "like"
    assert result.match is None


def test_another_decision_replaces_the_previous_one(places, editors):
    services.swipe(
        actor=editors["tartu"], organisation=places["tartu"], candidate=places["riga"],
        decision="save",
    )  # fmt: skip
    services.swipe(
        actor=editors["tartu"], organisation=places["tartu"], candidate=places["riga"].pk,
        decision="pass",
    )  # fmt: skip
    assert list(Swipe.objects.values_list("decision", flat=True)) == ["pass"]


def test_a_mutual_like_is_one_match_and_notifies_both_sides(places, editors, mailoutbox):
    first = services.swipe(
        actor=editors["riga"], organisation=places["riga"], candidate=places["tartu"],
        decision="like",
    )  # fmt: skip
    assert first.match is None
    second = services.swipe(
        actor=editors["tartu"], organisation=places["tartu"], candidate=places["riga"],
        decision="like",
    )  # fmt: skip
    assert second.is_new_match is True
    match = Match.objects.get()
    assert {match.organisation_a, match.organisation_b} == {places["riga"], places["tartu"]}
    again = services.swipe(
        actor=editors["tartu"], organisation=places["tartu"], candidate=places["riga"],
        decision="like",
    )  # fmt: skip
    assert again.match == match and again.is_new_match is False
    notifications = Notification.objects.filter(kind="matching.match").order_by("recipient__email")
    assert [(n.recipient.email, n.title) for n in notifications] == [
        ("riga@example.org", "New match: Tartu"),
        ("tartu@example.org", "New match: Riga"),
    ]
    assert notifications[0].url == "/en/matching/riga/matches/"
    assert sorted(m.to[0] for m in mailoutbox) == ["riga@example.org", "tartu@example.org"]


def test_a_like_on_a_vanished_candidate_is_refused(places, editors):
    gone = places["espoo"].pk
    places["espoo"].delete()
    with pytest.raises(ValidationError) as error:
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=gone, decision="like"
        )
    assert "candidate" in error.value.message_dict
    assert Swipe.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"is_looking_for_partners": False},
        {"visibility": Visibility.HIDDEN},
        {"kind": OrganisationType.NATIONAL_ASSOCIATION},
    ],
)
def test_a_like_on_a_candidate_no_longer_looking_is_refused(places, editors, change):
    type(places["lyon"]).objects.filter(pk=places["lyon"].pk).update(**change)
    with pytest.raises(ValidationError):
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=places["lyon"],
            decision="like",
        )  # fmt: skip


def test_an_organisation_cannot_swipe_on_itself(places, editors):
    with pytest.raises(ValidationError) as error:
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=places["tartu"],
            decision="like",
        )  # fmt: skip
    assert "candidate" in error.value.message_dict


def test_an_unknown_decision_is_refused(places, editors):
    with pytest.raises(ValidationError):
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=places["riga"],
            decision="superlike",
        )  # fmt: skip


def test_an_editor_of_another_organisation_cannot_swipe(places, editors):
    with pytest.raises(PermissionDenied):
        services.swipe(
            actor=editors["riga"], organisation=places["tartu"], candidate=places["lyon"],
            decision="like",
        )  # fmt: skip
    assert Swipe.objects.count() == 0


def test_swipes_are_rate_limited(places, editors, monkeypatch):
    monkeypatch.setattr(services, "SWIPE_RATE_LIMIT", 3)
    candidates = [make_lrg(f"Town {i}", "DE") for i in range(4)]
    for candidate in candidates[:3]:
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=candidate,
            decision="pass",
        )  # fmt: skip
    with pytest.raises(services.RateLimited):
        services.swipe(
            actor=editors["tartu"], organisation=places["tartu"], candidate=candidates[3],
            decision="pass",
        )  # fmt: skip
    assert Swipe.objects.count() == 3


def test_a_profile_change_rebuilds_the_engine(places, editors, django_capture_on_commit_callbacks):
    engine = selectors.current_engine()
    assert selectors.current_engine() is engine
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        directory_services.add_challenge(
            actor=editors["tartu"], organisation=places["tartu"], title="Heat pumps",
            text="Heat pumps for old flats.", language="en",
        )  # fmt: skip
        directory_services.add_challenge(
            actor=editors["tartu"], organisation=places["tartu"], title="Cycling",
            text="Safe cycle lanes.", language="en",
        )  # fmt: skip
    assert len(callbacks) == 1  # one rebuild for the whole transaction
    rebuilt = selectors.current_engine()
    assert rebuilt is not engine
    tartu = rebuilt.profiles[rebuilt.index[str(places["tartu"].pk)]]
    assert "Heat pumps. Heat pumps for old flats." in tartu.challenges
