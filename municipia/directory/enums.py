from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCE = "province", _("Province or county")
    REGION = "region", _("Region")
    NATIONAL_ASSOCIATION = "national_association", _("National association")
    NETWORK = "network", _("Network")
    PARTNER = "partner", _("Partner organisation")


LOCAL_AND_REGIONAL_GOVERNMENTS = frozenset(
    {OrganisationType.MUNICIPALITY, OrganisationType.PROVINCE, OrganisationType.REGION}
)
