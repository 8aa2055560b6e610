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


class PartnershipInterest(models.TextChoices):
    TWINNING = "twinning", _("Town twinning")
    THEMATIC = "thematic", _("Thematic or project partnership")
    PEER_LEARNING = "peer_learning", _("Peer learning and exchange")
    SOLIDARITY = "solidarity", _("Solidarity and reconstruction")
    DEVELOPMENT_COOPERATION = "development_cooperation", _("Development cooperation")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members of the network")
    HIDDEN = "hidden", _("Only the organisation and staff")


class Position(models.TextChoices):
    MAYOR_OR_PRESIDENT = "mayor_or_president", _("Mayor or president")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")
    OFFICER = "officer", _("Officer")
    EXPERT = "expert", _("Expert")
    STAFF = "staff", _("Staff")


# Principals (mayors, presidents, elected officials) may attend sessions that are
# restricted to them; see the events app.
PRINCIPAL_POSITIONS = frozenset({Position.MAYOR_OR_PRESIDENT, Position.ELECTED_OFFICIAL})


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    PEOPLE = "people", _("People")
    # Read by `partnerships.imports` with the directory's import machinery.
    PARTNERSHIPS = "partnerships", _("Partnerships")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
