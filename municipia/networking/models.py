"""The networking centre of an event: who opted in, the meeting grid set by the
organisers (periods, slots, tables and virtual rooms), meeting requests between
parties, the meetings placed on the grid, blocked times and the audit report of
every scheduler run.

A *party* is who meets: one registration, or a delegation — the participants of
one organisation at the event meeting as one. A request names the registration
that speaks for each side and, for a delegation, its organisation.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .enums import (
    AttendanceMode,
    MeetingPlace,
    MeetingPointKind,
    Priority,
    RequestStatus,
    RunStatus,
)


def new_room_token() -> str:
    return secrets.token_urlsafe(12)


class NetworkingProfile(models.Model):
    """A participant's opt-in to the networking centre of their event."""

    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="networking_profile",
        verbose_name=_("registration"),
    )
    is_active = models.BooleanField(_("open to meeting requests"), default=True)
    topics = models.TextField(
        _("what I would like to discuss"),
        blank=True,
        help_text=_("A few lines other participants read before asking you for a meeting."),
    )
    # Language codes, e.g. ["en", "fr"].
    languages = models.JSONField(_("languages I can meet in"), default=list, blank=True)
    mode = models.CharField(
        _("I can meet"),
        max_length=16,
        choices=AttendanceMode.choices,
        default=AttendanceMode.ON_SITE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("networking profile")
        verbose_name_plural = _("networking profiles")

    def __str__(self):
        return str(self.registration.participant_name)


class MeetingGrid(models.Model):
    """The organisers' settings of an event's networking centre."""

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting_grid",
        verbose_name=_("event"),
    )
    is_open = models.BooleanField(_("participants may send meeting requests"), default=True)
    use_networking_sessions = models.BooleanField(
        _("meet during the programme's networking sessions"), default=True
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of a meeting (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("break between meetings (minutes)"),
        default=5,
        validators=[MaxValueValidator(120)],
    )
    answer_deadline = models.DateTimeField(
        _("requests expire when unanswered by"),
        null=True,
        blank=True,
        help_text=_("Leave empty to let requests wait for an answer until the event."),
    )
    max_requests = models.PositiveSmallIntegerField(
        _("requests a participant may send"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting grid")
        verbose_name_plural = _("meeting grids")

    def __str__(self):
        return str(self.event)


class NetworkingPeriod(models.Model):
    """A time set aside for bilateral meetings besides the networking sessions."""

    grid = models.ForeignKey(
        MeetingGrid, on_delete=models.CASCADE, related_name="periods", verbose_name=_("grid")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("networking period")
        verbose_name_plural = _("networking periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="networking_period_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name or f"{self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A period must end after it starts.")})


class MeetingPoint(models.Model):
    """A table or meeting point on site, or a virtual room online."""

    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting_points",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingPointKind.choices, default=MeetingPointKind.ON_SITE
    )
    capacity = models.PositiveSmallIntegerField(
        _("parties seated"),
        default=2,
        validators=[MaxValueValidator(50)],
        help_text=_("A bilateral meeting needs two; a table seating fewer is not used."),
    )
    location = models.CharField(
        _("where to find it"), max_length=200, blank=True, help_text=_("e.g. Hall B, by the window")
    )
    online_url = models.URLField(
        _("link of the virtual room"),
        max_length=500,
        blank=True,
        help_text=_("Each meeting gets its own link built on this one."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event_id", "order", "name", "pk"]
        verbose_name = _("meeting point")
        verbose_name_plural = _("meeting points")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_meeting_point_name")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == MeetingPointKind.VIRTUAL and not self.online_url:
            raise ValidationError({"online_url": _("A virtual room needs a link.")})


class Slot(models.Model):
    """One meeting time of the grid, built from the periods by the organisers."""

    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting_slots",
        verbose_name=_("event"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The networking period the slot belongs to: idle gaps are counted within it.
    period = models.CharField(_("period"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="unique_meeting_slot"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The time in the event's time zone, e.g. "Wed 10 Mar, 14:00–14:20"."""
        tz = self.event.tz
        start = date_format(timezone.localtime(self.starts_at, tz), "D j M, H:i")
        return f"{start}–{date_format(timezone.localtime(self.ends_at, tz), 'H:i')}"


class MeetingRequest(models.Model):
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting_requests",
        verbose_name=_("event"),
    )
    requester = models.ForeignKey(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="sent_meeting_requests",
        verbose_name=_("from"),
    )
    # Set when the requester's whole delegation (their organisation's
    # participants at the event) meets as one party.
    requester_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the delegation of"),
    )
    recipient = models.ForeignKey(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="received_meeting_requests",
        verbose_name=_("to"),
    )
    recipient_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to the delegation of"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    mode = models.CharField(
        _("meet"), max_length=16, choices=MeetingPlace.choices, default=MeetingPlace.ANY
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    # A time one side asked for; accepted, it becomes the meeting's slot.
    proposed_slot = models.ForeignKey(
        Slot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed time"),
    )
    proposed_by = models.ForeignKey(
        "events.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("time proposed by"),
    )
    deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    response = models.TextField(_("answer"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="meeting_request_two_parties"
            ),
            # One open request per pair and direction; asking again after a
            # decline or expiry is allowed.
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["requested", "accepted"]),
                name="one_open_meeting_request",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="meeting_request_status"),
            models.Index(fields=["status", "deadline"], name="meeting_request_deadline"),
        ]

    def __str__(self):
        return f"{self.requester} → {self.recipient}"

    @property
    def requester_party(self) -> tuple[str, int]:
        if self.requester_organisation_id:
            return ("organisation", self.requester_organisation_id)
        return ("registration", self.requester_id)

    @property
    def recipient_party(self) -> tuple[str, int]:
        if self.recipient_organisation_id:
            return ("organisation", self.recipient_organisation_id)
        return ("registration", self.recipient_id)

    @property
    def requester_label(self) -> str:
        if self.requester_organisation_id:
            return _("Delegation of %(name)s") % {"name": self.requester_organisation.name}
        return self.requester.participant_name

    @property
    def recipient_label(self) -> str:
        if self.recipient_organisation_id:
            return _("Delegation of %(name)s") % {"name": self.recipient_organisation.name}
        return self.recipient.participant_name


class Meeting(models.Model):
    """An accepted request placed on a slot and a meeting point."""

    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting", verbose_name=_("request")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("time")
    )
    meeting_point = models.ForeignKey(
        MeetingPoint,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("table or room"),
    )
    # Agreed by hand (a proposed time accepted, or set by an organiser): stays
    # where it is even in a full re-plan.
    is_pinned = models.BooleanField(_("fixed by hand"), default=False)
    room_token = models.CharField(max_length=32, default=new_room_token, editable=False)
    run = models.ForeignKey(
        "SchedulerRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("placed by run"),
    )
    requester_no_show = models.BooleanField(_("the requester did not come"), default=False)
    recipient_no_show = models.BooleanField(_("the recipient did not come"), default=False)
    # Raised on every move so that calendars replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "meeting_point__order", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # A table hosts one meeting at a time: the last guard against
            # double-booking when two writers place meetings at once.
            models.UniqueConstraint(fields=["slot", "meeting_point"], name="one_meeting_per_table")
        ]

    def __str__(self):
        return f"{self.request} @ {self.slot}"

    @property
    def online_url(self) -> str:
        """The meeting's own link in a virtual room."""
        point = self.meeting_point
        if point.kind != MeetingPointKind.VIRTUAL or not point.online_url:
            return ""
        separator = "&" if "?" in point.online_url else "?"
        return f"{point.online_url}{separator}meeting={self.room_token}"


class AvailabilityBlock(models.Model):
    """A time a participant keeps free of meetings."""

    registration = models.ForeignKey(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="availability_blocks",
        verbose_name=_("registration"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("blocked time")
        verbose_name_plural = _("blocked times")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_block_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class SchedulerRun(models.Model):
    """One run of the scheduler with its audit report."""

    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="scheduler_runs",
        verbose_name=_("event"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    replan = models.BooleanField(_("full re-plan"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # requested, scheduled, bound, greedy, per-party shortfall, table use,
    # reasons of the unscheduled requests: see services.run_scheduler.
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self):
        return f"{self.event} {self.started_at:%Y-%m-%d %H:%M}"
