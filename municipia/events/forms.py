"""Forms of the events pages. They check the shape of the input; the rules
(capacity, audience, who may do what) live in `services` and `accounts.rules`.

Times are typed in the event's time zone, whatever the server's or the
browser's zone: an organiser in Brussels enters 18:00 for a reception in
Barcelona and means 18:00 in Barcelona.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipia.directory.choices import country_choices, language_choices
from municipia.directory.enums import Position
from municipia.directory.models import Organisation
from municipia.fields import ModelIdsField
from municipia.taxonomy.models import Theme

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    EventFormat,
    EventKind,
    EventVisibility,
    RegistrationField,
    RegistrationStatus,
    SessionAudience,
    SessionKind,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """IANA zone names people recognise (Europe/Madrid), without the legacy aliases."""
    names = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return (("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names))


def in_zone(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The wall-clock time `value` (as typed) in `zone`, refused when the clocks
    skip it (the hour lost when daylight saving time starts)."""
    if value is None:
        return None
    naive = value.replace(tzinfo=None)
    aware = naive.replace(tzinfo=zone)
    # A time in the spring-forward gap comes back shifted by the round trip.
    if aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("%(time)s does not exist in %(zone)s: the clocks change at that hour."),
            code="nonexistent_time",
            params={"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    return aware


def _as_wall_clock(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, zone).strftime("%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    """Create or edit an event: what, where, when, for whom and how to register."""

    title = forms.CharField(label=_("Title"), max_length=250)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_("Part of the page address, e.g. cemr-retreat-2024. Leave empty to derive it."),
    )
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Address of the venue"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to confirmed participants."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The programme is shown and typed in this time zone."),
    )
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"), required=False, widget=forms.CheckboxSelectMultiple
    )
    content_language = forms.ChoiceField(label=_("Language of the description"), required=False)
    organisers = ModelIdsField(
        label=_("Organisers"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=EventVisibility.choices,
        help_text=_("Events by invitation are seen only by the invited and the organisers."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)
    registration_opens_at = forms.DateTimeField(
        label=_("Registration opens"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("In the event's time zone. Leave empty to open now."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("In the event's time zone. Leave empty to close at the end of the event."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit. When full, people join the waiting list."),
    )
    requires_approval = forms.BooleanField(label=_("Registrations need approval"), required=False)
    registration_fields = forms.MultipleChoiceField(
        label=_("Questions of the registration form"),
        choices=RegistrationField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisers_queryset=None, event=None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(event)
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["time_zone"].choices = time_zone_choices()
        languages = language_choices()
        self.fields["languages"].choices = languages
        self.fields["content_language"].choices = [("", "—"), *languages]
        if organisers_queryset is not None:
            self.fields["organisers"].queryset = organisers_queryset
        if not self.is_bound and "time_zone" not in self.initial:
            self.initial["time_zone"] = "Europe/Brussels"

    @staticmethod
    def initial_from(event) -> dict:
        zone = event.tz
        return {
            **{
                name: getattr(event, name)
                for name in (
                    "title",
                    "slug",
                    "kind",
                    "format",
                    "venue_name",
                    "address",
                    "city",
                    "country",
                    "online_url",
                    "time_zone",
                    "starts_on",
                    "ends_on",
                    "languages",
                    "content_language",
                    "description",
                    "contact_name",
                    "contact_email",
                    "visibility",
                    "is_published",
                    "capacity",
                    "requires_approval",
                    "registration_fields",
                )
            },
            "organisers": list(event.organisers.all()),
            "registration_opens_at": _as_wall_clock(event.registration_opens_at, zone),
            "registration_closes_at": _as_wall_clock(event.registration_closes_at, zone),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        zone = ZoneInfo(data.get("time_zone") or "UTC")
        for name in ("registration_opens_at", "registration_closes_at"):
            try:
                data[name] = in_zone(data.get(name), zone)
            except ValidationError as error:
                self.add_error(name, error)
                data.pop(name, None)
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if data.get("format") in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not (
            data.get("city") or data.get("venue_name")
        ):
            self.add_error("city", _("Say where the event takes place."))
        return data

    def service_fields(self) -> dict:
        """The cleaned data as the keyword arguments of `create_event`/`update_event`."""
        data = dict(self.cleaned_data)
        if not data.get("slug"):
            data.pop("slug", None)
        data["organisers"] = list(data.get("organisers") or [])
        return data


class SessionForm(forms.Form):
    """A session of the programme; times in the event's time zone."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_INPUT)
    time_tbc = forms.BooleanField(label=_("Time to be confirmed"), required=False)
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False)
    place_name = forms.CharField(
        label=_("Outside place"),
        max_length=300,
        required=False,
        help_text=_("When the session is in none of the rooms, e.g. a reception at the city hall."),
    )
    place_tbc = forms.BooleanField(label=_("Place to be confirmed"), required=False)
    track = forms.ModelChoiceField(label=_("Track"), queryset=Theme.objects.all(), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    speakers = forms.CharField(
        label=_("Speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, with the affiliation after a comma: “Ada Colau, Barcelona”."),
    )
    moderators = forms.CharField(
        label=_("Moderators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, with the affiliation after a comma."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation into"), required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    audience = forms.ChoiceField(label=_("Open to"), choices=SessionAudience.choices)
    invited = ModelIdsField(
        label=_("Invited participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For sessions open to invited participants only."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to the participants the session is open to."),
    )
    is_cancelled = forms.BooleanField(label=_("Cancelled"), required=False)

    def __init__(self, *args, event, session=None, **kwargs):
        self.event = event
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(session)
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = event.rooms.all()
        self.fields["invited"].queryset = (
            event.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
            .select_related("organisation")
            .order_by("participant_name", "pk")
        )
        self.fields["invited"].label_from_instance = lambda registration: (
            f"{registration.participant_name} ({registration.organisation.name})"
            if registration.organisation_id
            else registration.participant_name
        )
        languages = language_choices()
        self.fields["languages"].choices = languages
        self.fields["interpretation"].choices = languages

    @staticmethod
    def initial_from(session) -> dict:
        zone = session.event.tz
        people = list(session.people.all())

        def lines(role):
            return "\n".join(
                ", ".join(filter(None, [p.display_name, p.affiliation]))
                for p in people
                if p.role == role
            )

        return {
            "title": session.title,
            "kind": session.kind,
            "starts_at": _as_wall_clock(session.starts_at, zone),
            "ends_at": _as_wall_clock(session.ends_at, zone),
            "time_tbc": session.time_tbc,
            "room": session.room_id,
            "place_name": session.place_name,
            "place_tbc": session.place_tbc,
            "track": session.track_id,
            "description": session.description,
            "speakers": lines("speaker"),
            "moderators": lines("moderator"),
            "languages": session.languages,
            "interpretation": session.interpretation,
            "capacity": session.capacity,
            "audience": session.audience,
            "online_url": session.online_url,
            "is_cancelled": session.is_cancelled,
            "invited": list(session.invited.all()),
        }

    @staticmethod
    def _people(text: str) -> list[tuple[str, str]]:
        people = []
        for line in (text or "").splitlines():
            name, _comma, affiliation = line.partition(",")
            if name.strip():
                people.append((name.strip()[:200], affiliation.strip()[:300]))
        return people

    def clean(self):
        data = super().clean()
        zone = self.event.tz
        for name in ("starts_at", "ends_at"):
            try:
                data[name] = in_zone(data.get(name), zone)
            except ValidationError as error:
                self.add_error(name, error)
                data.pop(name, None)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        if data.get("room") and data.get("place_name"):
            self.add_error("place_name", _("Choose a room or name an outside place, not both."))
        data["speakers"] = self._people(data.get("speakers"))
        data["moderators"] = self._people(data.get("moderators"))
        return data


class RegistrationForm(forms.Form):
    """Register oneself, or (an officer) a member of one's delegation, with the
    questions the organisers chose."""

    participant_name = forms.CharField(label=_("Name"), max_length=200)
    participant_email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    position = forms.ChoiceField(
        label=pgettext_lazy("a person's role in the organisation", "Position"),
        required=False,
        choices=[("", "—"), *Position.choices],
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, sign language, hearing loop, …"),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers process these details to run the event "
            "and share my name and organisation with the other participants."
        ),
        required=True,
    )

    def __init__(self, *args, event, organisations, delegation: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.delegation = delegation
        asked = set(event.registration_fields or [])
        optional = {
            RegistrationField.ORGANISATION: "organisation",
            RegistrationField.POSITION: "position",
            RegistrationField.ACCESSIBILITY_NEEDS: "accessibility_needs",
            RegistrationField.DIETARY_NEEDS: "dietary_needs",
            RegistrationField.CONSENT: "consent",
        }
        for value, name in optional.items():
            # A delegation is always registered for the officer's organisation.
            if value not in asked and not (delegation and name == "organisation"):
                del self.fields[name]
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = delegation
            if delegation:
                self.fields["organisation"].help_text = _(
                    "The organisation the participant belongs to and you register for."
                )
        if delegation and "consent" in self.fields:
            self.fields["consent"].label = _(
                "The participant agreed that the organisers process these details to run "
                "the event and share their name and organisation with the other participants."
            )
        if not delegation and user is not None:
            self.fields["participant_name"].initial = user.get_full_name() or ""
            self.fields["participant_email"].initial = user.email
            self.fields["participant_email"].disabled = True
            self.fields["participant_email"].help_text = _(
                "The address of your account; confirmations are sent there."
            )

    def answers(self) -> dict:
        """The answers to the organisers' questions, as the service expects them."""
        data = self.cleaned_data
        answers = {
            name: data[name]
            for name in ("position", "accessibility_needs", "dietary_needs")
            if name in self.fields
        }
        if "consent" in self.fields:
            answers["consent"] = bool(data.get("consent"))
        return answers


class ParticipantFilterForm(forms.Form):
    """Filters of the organisers' participant list (GET)."""

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *RegistrationStatus.choices]
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(event_registrations__event=event)
            .distinct()
            .order_by("name")
        )
        self.fields["organisation"].empty_label = _("Any")
        self.fields["country"].choices = [("", _("Any")), *country_choices()]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}


class ProgrammeFilterForm(forms.Form):
    """Filters of the programme list (GET): track, kind and language; `tracks`
    and `languages` are (code, label) pairs of those the programme uses."""

    track = forms.ChoiceField(label=_("Track"), required=False)
    kind = forms.ChoiceField(label=_("Kind of session"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, tracks, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", _("All tracks")), *tracks]
        self.fields["kind"].choices = [("", _("All kinds")), *SessionKind.choices]
        self.fields["language"].choices = [("", _("All languages")), *languages]


@cache
def _zone_options() -> str:
    return "".join(
        format_html('<option value="{}">{}</option>', value, label)
        for value, label in time_zone_choices()
    )


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(value for value, _label in time_zone_choices())


class ZoneSelect(forms.Widget):
    """The select of some 440 time zones, written directly: through the form
    renderer's templates it took most of a programme page's time (see
    docs/benchmarks.md), and a ChoiceField normalises its choices again on
    every request."""

    def __init__(self, first_label: str = "", attrs=None):
        super().__init__(attrs)
        self.first_label = first_label

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        options = format_html('<option value="">{}</option>', self.first_label)
        options += _zone_options()
        if value and value in _zone_names():
            needle = format_html('<option value="{}">', value)
            options = options.replace(needle, needle[:-1] + " selected>", 1)
        options = mark_safe(options)  # noqa: S308 (escaped above)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class TimeZoneForm(forms.Form):
    """Show the times in another zone than the event's (GET `tz`)."""

    tz = forms.CharField(label=_("Show times in"), required=False, max_length=64)

    def __init__(self, *args, event_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tz"].widget = ZoneSelect(
            _("the event's time zone (%(zone)s)") % {"zone": event_zone}
        )

    def clean_tz(self) -> str:
        value = self.cleaned_data["tz"]
        if value and value not in _zone_names():
            # Django's own message, translated in its catalogues.
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return value

    def zone(self) -> ZoneInfo | None:
        if self.is_valid() and self.cleaned_data.get("tz"):
            return ZoneInfo(self.cleaned_data["tz"])
        return None


class RoomForm(forms.Form):
    """A room of the venue, an outside place or a virtual room."""

    name = forms.CharField(label=_("Name"), max_length=200)
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        required=False,
        help_text=_("Sessions in this room take no more participants. Leave empty for no limit."),
    )
    is_outside_venue = forms.BooleanField(
        label=_("Outside the venue (e.g. a reception at the city hall)"), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    order = forms.IntegerField(
        label=_("Position in the timetable"), min_value=0, max_value=32767, required=False
    )

    def __init__(self, *args, room=None, **kwargs):
        if room is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(room, name)
                for name in (
                    "name",
                    "capacity",
                    "is_outside_venue",
                    "address",
                    "online_url",
                    "order",
                )
            }
        super().__init__(*args, **kwargs)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["order"] = data.get("order") or 0
        return data


class DayThemesForm(forms.Form):
    """The theme of each day of the event ("Working for the planet")."""

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = list(days)
        for day in self.days:
            self.fields[f"day_{day.pk}"] = forms.CharField(
                label=date_format(day.date, "l j F Y"),
                max_length=250,
                required=False,
                initial=day.theme,
            )

    def changed_themes(self):
        """(day, new theme) for each day whose theme changed."""
        for day in self.days:
            theme = self.cleaned_data.get(f"day_{day.pk}", "").strip()
            if theme != day.theme:
                yield day, theme
