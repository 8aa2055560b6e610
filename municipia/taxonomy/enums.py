from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeKind(models.TextChoices):
    IMPACT_COMMUNITY = "impact_community", _("Impact community")
    WORKING_GROUP = "working_group", _("Working group")
    CROSS_CUTTING_GROUP = "cross_cutting_group", _("Cross-cutting group")
