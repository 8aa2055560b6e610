"""The demo networking centre: generated participants, requests and a run, idempotent."""

import pytest

from municipia.accounts.demo import load_demo_users
from municipia.events.demo import load_demo_events
from municipia.networking.demo import REQUESTS, load_demo_networking
from municipia.networking.enums import RequestStatus
from municipia.networking.models import Meeting, MeetingRequest, NetworkingProfile, SchedulerRun

pytestmark = pytest.mark.django_db


def test_demo_networking_is_loaded_once(organisation, other_organisation):
    load_demo_users()
    load_demo_events()
    event = load_demo_networking()
    again = load_demo_networking()
    assert again == event
    assert NetworkingProfile.objects.filter(registration__event=event).count() == 7
    assert MeetingRequest.objects.filter(event=event).count() == len(REQUESTS)
    accepted = MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
    assert accepted.count() == 7
    assert Meeting.objects.filter(request__event=event).count() == 7
    assert SchedulerRun.objects.filter(event=event).count() == 1
    editor = event.registrations.get(user__email="editor@demo.municipia.eu")
    assert editor.organisation.slug == "koln"
