from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    RETREAT = "retreat", _("Retreat")
    SEMINAR = "seminar", _("Seminar")
    CAMPUS = "campus", pgettext_lazy("kind of event", "Campus")
    CONGRESS = "congress", _("Congress")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", pgettext_lazy("kind of event", "Training")
    WEBINAR = "webinar", _("Webinar")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network")
    INVITATION = "invitation", _("By invitation")


class RegistrationField(models.TextChoices):
    """Optional questions an organiser may add to the registration form."""

    POSITION = "position", pgettext_lazy("a person's role in the organisation", "Position")
    ORGANISATION = "organisation", _("Organisation")
    ACCESSIBILITY_NEEDS = "accessibility_needs", _("Accessibility needs")
    DIETARY_NEEDS = "dietary_needs", _("Dietary needs")
    CONSENT = "consent", _("Consent to the processing of personal data")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")


# A registration in one of these statuses holds (or waits for) a place; the
# others are kept for the record but free the person to register again.
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING_LIST,
)


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    WORKSHOP = "workshop", _("Workshop")
    BREAKOUT = "breakout", _("Breakout session")
    SIDE_EVENT = "side_event", _("Side event")
    RECEPTION = "reception", _("Reception")
    NETWORKING = "networking", _("Networking")
    TRAINING = "training", pgettext_lazy("kind of session", "Training")


class SessionAudience(models.TextChoices):
    REGISTERED = "registered", _("All registered participants")
    PRINCIPALS = "principals", _("Principals and mayors only")
    INVITED = "invited", _("Invited participants only")
    PUBLIC = "public", _("Open to the public")


class SessionRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")


class AgendaStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING_LIST = "waiting_list", _("On the waiting list")
