from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnershipKind(models.TextChoices):
    """The same codes as `directory.enums.PartnershipInterest`: what an
    organisation looks for is what it may record once found."""

    TWINNING = "twinning", _("Town twinning")
    THEMATIC = "thematic", _("Thematic or project partnership")
    PEER_LEARNING = "peer_learning", _("Peer learning and exchange")
    SOLIDARITY = "solidarity", _("Solidarity and reconstruction")
    DEVELOPMENT_COOPERATION = "development_cooperation", _("Development cooperation")


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")


# Where a partnership may go from each status. A dormant partnership may wake
# up; an ended one may be revived (there is one partnership per pair and kind,
# so reviving is the way to start again).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    PartnershipStatus.EXPLORING: frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.ENDED}),
    PartnershipStatus.ACTIVE: frozenset({PartnershipStatus.DORMANT, PartnershipStatus.ENDED}),
    PartnershipStatus.DORMANT: frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.ENDED}),
    PartnershipStatus.ENDED: frozenset({PartnershipStatus.EXPLORING, PartnershipStatus.ACTIVE}),
}
