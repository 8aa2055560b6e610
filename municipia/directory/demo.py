"""Demo data of the directory, loaded by `manage.py load_demo` (`make demo`).

1. The hand-written profiles of the organisations the source documents name
   (`demo_data`), through the services: description, other names, challenges
   and expertise in their own languages, people.
2. The national associations and the largest European places, through
   `import_places` (the profiles above carry their GeoNames ids, so the places
   step updates them instead of adding duplicates).
3. Germany's placeholder association is folded into the German section of
   CEMR (`rgre`), which the demo accounts use.

Idempotent: loading again updates the same rows and adds nothing.
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from . import selectors, services
from .demo_data import GENERATED_NOTE, GENERATED_PEOPLE, PROFILES
from .models import Challenge, Expertise, Organisation, Person

# How many of the largest European places `make demo` loads.
DEMO_PLACES = 3000


def _organisation(profile: dict) -> Organisation:
    """The organisation of a profile: by address, then by GeoNames id (the
    places may have been loaded before the demo), else a new one."""
    organisation = Organisation.objects.filter(slug=profile["slug"]).first()
    if organisation is None and profile.get("geonames_id"):
        organisation = Organisation.objects.filter(geonames_id=profile["geonames_id"]).first()
    if organisation is None:
        # The demo accounts and links name these addresses ("rgre", "koln"),
        # and the services derive addresses from names: so the row is made
        # here, and everything else goes through the services.
        organisation = Organisation.objects.create(
            slug=profile["slug"],
            name=profile["name"],
            kind=profile["kind"],
            country=profile["country"],
        )
    return organisation


def _statements(organisation: Organisation, entries: list[dict], *, model, add, update) -> None:
    existing = {s.title: s for s in model.objects.filter(organisation=organisation)}
    for entry in entries:
        statement = existing.get(entry["title"])
        if statement is None:
            add(actor=None, organisation=organisation, **entry)
        else:
            statement.organisation = organisation
            update(actor=None, **{model._meta.model_name: statement}, **entry)


def _people(organisation: Organisation, entries: list[dict]) -> None:
    existing = {p.name: p for p in Person.objects.filter(organisation=organisation)}
    for entry in entries:
        fields = dict(entry)
        consent = fields.pop("consent", True)
        person = existing.get(fields["name"])
        if person is None:
            services.add_person(
                actor=None,
                organisation=organisation,
                consent_given_at=timezone.now() if consent else None,
                **fields,
            )
        else:
            person.organisation = organisation
            services.update_person(actor=None, person=person, **fields)
            if consent != person.has_consented:
                services.record_consent(person=person, given=consent)


def load_profile(profile: dict, associations: dict[str, Organisation]) -> Organisation:
    """Create or refresh one hand-written profile."""
    organisation = _organisation(profile)
    language = profile["language"]
    fields = {
        **profile.get("fields", {}),
        "name": profile["name"],
        "kind": profile["kind"],
        "country": profile["country"],
        "description": f"{profile['description']}\n\n{GENERATED_NOTE[language]}",
        "description_language": language,
        "is_placeholder": False,
    }
    if profile.get("geonames_id"):
        fields["geonames_id"] = profile["geonames_id"]
    member_of = [associations[slug] for slug in profile.get("associations", ())]
    if member_of:
        fields["member_of"] = list(
            {a.pk: a for a in [*organisation.member_of.all(), *member_of]}.values()
        )
    services.update_organisation_profile(actor=None, organisation=organisation, **fields)
    # Added to the names already there (GeoNames' among them), not instead.
    names = [(n.language, n.name) for n in organisation.other_names.all()]
    services.set_other_names(
        actor=None, organisation=organisation, names=[*names, *profile.get("other_names", [])]
    )
    _statements(
        organisation,
        profile.get("challenges", []),
        model=Challenge,
        add=services.add_challenge,
        update=services.update_challenge,
    )
    _statements(
        organisation,
        profile.get("expertise", []),
        model=Expertise,
        add=services.add_expertise,
        update=services.update_expertise,
    )
    people = list(profile.get("people", []))
    if profile.get("generated_people"):
        people += GENERATED_PEOPLE
    _people(organisation, people)
    if profile.get("verified"):
        services.verify_organisation(actor=None, organisation=organisation)
    return organisation


def _fold_placeholder_association(*, country: str, into: Organisation) -> None:
    """Make the members of the country's placeholder association members of
    `into`, then remove the placeholder: one German association, not two."""
    placeholder = selectors.association_of_country(country=country)
    if placeholder is None or placeholder.pk == into.pk or not placeholder.is_placeholder:
        return
    membership = Organisation.member_of.through
    member_ids = membership.objects.filter(to_organisation=placeholder).values_list(
        "from_organisation_id", flat=True
    )
    membership.objects.bulk_create(
        [membership(from_organisation_id=pk, to_organisation_id=into.pk) for pk in member_ids],
        ignore_conflicts=True,
    )
    placeholder.delete()


def _join_association_of_country(organisation: Organisation) -> None:
    """Places beyond the largest ones loaded still belong to their country's
    association, as `import_places` would have made them."""
    if organisation.kind == "national_association" or organisation.member_of.exists():
        return
    association = selectors.association_of_country(country=organisation.country)
    if association is not None:
        services.update_organisation_profile(
            actor=None, organisation=organisation, member_of=[association]
        )


@transaction.atomic
def load_demo_organisations(*, places: int | None = None) -> list[Organisation]:
    """Load the directory's demo data (see the module docstring) and return the
    hand-written organisations. `places` is how many of the largest European
    places to load (DEMO_PLACES by default; 0 for none)."""
    places = DEMO_PLACES if places is None else places
    organisations: dict[str, Organisation] = {}
    associations: dict[str, Organisation] = {}
    for profile in PROFILES:
        organisation = load_profile(profile, associations)
        organisations[profile["slug"]] = organisation
        if profile["kind"] == "national_association":
            associations[profile["slug"]] = organisation
    if places:
        call_command("import_places", limit=places, stdout=io.StringIO(), stderr=io.StringIO())
        _fold_placeholder_association(country="DE", into=associations["rgre"])
        for organisation in organisations.values():
            _join_association_of_country(organisation)
    return list(organisations.values())
