from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import SwipeDecision


class Swipe(models.Model):
    """One organisation's decision on one candidate partner (the last one counts)."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="swipes",
        verbose_name=_("organisation"),
    )
    candidate = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="swipes_received",
        verbose_name=_("candidate"),
    )
    decision = models.CharField(_("decision"), max_length=8, choices=SwipeDecision.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("swipe")
        verbose_name_plural = _("swipes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "candidate"], name="unique_swipe"),
            models.CheckConstraint(
                condition=~Q(organisation=F("candidate")), name="swipe_not_on_itself"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} → {self.candidate_id}: {self.decision}"


class Match(models.Model):
    """Two organisations that liked each other. Stored once per unordered pair,
    the smaller id first, so that a unique constraint can hold."""

    organisation_a = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_b = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partner"),
    )
    created_at = models.DateTimeField(_("matched on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b"], name="unique_match"
            ),
            models.CheckConstraint(
                condition=Q(organisation_a__lt=F("organisation_b")), name="match_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_a_id} ↔ {self.organisation_b_id}"

    def other(self, organisation_id: int) -> int:
        """The id of the other organisation of the pair."""
        if organisation_id == self.organisation_a_id:
            return self.organisation_b_id
        return self.organisation_a_id


class ScoringModelVersion(models.Model):
    """A version of the engine's scoring weights, fitted or hand-set, with the
    evaluation figures it had when it was fitted."""

    version = models.CharField(_("version"), max_length=64, unique=True)
    parameters = models.JSONField(_("parameters"))
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    fitted_at = models.DateTimeField(_("fitted on"))
    is_active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("scoring model version")
        verbose_name_plural = _("scoring model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_scoring_model"
            )
        ]

    def __str__(self):
        return self.version


class Exposure(models.Model):
    """How many times an organisation was shown as a suggested partner on one
    day (lists, decks, API): what the engine's exposure damping reads, so the
    same popular organisations do not fill everyone's suggestions."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    day = models.DateField(_("day"))
    times = models.PositiveIntegerField(_("times shown"), default=0)

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="unique_exposure_day")
        ]
        indexes = [models.Index(fields=["day"], name="matching_exposure_day")]

    def __str__(self):
        return f"{self.organisation_id} on {self.day}: {self.times}"


class EngineSnapshot(models.Model):
    """A built matching engine, stored as a file that every web process loads:
    the background task computes the text vectors once, requests never do.

    The newest snapshot (by when its data were read) is the one served; a
    process keeps serving the one it holds until a newer one is published."""

    name = models.CharField(_("file"), max_length=255, unique=True)
    stamp = models.CharField(_("data version"), max_length=255)
    data_read_at = models.DateTimeField(_("data read on"))
    organisations = models.PositiveIntegerField(_("organisations"))
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"))
    build_seconds = models.FloatField(_("build time in seconds"))
    backend = models.CharField(_("text backend"), max_length=32)
    scoring_model = models.CharField(_("scoring model version"), max_length=64, blank=True)
    # Only the release that wrote a snapshot reads it; the hash is checked
    # before the file is unpickled.
    engine_version = models.CharField(_("engine version"), max_length=64)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("published on"), auto_now_add=True)

    class Meta:
        ordering = ["-data_read_at", "-pk"]
        get_latest_by = ["data_read_at", "pk"]
        indexes = [
            models.Index(
                fields=["engine_version", "-data_read_at"], name="matching_snapshot_newest"
            )
        ]
        verbose_name = _("engine snapshot")
        verbose_name_plural = _("engine snapshots")

    def __str__(self):
        return self.name
