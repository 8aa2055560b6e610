import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.directory.enums import OrganisationType

from .enums import DEFAULT_ALERT_DAYS, CallStatus, CountryGroup, InterestStatus, SearchStatus


def _default_alert_days():
    return list(DEFAULT_ALERT_DAYS)


def _new_token():
    return secrets.token_urlsafe(32)


class FundingCall(models.Model):
    """A call for proposals: who funds it, how much, who may apply and with whom.

    Country lists hold ISO 3166-1 alpha-2 codes and group codes (`CountryGroup`);
    an empty list means "no restriction". Partner counts include the lead partner.
    """

    funder = models.CharField(_("funder"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    link = models.URLField(_("link to the call"), blank=True, max_length=500)
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    # When the funded work (project or contract) runs, as the call states it.
    work_starts_on = models.DateField(_("project or contract from"), null=True, blank=True)
    work_ends_on = models.DateField(_("project or contract until"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone of the deadline"),
        max_length=64,
        default="Europe/Brussels",
        help_text=_("The deadline is shown in this time zone, e.g. Europe/Brussels."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    budget = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amounts_exclude_vat = models.BooleanField(
        _("amounts exclude VAT"),
        default=False,
        help_text=_("The budget and grants are stated excluding VAT."),
    )
    grant_min = models.DecimalField(
        _("smallest grant"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    grant_max = models.DecimalField(
        _("largest grant"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    co_financing_rate = models.PositiveSmallIntegerField(
        _("co-financing rate (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the costs the funder pays, in per cent."),
    )
    eligible_countries = models.JSONField(_("eligible countries"), default=list, blank=True)
    eligible_groups = models.JSONField(_("eligible country groups"), default=list, blank=True)
    eligible_types = models.JSONField(_("eligible applicant types"), default=list, blank=True)
    min_partners = models.PositiveSmallIntegerField(
        _("minimum number of partners"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Including the lead partner."),
    )
    max_partners = models.PositiveSmallIntegerField(
        _("maximum number of partners"),
        null=True,
        blank=True,
        help_text=_("Including the lead partner. Empty: no maximum."),
    )
    min_countries = models.PositiveSmallIntegerField(
        _("minimum number of countries"), default=1, validators=[MinValueValidator(1)]
    )
    max_per_country = models.PositiveSmallIntegerField(
        _("maximum partners from one country"), null=True, blank=True
    )
    min_from_group = models.CharField(
        _("country group with a minimum"), max_length=32, choices=CountryGroup.choices, blank=True
    )
    min_from_group_count = models.PositiveSmallIntegerField(
        _("minimum number of partners from that group"), null=True, blank=True
    )
    lead_countries = models.JSONField(_("countries of the lead partner"), default=list, blank=True)
    lead_groups = models.JSONField(
        _("country groups of the lead partner"), default=list, blank=True
    )
    lead_types = models.JSONField(_("types of the lead partner"), default=list, blank=True)
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, verbose_name=_("themes"))
    sdgs = models.ManyToManyField(
        "taxonomy.SustainableDevelopmentGoal",
        blank=True,
        verbose_name=_("Sustainable Development Goals"),
    )
    languages = models.JSONField(_("languages of applications"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    published_by_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_calls",
        verbose_name=_("published by (organisation)"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_calls",
        verbose_name=_("followed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        indexes = [models.Index(fields=["status", "deadline"], name="call_status_deadline")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:call", kwargs={"pk": self.pk})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_deadline(self):
        return timezone.localtime(self.deadline, self.tz)

    @property
    def deadline_passed(self) -> bool:
        return self.deadline <= timezone.now()

    @property
    def is_accepting(self) -> bool:
        """Open and its deadline still ahead."""
        return self.status == CallStatus.OPEN and not self.deadline_passed

    def clean(self):
        from .validation import call_problems

        errors = call_problems(self)
        if errors:
            raise ValidationError(errors)


class PartnerSearch(models.Model):
    """An organisation looking for partners, for a call or for its own purpose."""

    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="partner_searches",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    call = models.ForeignKey(
        FundingCall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_searches",
        verbose_name=_("funding call"),
    )
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, verbose_name=_("themes"))
    partners_sought = models.PositiveSmallIntegerField(
        _("number of partners sought"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    countries = models.JSONField(_("countries"), default=list, blank=True)
    country_groups = models.JSONField(_("country groups"), default=list, blank=True)
    kinds = models.JSONField(_("types of organisation"), default=list, blank=True)
    population_min = models.PositiveBigIntegerField(_("population from"), null=True, blank=True)
    population_max = models.PositiveBigIntegerField(_("population up to"), null=True, blank=True)
    deadline = models.DateField(_("reply by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SearchStatus.choices, default=SearchStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # Set once the fitting organisations have been told, so that the task runs once.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("published on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner search")
        verbose_name_plural = _("partner searches")
        indexes = [models.Index(fields=["status", "-created_at"], name="search_status_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:search", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if (
            self.population_min is not None
            and self.population_max is not None
            and self.population_min > self.population_max
        ):
            errors["population_max"] = _("The largest population is below the smallest.")
        unknown = sorted(set(self.kinds or ()) - set(OrganisationType.values))
        if unknown:
            errors["kinds"] = _("Unknown types of organisation: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        unknown = sorted(set(self.country_groups or ()) - set(CountryGroup.values))
        if unknown:
            errors["country_groups"] = _("Unknown country groups: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        if errors:
            raise ValidationError(errors)


class ExpressionOfInterest(models.Model):
    """An organisation's answer to a partner search, and where the owner put it."""

    search = models.ForeignKey(
        PartnerSearch,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("partner search"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="expressions_of_interest",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InterestStatus.choices,
        default=InterestStatus.INTERESTED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["search", "organisation"], name="one_interest_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} → {self.search_id}: {self.status}"


class DeadlineAlertSettings(models.Model):
    """When a user wants to be reminded of the deadlines of the calls they follow,
    and the private token of their deadline calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deadline_alert_settings",
        verbose_name=_("user"),
    )
    days_before = models.JSONField(
        _("days before the deadline"),
        default=_default_alert_days,
        blank=True,
        help_text=_("For example 30, 7 and 1. Empty: no reminders."),
    )
    feed_token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deadline alert settings")
        verbose_name_plural = _("deadline alert settings")

    def __str__(self):
        return str(self.user_id)


class DeadlineAlertSent(models.Model):
    """One reminder sent: the unique constraint makes the alert task idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    # The deadline the reminder was about: when a call's deadline moves, reminders
    # for the new date are sent again.
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "call", "days_before", "deadline"], name="one_alert_per_interval"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.call_id} −{self.days_before}"
