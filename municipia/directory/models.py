import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import ImportKind, ImportStatus, OrganisationType, Position, Visibility
from .text import decode_codes

# Above any local or regional government's (the largest have some 30 million).
MAX_POPULATION = 100_000_000


class Organisation(models.Model):
    """A local or regional government, national association, network or partner."""

    name = models.CharField(_("official name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    kind = models.CharField(
        _("type"), max_length=32, choices=OrganisationType.choices, db_index=True
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, db_index=True, help_text=_("ISO 3166-1 alpha-2")
    )
    region_code = models.CharField(
        _("region code"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("First-level administrative region, as COUNTRY.CODE (GeoNames admin1)"),
    )
    region_name = models.CharField(_("region"), max_length=200, blank=True)
    population = models.PositiveBigIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_POPULATION)],
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    # ISO 639-1 codes, e.g. ["de", "en"]. Stored as a delimited string
    # (",de,en,") so that a language filter is one indexed LIKE on SQLite and
    # PostgreSQL alike.
    working_languages = models.CharField(_("working languages"), max_length=200, blank=True)
    partnership_interests = models.CharField(_("partnership interests"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(
        _("language of the description"), max_length=8, blank=True
    )
    is_looking_for_partners = models.BooleanField(_("looking for partners"), default=True)
    visibility = models.CharField(
        _("profile visible to"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    geonames_id = models.PositiveBigIntegerField(
        _("GeoNames id"), null=True, blank=True, unique=True
    )
    # Set on the national associations that `import_places` creates so that there
    # is one per country from the start; cleared once someone completes the profile.
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Created automatically; the details are still to be completed."),
    )
    # Name and every alternate name, lower-cased and without accents, for
    # "Koln" → Köln searches that work the same on both databases.
    search_text = models.TextField(editable=False, blank=True, default="")
    member_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrganisationType.NATIONAL_ASSOCIATION},
        verbose_name=_("member of national associations"),
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["country", "kind", "population"], name="org_country_kind_pop"),
            models.Index(fields=["kind", "population"], name="org_kind_pop"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def working_language_codes(self) -> list[str]:
        return decode_codes(self.working_languages)

    @property
    def partnership_interest_codes(self) -> list[str]:
        return decode_codes(self.partnership_interests)


class OrganisationName(models.Model):
    """The organisation's name in another language ("Cologne", "Colonia" for Köln)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="other_names"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "name"]
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language", "name"], name="unique_organisation_name"
            )
        ]

    def __str__(self):
        return self.name


class ProfileStatement(models.Model):
    """What challenges and offers of expertise have in common: a titled text in a
    language, tagged with themes and SDGs."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=8)
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, verbose_name=_("themes"))
    sdgs = models.ManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Challenge(ProfileStatement):
    """A challenge the organisation faces and wants partners for."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="challenges"
    )

    class Meta(ProfileStatement.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")


class Expertise(ProfileStatement):
    """Expertise the organisation offers to others."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="expertise"
    )

    class Meta(ProfileStatement.Meta):
        verbose_name = _("expertise offered")
        verbose_name_plural = _("expertise offered")


class Person(models.Model):
    """Someone who works for an organisation. Contact details and the person
    themselves appear in pages, API and exports only with their consent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(
        pgettext_lazy("a person's role in the organisation", "position"),
        max_length=32,
        choices=Position.choices,
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    consent_given_at = models.DateTimeField(
        _("consent to be listed given on"),
        null=True,
        blank=True,
        help_text=_(
            "Without consent the person is never shown outside the organisation and staff."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def has_consented(self) -> bool:
        return self.consent_given_at is not None


# The largest file allowed takes a few minutes; an hour is certainly a stop.
IMPORT_STALLED_AFTER = datetime.timedelta(hours=1)


class ImportJob(models.Model):
    """One uploaded import file, checked and written by a background task
    (`imports.jobs`): a large file takes longer than a web request may. The
    report is kept so that its page can be shown again later; the file itself
    is deleted once the job has finished."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("contents"), max_length=32, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    dry_run = models.BooleanField(_("only checked"), default=False)
    # The uploader's language: the report's messages are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # rows, created, updated, unchanged, problems (row, column, message),
    # problem_count, ignored_columns; or error when the job failed.
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("directory:import_job", args=[self.pk])

    def upload_page_url(self) -> str:
        """The page where a file of this kind is uploaded."""
        if self.kind == ImportKind.PARTNERSHIPS:
            return reverse("partnerships:import")
        return reverse("directory:import")

    @property
    def is_pending(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Running for longer than any file takes: the worker most likely
        stopped half-way (its transaction was rolled back, nothing written)."""
        return (
            self.status == ImportStatus.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > IMPORT_STALLED_AFTER
        )
