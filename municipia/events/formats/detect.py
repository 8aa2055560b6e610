"""Which programme format a file is, from its content (not its name: pretalx
serves both formats from URLs without extensions)."""

from __future__ import annotations

from .frab import ScheduleFormatError, read_frab
from .model import Notice, ScheduleData, gettext_noop
from .schedule_json import read_schedule_json

FRAB_XML = "frab-xml"
SCHEDULE_JSON = "schedule-json"


def detect_format(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return FRAB_XML
    if head == b"{":
        return SCHEDULE_JSON
    raise ScheduleFormatError(
        Notice(
            gettext_noop(
                "Neither frab XML nor schedule.json: the file should start with “<” or “{”."
            )
        )
    )


def read_programme(data: bytes, *, default_tz: str = "UTC") -> tuple[str, ScheduleData, list[str]]:
    """Detect the format and read the file: ``(format, schedule, warnings)``."""
    kind = detect_format(data)
    reader = read_frab if kind == FRAB_XML else read_schedule_json
    schedule, warnings = reader(data, default_tz=default_tz)
    return kind, schedule, warnings
