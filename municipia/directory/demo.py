"""Demo organisations named in the source documents (facts as the sources give them)."""

from django.db import transaction

from .enums import OrganisationType
from .models import Organisation

# slug, name, type, country, associations (slugs)
DEMO_ORGANISATIONS = [
    ("rgre", "Rat der Gemeinden und Regionen Europas – Deutsche Sektion", OrganisationType.NATIONAL_ASSOCIATION, "DE", []),
    ("koln", "Köln", OrganisationType.MUNICIPALITY, "DE", ["rgre"]),
    ("munchen", "München", OrganisationType.MUNICIPALITY, "DE", ["rgre"]),
]


@transaction.atomic
def load_demo_organisations() -> list[Organisation]:
    organisations = {}
    for slug, name, kind, country, _associations in DEMO_ORGANISATIONS:
        organisations[slug], _created = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "country": country}
        )
    for slug, *_rest, associations in DEMO_ORGANISATIONS:
        organisations[slug].member_of.set([organisations[a] for a in associations])
    return list(organisations.values())
