from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AttendanceMode(models.TextChoices):
    """How a participant takes part in the networking centre (scheduler ``Mode``)."""

    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    BOTH = "both", _("On site or online")


class MeetingPointKind(models.TextChoices):
    """A table on site or a virtual room (scheduler ``TableKind``)."""

    ON_SITE = "on_site", _("Table or meeting point on site")
    VIRTUAL = "virtual", _("Virtual room")


class MeetingPlace(models.TextChoices):
    """Where a request asks to meet (scheduler ``Requirement``)."""

    ANY = "any", _("On site or online")
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("meeting request", "Awaiting an answer")
    ACCEPTED = "accepted", pgettext_lazy("meeting request", "Accepted")
    DECLINED = "declined", pgettext_lazy("meeting request", "Declined")
    EXPIRED = "expired", pgettext_lazy("meeting request", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("meeting request", "Cancelled")


# Requests in these statuses may still lead to a meeting.
OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED)


class Priority(models.IntegerChoices):
    NORMAL = 1, pgettext_lazy("priority", "Normal")
    HIGH = 2, pgettext_lazy("priority", "High")
    ESSENTIAL = 3, pgettext_lazy("priority", "Essential")


class RunStatus(models.TextChoices):
    RUNNING = "running", pgettext_lazy("scheduler run", "Running")
    DONE = "done", pgettext_lazy("scheduler run", "Done")
    FAILED = "failed", pgettext_lazy("scheduler run", "Failed")
