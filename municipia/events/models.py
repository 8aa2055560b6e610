import secrets
from datetime import date
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipia.directory.enums import Position
from municipia.validators import dates_off_the_calendar

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    AgendaStatus,
    EventFormat,
    EventKind,
    EventVisibility,
    RegistrationStatus,
    SessionAudience,
    SessionKind,
    SessionRole,
)


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Brussels."),
            code="invalid_time_zone",
            params={"value": value},
        )


def new_feed_token() -> str:
    # 32 random bytes: the token alone gives access to a private calendar.
    return secrets.token_urlsafe(32)


# The longest an event may last: each of its days is a row.
MAX_EVENT_DAYS = 366


class Event(models.Model):
    """A retreat, seminar, congress or webinar the network runs."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    format = models.CharField(
        _("format"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address of the venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2")
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to confirmed participants."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("Times of the programme are shown in this time zone, e.g. Europe/Madrid."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Language codes of the event, e.g. ["en", "fr"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    content_language = models.CharField(_("language of the description"), max_length=8, blank=True)
    organisers = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="organised_events",
        verbose_name=_("organisers"),
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    visibility = models.CharField(
        _("visible to"),
        max_length=16,
        choices=EventVisibility.choices,
        default=EventVisibility.PUBLIC,
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    # RegistrationField values the form asks for, e.g. ["position", "consent"].
    registration_fields = models.JSONField(
        _("questions of the registration form"), default=list, blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "starts_on"], name="event_published_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ValueError, KeyError, OSError):
            return ZoneInfo("UTC")

    def clean(self):
        super().clean()
        errors = dates_off_the_calendar(self, "starts_on", "ends_on")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        elif (
            self.starts_on
            and self.ends_on
            and (self.ends_on - self.starts_on).days >= MAX_EVENT_DAYS
            and "ends_on" not in errors
        ):
            # Each day of an event is a row (its theme, its programme tab).
            errors["ends_on"] = _("An event lasts at most %(days)s days.") % {
                "days": MAX_EVENT_DAYS
            }
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.country:
            self.country = self.country.upper()
        if errors:
            raise ValidationError(errors)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        if self.registration_closes_at and now >= self.registration_closes_at:
            return False
        return self.ends_on >= now.astimezone(self.tz).date()

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)


class Day(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="days", verbose_name=_("event")
    )
    date = models.DateField(_("date"))
    theme = models.CharField(_("theme of the day"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event_id", "date"]
        verbose_name = _("day")
        verbose_name_plural = _("days")
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="unique_event_day")]

    def __str__(self):
        return f"{self.date.isoformat()} {self.theme}".strip()


class Room(models.Model):
    """A room of the venue, an outside place (a reception at the city hall) or
    a virtual room."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_outside_venue = models.BooleanField(_("outside the venue"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event_id", "order", "name", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_event_room")]

    def __str__(self):
        return self.name


class Session(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    # The guid of the session in an imported programme: re-imports update by it.
    external_id = models.CharField(
        _("identifier in the imported programme"), max_length=200, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_tbc = models.BooleanField(_("time to be confirmed"), default=False)
    place_tbc = models.BooleanField(_("place to be confirmed"), default=False)
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    place_name = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("An outside place when the session is in none of the rooms."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.PLENARY
    )
    track = models.ForeignKey(
        "taxonomy.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("track"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to participants the session is open to."),
    )
    audience = models.CharField(
        _("open to"),
        max_length=16,
        choices=SessionAudience.choices,
        default=SessionAudience.REGISTERED,
    )
    invited = models.ManyToManyField(
        "Registration",
        blank=True,
        related_name="invitations",
        verbose_name=_("invited participants"),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # Raised on every change so that calendars replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "room__order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["event", "external_id"],
                condition=~Q(external_id=""),
                name="unique_session_external_id",
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"], name="session_event_start")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        if (
            self.starts_at
            and self.event_id
            and not (self.event.starts_on <= self.day <= self.event.ends_on)
        ):
            raise ValidationError(
                {
                    "starts_at": _("A session takes place during the event: %(first)s to %(last)s.")
                    % {
                        "first": date_format(self.event.starts_on, "DATE_FORMAT"),
                        "last": date_format(self.event.ends_on, "DATE_FORMAT"),
                    }
                }
            )
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            raise ValidationError({"room": _("This room belongs to another event.")})

    @property
    def day(self) -> date:
        """The date of the session where the event takes place."""
        return timezone.localtime(self.starts_at, self.event.tz).date()

    @property
    def location(self) -> str:
        if self.room_id:
            room = self.room
            return f"{room.name}, {room.address}" if room.address else room.name
        return self.place_name

    @property
    def effective_capacity(self) -> int | None:
        """Seats of the session: its own limit, else the seats of its room."""
        if self.capacity is not None:
            return self.capacity
        if self.room_id is not None:
            return self.room.capacity
        return None

    @property
    def effective_online_url(self) -> str:
        """Where to join online: the session's own link, else its virtual room's,
        else the event's. Only for those `rules.can_see_online_link` allows."""
        if self.online_url:
            return self.online_url
        if self.room_id is not None and self.room.online_url:
            return self.room.online_url
        return self.event.online_url

    @property
    def is_restricted(self) -> bool:
        return self.audience in (SessionAudience.PRINCIPALS, SessionAudience.INVITED)


class SessionPerson(models.Model):
    """A speaker or moderator: a person of the directory or a guest."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="people", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session_roles",
        verbose_name=_("person"),
    )
    guest_name = models.CharField(_("guest name"), max_length=200, blank=True)
    guest_affiliation = models.CharField(_("guest affiliation"), max_length=300, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=SessionRole.choices, default=SessionRole.SPEAKER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session_id", "order", "pk"]
        verbose_name = _("speaker or moderator")
        verbose_name_plural = _("speakers and moderators")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""),
                name="session_person_has_name",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id is not None:
            return self.person.name
        return self.guest_name

    @property
    def affiliation(self) -> str:
        if self.person_id is not None:
            return self.person.organisation.name
        return self.guest_affiliation


class Registration(models.Model):
    """One participant's place at an event. An officer may register someone
    else (their mayor), who may have no account."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("user"),
    )
    participant_name = models.CharField(_("name"), max_length=200)
    # Stored lower-cased so that one address registers once.
    participant_email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language for e-mails"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    position = models.CharField(
        pgettext_lazy("a person's role in the organisation", "position"),
        max_length=32,
        blank=True,
        choices=Position.choices,
    )
    is_principal = models.BooleanField(
        _("principal or mayor"),
        default=False,
        help_text=_("Principals and mayors may join sessions reserved for them."),
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    consent_given_at = models.DateTimeField(_("consent given on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("attended"), null=True, blank=True)
    feed_token = models.CharField(
        max_length=64, unique=True, default=new_feed_token, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event_id", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES) & Q(user__isnull=False),
                name="one_active_registration_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "participant_email"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="one_active_registration_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "status_changed_at"], name="registration_queue")
        ]

    def __str__(self):
        return f"{self.participant_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED


class AgendaItem(models.Model):
    """A session a participant picked for their personal agenda."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("session")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.CONFIRMED
    )
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="unique_agenda_item")
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="agenda_session_queue")
        ]

    def __str__(self):
        return f"{self.registration_id} → {self.session_id}"
