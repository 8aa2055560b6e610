from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .enums import ThemeKind


def in_language(values: dict, language: str | None = None) -> str:
    """Pick the active language's text from a {language: text} dict, falling back
    to English, so a missing translation never shows an empty label."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return values.get(language) or values.get(settings.LANGUAGE_CODE) or ""


class Theme(models.Model):
    """An impact community, one of its working groups, or a cross-cutting group."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ThemeKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("impact community"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    labels = models.JSONField(_("labels"), help_text=_("Label per language code"))
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("taxonomy:theme", kwargs={"code": self.code})

    @property
    def label(self) -> str:
        return in_language(self.labels)

    @property
    def description(self) -> str:
        return in_language(self.descriptions)


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("Official UN colour"))
    labels = models.JSONField(_("labels"))
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self):
        return f"{self.number}. {self.label}"

    def get_absolute_url(self):
        return reverse("taxonomy:sdg", kwargs={"number": self.number})

    @property
    def label(self) -> str:
        return in_language(self.labels)

    @property
    def description(self) -> str:
        return in_language(self.descriptions)
