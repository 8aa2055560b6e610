from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import PartnershipKind, PartnershipStatus


class OrganisationPair(models.Model):
    """Two organisations stored in a canonical order, the smaller id first, so
    that a unique constraint holds whichever side recorded the pair."""

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
    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("match"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def organisation_ids(self) -> tuple[int, int]:
        return (self.organisation_a_id, self.organisation_b_id)

    def involves(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    def other(self, organisation_id: int):
        """The other organisation of the pair."""
        if organisation_id == self.organisation_a_id:
            return self.organisation_b
        return self.organisation_a


class Partnership(OrganisationPair):
    """A partnership two organisations recorded: a twinning, a thematic
    partnership, peer learning, solidarity or development cooperation."""

    kind = models.CharField(_("kind"), max_length=32, choices=PartnershipKind.choices)
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, verbose_name=_("themes"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.EXPLORING,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b", "kind"], name="unique_partnership"
            ),
            models.CheckConstraint(
                condition=Q(organisation_a__lt=F("organisation_b")),
                name="partnership_pair_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_a_id} ↔ {self.organisation_b_id}: {self.kind}"

    def get_absolute_url(self):
        return reverse("partnerships:edit", kwargs={"pk": self.pk})


class Conversation(OrganisationPair):
    """The one thread between two organisations, written by their editors."""

    last_message_at = models.DateTimeField(_("last message on"), null=True, blank=True)

    class Meta:
        ordering = [F("last_message_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b"], name="unique_conversation"
            ),
            models.CheckConstraint(
                condition=Q(organisation_a__lt=F("organisation_b")),
                name="conversation_pair_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_a_id} ↔ {self.organisation_b_id}"

    def get_absolute_url(self):
        return reverse("partnerships:conversation", kwargs={"pk": self.pk})


class Message(models.Model):
    """One message of a conversation, written by a user for one of the two
    organisations. The text is stored as typed and escaped when shown."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    sender_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_time")
        ]

    def __str__(self):
        return self.text[:50]

    @property
    def sender_name(self) -> str:
        """The name the sender chose, or nothing: never an e-mail address
        (`User.__str__` falls back to one)."""
        return self.sender.display_name if self.sender is not None else ""


class ConversationReadMark(models.Model):
    """Up to when a user has read a conversation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="read_marks",
        verbose_name=_("conversation"),
    )
    read_at = models.DateTimeField(_("read on"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-read_at", "-pk"]
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            models.UniqueConstraint(fields=["user", "conversation"], name="unique_read_mark")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.conversation_id} at {self.read_at}"
