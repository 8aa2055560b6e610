"""The common shape of a programme in frab ``schedule.xml`` and c3voc
``schedule.json``: what readers return and writers take.

Sessions are kept in one flat list with aware start times; writers group them by
day and room. Everything here is plain Python (no Django) so the formats can be
tested and benchmarked alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Namespace of the UUIDs municipia derives for sessions, rooms and people that
# have no UUID of their own (both formats require one).
MUNICIPIA_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://municipia.eu/schedule")


@dataclass
class PersonData:
    name: str
    guid: str = ""
    id: int | None = None
    role: str = "speaker"  # speaker or moderator (frab knows only speakers)
    affiliation: str = ""


@dataclass
class LinkData:
    url: str
    title: str = ""


@dataclass
class RoomData:
    name: str
    guid: str = ""
    capacity: int | None = None
    kind: str = ""  # c3voc room type: "outside", "online", "stage", ...
    description: str = ""
    url: str = ""


@dataclass
class TrackData:
    name: str
    color: str = ""
    slug: str = ""


@dataclass
class DayData:
    index: int
    date: date
    start: datetime | None = None
    end: datetime | None = None
    theme: str = ""


@dataclass
class SessionData:
    guid: str
    title: str
    start: datetime
    duration: timedelta
    room: str = ""
    id: int | None = None
    subtitle: str = ""
    abstract: str = ""
    description: str = ""
    track: str = ""
    kind: str = ""  # the file's "type": lecture, workshop, plenary, ...
    language: str = ""
    persons: list[PersonData] = field(default_factory=list)
    links: list[LinkData] = field(default_factory=list)
    url: str = ""
    slug: str = ""

    @property
    def end(self) -> datetime:
        return self.start + self.duration


@dataclass
class ScheduleData:
    title: str
    acronym: str = ""
    start: date | None = None
    end: date | None = None
    time_zone: str = "UTC"
    version: str = ""
    url: str = ""
    base_url: str = ""
    description: str = ""
    days: list[DayData] = field(default_factory=list)
    rooms: list[RoomData] = field(default_factory=list)
    tracks: list[TrackData] = field(default_factory=list)
    sessions: list[SessionData] = field(default_factory=list)
    # Events of the file the reader could not use (each has a warning).
    skipped_sessions: int = 0


# ---------------------------------------------------------------- helpers

_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def is_uuid(value: str) -> bool:
    return bool(value) and bool(_UUID.match(value))


def derived_uuid(*parts: object) -> str:
    """A stable UUID for something known only by a non-UUID key (a frab numeric
    guid, a room name): the same parts always give the same UUID."""
    return str(uuid.uuid5(MUNICIPIA_NAMESPACE, ":".join(str(p) for p in parts)))


def slugify(value: str, separator: str = "_") -> str:
    """ASCII lower-case slug: accents dropped, anything else becomes ``separator``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)


def format_duration(duration: timedelta) -> str:
    """``HH:MM`` as both formats write it (hours may exceed 23 for long sessions)."""
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_DURATION = re.compile(r"^\s*(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?\s*$")


def parse_duration(value: str) -> timedelta | None:
    """``HH:MM`` or ``HH:MM:SS``; ``None`` when it is neither."""
    match = _DURATION.match(value or "")
    if not match:
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    if minutes > 59 or seconds > 59:
        return None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


_LOOKS_LIKE_HTML = re.compile(r"</?(p|br|div|a|em|strong|ul|ol|li|b|i|h\d|span)\b[^>]*>", re.I)


def plain_text(value: str | None) -> str:
    """Programme texts as plain text: FOSDEM and others publish abstracts as
    HTML, which municipia would otherwise show with its tags escaped."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _LOOKS_LIKE_HTML.search(value):
        extractor = _TextExtractor()
        extractor.feed(value)
        extractor.close()
        value = "".join(extractor.parts)
    else:
        value = html.unescape(value) if "&" in value and ";" in value else value
    value = re.sub(r"[ \t]+\n", "\n", value)
    value = re.sub(r"\n{3,}", "\n\n", value)
    return value.strip()


_BARE_HOST = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.I)


def absolute_url(value: str) -> str:
    """An absolute http(s) URL, or "" when the value cannot be one: files carry
    links such as ``nymtech.net`` that the schemas reject."""
    value = (value or "").strip()
    if _BARE_HOST.match(value):
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme in ("http", "https") and parts.hostname and not re.search(r"\s", value):
        return value
    return ""


# ---------------------------------------------------------------- messages


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogues without importing Django
    (``makemessages`` looks for this name); ``programme_io`` translates it."""
    return message


class Notice(str):
    """A reader's warning or error: reads as English text, and keeps its
    template and values so that the import can show it in the user's language."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        notice = super().__new__(cls, template % params if params else template)
        notice.template = template
        notice.params = params
        return notice
