import json

import pytest
from django.core.management import CommandError, call_command

from municipia.networking import services
from municipia.networking.models import AvailabilityBlock, Meeting, MeetingRequest

from .conftest import at


def test_export_then_import_by_command(tmp_path, event, event_organiser, grid, anna, piotr):
    services.block_time(actor=anna.user, registration=anna, starts_at=at(9), ends_at=at(10))
    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    services.accept_request(actor=piotr.user, meeting_request=meeting_request)
    services.run_scheduler(actor=event_organiser, event=event)
    target = tmp_path / "networking.json"
    call_command("export_networking", event.slug, output=str(target))
    assert json.loads(target.read_text())["meetings"]
    MeetingRequest.objects.all().delete()
    AvailabilityBlock.objects.all().delete()
    call_command("import_networking", event.slug, str(target), dry_run=True)
    assert not Meeting.objects.exists()  # a dry run writes nothing
    call_command("import_networking", event.slug, str(target))
    assert Meeting.objects.get().request.recipient == piotr
    assert AvailabilityBlock.objects.get().starts_at == at(9)


def test_import_command_reports_problems(tmp_path, event, grid):
    target = tmp_path / "bad.json"
    target.write_text(json.dumps({"format": "municipia-networking", "version": 1, "slots": [{}]}))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_networking", event.slug, str(target))
    with pytest.raises(CommandError, match="No event"):
        call_command("import_networking", "nowhere", str(target))


def test_expire_command(event, event_organiser, grid, anna, piotr, capsys):
    import datetime

    from django.utils import timezone

    from municipia.networking.enums import RequestStatus

    meeting_request = services.send_request(actor=anna.user, requester=anna, recipient=piotr)
    MeetingRequest.objects.filter(pk=meeting_request.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=5)
    )
    call_command("expire_meeting_requests")
    assert "1 meeting request(s) expired" in capsys.readouterr().out
    assert MeetingRequest.objects.get().status == RequestStatus.EXPIRED
