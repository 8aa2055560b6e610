from django.db import models
from django.utils.translation import gettext_lazy as _


class SwipeDecision(models.TextChoices):
    LIKE = "like", _("Like")
    PASS = "pass", _("Pass")
    SAVE = "save", _("Save for later")
