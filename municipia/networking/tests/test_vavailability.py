"""RFC 7953 availability: written and read back, folded lines, local times."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from municipia.networking import vavailability

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_blocks_round_trip():
    start = datetime(2027, 3, 10, tzinfo=BRUSSELS)
    end = start + timedelta(days=2)
    blocks = [
        (datetime(2027, 3, 10, 14, tzinfo=BRUSSELS), datetime(2027, 3, 10, 15, tzinfo=BRUSSELS)),
        (datetime(2027, 3, 11, 9, tzinfo=BRUSSELS), datetime(2027, 3, 11, 10, tzinfo=BRUSSELS)),
    ]
    entry = vavailability.from_blocks(
        uid="a" * 90, organizer="anna@koeln.example", start=start, end=end, blocks=blocks
    )
    text = vavailability.render([entry], dtstamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert "BEGIN:VAVAILABILITY" in text and text.count("BEGIN:AVAILABLE") == 3
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    [read] = vavailability.parse(text)
    assert read.organizer == "anna@koeln.example"
    assert read.blocked == blocks


def test_local_times_and_duration_are_read():
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VAVAILABILITY\r\nUID:1\r\n"
        "DTSTAMP:20270101T000000Z\r\nORGANIZER:mailto:Piotr@Krakow.example\r\n"
        "DTSTART;TZID=Europe/Warsaw:20270310T090000\r\nDTEND;TZID=Europe/Warsaw:20270310T180000\r\n"
        "BEGIN:AVAILABLE\r\nUID:1-1\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART;TZID=Europe/Warsaw:20270310T090000\r\nDURATION:PT4H\r\nEND:AVAILABLE\r\n"
        "END:VAVAILABILITY\r\nEND:VCALENDAR\r\n"
    )
    [read] = vavailability.parse(text)
    warsaw = ZoneInfo("Europe/Warsaw")
    assert read.organizer == "piotr@krakow.example"
    assert read.blocked == [
        (datetime(2027, 3, 10, 13, tzinfo=warsaw), datetime(2027, 3, 10, 18, tzinfo=warsaw))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "BEGIN:VAVAILABILITY\r\nDTSTART:20270310T090000Z\r\nEND:VAVAILABILITY\r\n",
        "BEGIN:VAVAILABILITY\r\nORGANIZER:mailto:a@b.c\r\nDTSTART:2027-03-10\r\n"
        "DTEND:20270310T100000Z\r\nEND:VAVAILABILITY\r\n",
        "BEGIN:VAVAILABILITY\r\n",
        "BEGIN:AVAILABLE\r\nDTSTART:20270310T090000Z\r\nDTEND:20270310T100000Z\r\nEND:AVAILABLE\r\n",
        "BEGIN:VAVAILABILITY\r\nORGANIZER:mailto:a@b.c\r\nDTSTART:20270310T110000Z\r\n"
        "DTEND:20270310T100000Z\r\nEND:VAVAILABILITY\r\n",
    ],
)
def test_bad_input_is_reported(text):
    with pytest.raises(vavailability.AvailabilityError):
        vavailability.parse(text)
