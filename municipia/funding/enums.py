from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("funding call", "Draft")
    OPEN = "open", pgettext_lazy("funding call", "Open")
    CLOSED = "closed", pgettext_lazy("funding call", "Closed")


class CountryGroup(models.TextChoices):
    """Named groups of countries a call may be open to; the same codes (and labels)
    as the partner filters of matching (`matching.countries.COUNTRY_GROUPS`)."""

    EU = "eu", _("EU member states")
    CANDIDATES = "candidates", _("EU candidate and potential candidate countries")
    EASTERN_PARTNERSHIP = "eastern_partnership", _("Eastern Partnership")


class SearchStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("partner search", "Open")
    COMPLETE = "complete", pgettext_lazy("partner search", "Complete")
    CLOSED = "closed", pgettext_lazy("partner search", "Closed")


class InterestStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined")


# What the owner of a search may do next with an expression of interest.
INTEREST_TRANSITIONS: dict[str, frozenset[str]] = {
    InterestStatus.INTERESTED: frozenset(
        {InterestStatus.SHORTLISTED, InterestStatus.INVITED, InterestStatus.DECLINED}
    ),
    InterestStatus.SHORTLISTED: frozenset({InterestStatus.INVITED, InterestStatus.DECLINED}),
    InterestStatus.INVITED: frozenset({InterestStatus.DECLINED}),
    InterestStatus.DECLINED: frozenset({InterestStatus.INTERESTED, InterestStatus.SHORTLISTED}),
}

DEFAULT_ALERT_DAYS = (30, 7, 1)
