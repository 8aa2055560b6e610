"""Writes of the directory: organisations and their profiles, names, challenges,
expertise, people and verification.

Every service takes the acting user as `actor` (None is the system itself:
management commands, demo data, imports already authorised as a whole), asks
`municipia.accounts.rules` whether the actor may act, and raises PermissionDenied
or a ValidationError whose `message_dict` maps fields to messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts import rules
from municipia.accounts.enums import AuditAction, Role
from municipia.accounts.selectors import users_with_role
from municipia.accounts.services import record_audit
from municipia.matching.services import profile_changed
from municipia.notifications.services import notify
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

from .enums import OrganisationType, PartnershipInterest
from .models import Challenge, Expertise, Organisation, OrganisationName, Person
from .text import encode_codes, search_text_for

# Fields the organisation's own admins and editors may change.
PROFILE_FIELDS = frozenset(
    {
        "name",
        "region_code",
        "region_name",
        "population",
        "latitude",
        "longitude",
        "website",
        "working_languages",
        "partnership_interests",
        "logo",
        "description",
        "description_language",
        "is_looking_for_partners",
        "visibility",
    }
)
# Fields that change what the organisation is or whom it belongs to: staff only.
STAFF_FIELDS = frozenset({"kind", "country", "member_of", "is_placeholder", "geonames_id"})
PERSON_FIELDS = frozenset({"name", "position", "title", "email", "phone", "user"})
STATEMENT_FIELDS = frozenset({"title", "text", "language", "themes", "sdgs", "position"})

# Kosovo has a user-assigned ISO code that GeoNames uses and pycountry lacks.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def country_name(code: str) -> str:
    """English short name of an ISO 3166-1 alpha-2 country ("" when unknown)."""
    code = (code or "").upper()
    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return ""
    return getattr(country, "common_name", None) or country.name


def is_language_code(code: str) -> bool:
    return len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None


# -- helpers ---------------------------------------------------------------------


def _is_staff_or_system(actor) -> bool:
    return actor is None or rules.is_platform_staff(actor)


def _check_can_edit(actor, organisation: Organisation) -> None:
    if actor is not None and not rules.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_("You may not edit this organisation."))


def _code_list(value: Any, *, field: str, allowed, errors: dict) -> str:
    """Validate a list of codes (or an already delimited string) and encode it."""
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    codes = [str(code).strip().lower() for code in value if str(code).strip()]
    unknown = [code for code in codes if not allowed(code)]
    if unknown:
        errors.setdefault(field, []).append(
            _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return encode_codes(codes)


def _apply_fields(organisation: Organisation, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Copy `fields` onto `organisation`, turning lists into their stored form;
    return the errors that model validation cannot find."""
    errors: dict[str, list[str]] = {}
    interests = set(PartnershipInterest.values)
    for field, value in fields.items():
        if field == "working_languages":
            value = _code_list(value, field=field, allowed=is_language_code, errors=errors)
        elif field == "partnership_interests":
            value = _code_list(value, field=field, allowed=interests.__contains__, errors=errors)
        elif field == "country":
            value = (value or "").strip().upper()
            if value and not country_name(value):
                errors.setdefault(field, []).append(_("Unknown country code."))
        elif field == "description_language":
            value = (value or "").strip().lower()
            if value and not is_language_code(value):
                errors.setdefault(field, []).append(_("Unknown language code."))
        elif isinstance(value, str) and field != "logo":
            value = value.strip()
        setattr(organisation, field, value)
    return errors


def _full_clean(instance, errors: dict[str, list[str]], exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def unique_slug(name: str, country: str, *, taken=None, suffix: str = "") -> str:
    """A free address for an organisation: "koln", then "koln-de", then
    "koln-de-2"… (`suffix`, e.g. a GeoNames id, replaces the counter).

    `taken` is a set of slugs already used, for bulk creation; without it the
    database is asked."""
    from .text import fold

    base = slugify(fold(name))[:180] or "organisation"
    candidates = [base, f"{base}-{country.lower()}" if country else base]

    def is_taken(slug: str) -> bool:
        if taken is not None:
            return slug in taken
        return Organisation.objects.filter(slug=slug).exists()

    for candidate in candidates:
        if not is_taken(candidate):
            return candidate
    stem = candidates[-1]
    if suffix and not is_taken(f"{stem}-{suffix}"):
        return f"{stem}-{suffix}"
    counter = 2
    while is_taken(f"{stem}-{counter}"):
        counter += 1
    return f"{stem}-{counter}"


# -- organisations ---------------------------------------------------------------


@transaction.atomic
def create_organisation(*, actor, name: str, kind: str, country: str, **fields) -> Organisation:
    """Create an organisation with a free address (slug) derived from its name.

    Staff create any organisation; an association manager creates organisations
    of the country of their association, which then become members of it.
    `fields` are profile fields (see PROFILE_FIELDS) plus, for staff and the
    system, `member_of` (national associations) and `geonames_id`.
    """
    country = (country or "").strip().upper()
    if actor is not None and not rules.can_bulk_import(actor, country):
        raise PermissionDenied(_("You may not add organisations in this country."))
    member_of = fields.pop("member_of", None)
    unknown = set(fields) - PROFILE_FIELDS - STAFF_FIELDS
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    if not _is_staff_or_system(actor) and (member_of is not None or set(fields) & STAFF_FIELDS):
        raise PermissionDenied(_("Only platform staff may set these fields."))

    organisation = Organisation(kind=kind)
    errors = _apply_fields(organisation, {"name": name, "country": country, **fields})
    if not country:
        errors.setdefault("country", []).append(_("This field is required."))
    _full_clean(organisation, errors, exclude=["slug"])
    organisation.slug = unique_slug(organisation.name, organisation.country)
    organisation.search_text = search_text_for([organisation.name])
    organisation.save()

    if member_of is None and actor is not None and not rules.is_platform_staff(actor):
        member_of = Organisation.objects.filter(
            pk__in=rules.managed_association_ids(actor), country=country
        )
    if member_of:
        _set_memberships(organisation, member_of)
    profile_changed(organisation_id=organisation.pk)
    return organisation


def _set_memberships(organisation: Organisation, associations) -> None:
    associations = list(associations)
    wrong = [a for a in associations if a.kind != OrganisationType.NATIONAL_ASSOCIATION]
    if wrong:
        raise ValidationError({"member_of": [_("Only national associations have members.")]})
    organisation.member_of.set(associations)
    # rules caches the association ids on the instance
    organisation.__dict__.pop("_municipia_association_ids", None)


@transaction.atomic
def update_organisation_profile(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change profile fields of `organisation` (admins and editors of it, staff).

    `working_languages` and `partnership_interests` take lists of codes. The
    structural fields (type, country, associations, placeholder flag) are for
    staff only. A profile edited by a person is no longer a placeholder.
    """
    _check_can_edit(actor, organisation)
    unknown = set(fields) - PROFILE_FIELDS - STAFF_FIELDS
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    if not _is_staff_or_system(actor) and set(fields) & STAFF_FIELDS:
        raise PermissionDenied(_("Only platform staff may change these fields."))
    member_of = fields.pop("member_of", None)
    name_before = organisation.name
    errors = _apply_fields(organisation, fields)
    _full_clean(organisation, errors)
    update_fields = set(fields) | {"updated_at"}
    if actor is not None and organisation.is_placeholder and "is_placeholder" not in fields:
        organisation.is_placeholder = False
        update_fields.add("is_placeholder")
    organisation.save(update_fields=sorted(update_fields))
    if organisation.name != name_before:
        refresh_search_text(organisation=organisation)
    if member_of is not None:
        _set_memberships(organisation, member_of)
    profile_changed(organisation_id=organisation.pk)
    return organisation


@transaction.atomic
def set_other_names(
    *, actor, organisation: Organisation, names: Iterable[tuple[str, str]]
) -> list[OrganisationName]:
    """Replace the organisation's names in other languages with `names`, a list of
    (language code or "", name); duplicates are dropped. Search finds the
    organisation by every one of them."""
    _check_can_edit(actor, organisation)
    cleaned: dict[tuple[str, str], None] = {}
    errors: list[str] = []
    for language, name in names:
        language = (language or "").strip().lower()
        name = " ".join((name or "").split())
        if not name:
            continue
        if len(name) > 200:
            errors.append(_("A name has at most 200 characters."))
        if language and not is_language_code(language):
            errors.append(_("Unknown language code: %(code)s.") % {"code": language})
        cleaned[(language, name)] = None
    if errors:
        raise ValidationError({"other_names": errors})
    OrganisationName.objects.filter(organisation=organisation).delete()
    created = OrganisationName.objects.bulk_create(
        OrganisationName(organisation=organisation, language=language, name=name)
        for language, name in cleaned
    )
    refresh_search_text(organisation=organisation)
    return created


def refresh_search_text(*, organisation: Organisation) -> None:
    """Recompute `search_text` from the official name and every other name."""
    other = OrganisationName.objects.filter(organisation=organisation).values_list(
        "name", flat=True
    )
    # Sorted in Python, not by the database's collation, so that import_places
    # computes the very same text and sees nothing to change.
    organisation.search_text = search_text_for([organisation.name, *sorted(other)])
    Organisation.objects.filter(pk=organisation.pk).update(search_text=organisation.search_text)


# -- verification ----------------------------------------------------------------


def _notify_admins(organisation: Organisation, *, kind: str, title, body) -> None:
    for admin in users_with_role(role=Role.ORGANISATION_ADMIN, organisation_id=organisation.pk):
        notify(
            recipient=admin,
            kind=kind,
            title=title,
            body=body,
            url=organisation.get_absolute_url(),
        )


@transaction.atomic
def verify_organisation(*, actor, organisation: Organisation) -> Organisation:
    """Vouch for `organisation` (staff, or a manager of an association it is a
    member of). Audited; the organisation's admins are told. Idempotent."""
    if actor is not None and not rules.can_verify_organisation(actor, organisation):
        raise PermissionDenied(_("You may not verify this organisation."))
    if organisation.is_verified:
        return organisation
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor if actor is not None and actor.is_authenticated else None
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    record_audit(actor=actor, action=AuditAction.ORGANISATION_VERIFIED, target=organisation)
    _notify_admins(
        organisation,
        kind="directory.organisation_verified",
        title=gettext_lazy("Your organisation has been verified"),
        body=gettext_lazy("The profile now shows that it has been vouched for by the network."),
    )
    return organisation


@transaction.atomic
def withdraw_verification(*, actor, organisation: Organisation) -> Organisation:
    """Take the verification of `organisation` back (same people as
    `verify_organisation`). Audited; the organisation's admins are told."""
    if actor is not None and not rules.can_verify_organisation(actor, organisation):
        raise PermissionDenied(_("You may not change the verification of this organisation."))
    if not organisation.is_verified:
        return organisation
    details = {"verified_by": organisation.verified_by_id}
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    record_audit(
        actor=actor,
        action=AuditAction.ORGANISATION_UNVERIFIED,
        target=organisation,
        details=details,
    )
    _notify_admins(
        organisation,
        kind="directory.organisation_unverified",
        title=gettext_lazy("The verification of your organisation was withdrawn"),
        body=gettext_lazy("Contact your national association if you think this is a mistake."),
    )
    return organisation


# -- challenges and expertise ----------------------------------------------------


def _themes(codes_or_themes, errors: dict) -> list[Theme]:
    items = list(codes_or_themes)
    codes = [item.code if isinstance(item, Theme) else str(item) for item in items]
    themes = {theme.code: theme for theme in Theme.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in themes]
    if unknown:
        errors.setdefault("themes", []).append(
            _("Unknown themes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return [themes[code] for code in codes if code in themes]


def _sdgs(numbers_or_goals, errors: dict) -> list[SustainableDevelopmentGoal]:
    items = list(numbers_or_goals)
    numbers = []
    for item in items:
        if isinstance(item, SustainableDevelopmentGoal):
            numbers.append(item.number)
            continue
        try:
            numbers.append(int(item))
        except (TypeError, ValueError):
            numbers.append(-1)
    goals = {
        goal.number: goal for goal in SustainableDevelopmentGoal.objects.filter(number__in=numbers)
    }
    unknown = [str(n) for n in numbers if n not in goals]
    if unknown:
        errors.setdefault("sdgs", []).append(
            _("Unknown goals: %(numbers)s.") % {"numbers": ", ".join(unknown)}
        )
    return [goals[n] for n in numbers if n in goals]


def _save_statement(statement, fields: dict[str, Any]):
    unknown = set(fields) - STATEMENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    themes = _themes(fields.pop("themes"), errors) if "themes" in fields else None
    sdgs = _sdgs(fields.pop("sdgs"), errors) if "sdgs" in fields else None
    for field, value in fields.items():
        setattr(statement, field, value.strip() if isinstance(value, str) else value)
    if "language" in fields:
        statement.language = statement.language.lower()
        if not is_language_code(statement.language):
            errors.setdefault("language", []).append(_("Unknown language code."))
    _full_clean(statement, errors, exclude=["organisation"])
    statement.save()
    if themes is not None:
        statement.themes.set(themes)
    if sdgs is not None:
        statement.sdgs.set(sdgs)
    profile_changed(organisation_id=statement.organisation_id)
    return statement


def _add_statement(model, *, actor, organisation, title, text, language, themes, sdgs):
    _check_can_edit(actor, organisation)
    last = model.objects.filter(organisation=organisation).aggregate(last=Max("position"))["last"]
    statement = model(organisation=organisation, position=0 if last is None else last + 1)
    return _save_statement(
        statement,
        {"title": title, "text": text, "language": language, "themes": themes, "sdgs": sdgs},
    )


@transaction.atomic
def add_challenge(
    *, actor, organisation: Organisation, title: str, text: str, language: str, themes=(), sdgs=()
) -> Challenge:
    """Add a challenge to the organisation's profile (its admins and editors,
    staff). `themes` are Theme objects or codes, `sdgs` goals or numbers."""
    return _add_statement(
        Challenge,
        actor=actor,
        organisation=organisation,
        title=title,
        text=text,
        language=language,
        themes=themes,
        sdgs=sdgs,
    )


@transaction.atomic
def update_challenge(*, actor, challenge: Challenge, **fields) -> Challenge:
    """Change a challenge: title, text, language, themes, sdgs or position."""
    _check_can_edit(actor, challenge.organisation)
    return _save_statement(challenge, fields)


@transaction.atomic
def delete_challenge(*, actor, challenge: Challenge) -> None:
    """Remove a challenge from the organisation's profile."""
    _check_can_edit(actor, challenge.organisation)
    challenge.delete()
    profile_changed(organisation_id=challenge.organisation_id)


@transaction.atomic
def add_expertise(
    *, actor, organisation: Organisation, title: str, text: str, language: str, themes=(), sdgs=()
) -> Expertise:
    """Add an offer of expertise to the organisation's profile (same rules and
    arguments as `add_challenge`)."""
    return _add_statement(
        Expertise,
        actor=actor,
        organisation=organisation,
        title=title,
        text=text,
        language=language,
        themes=themes,
        sdgs=sdgs,
    )


@transaction.atomic
def update_expertise(*, actor, expertise: Expertise, **fields) -> Expertise:
    """Change an offer of expertise: title, text, language, themes, sdgs or position."""
    _check_can_edit(actor, expertise.organisation)
    return _save_statement(expertise, fields)


@transaction.atomic
def delete_expertise(*, actor, expertise: Expertise) -> None:
    """Remove an offer of expertise from the organisation's profile."""
    _check_can_edit(actor, expertise.organisation)
    expertise.delete()
    profile_changed(organisation_id=expertise.organisation_id)


# -- people ----------------------------------------------------------------------


def _save_person(person: Person, fields: dict[str, Any]) -> Person:
    unknown = set(fields) - PERSON_FIELDS - {"consent_given_at"}
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    _full_clean(person, {})
    person.save()
    return person


@transaction.atomic
def add_person(*, actor, organisation: Organisation, name: str, position: str, **fields) -> Person:
    """Record someone who works for the organisation (its admins and editors,
    staff). `fields`: title, email, phone, user, and `consent_given_at` when the
    organisation holds the person's consent to be listed. Without consent the
    person is shown to nobody outside the organisation and staff."""
    _check_can_edit(actor, organisation)
    return _save_person(
        Person(organisation=organisation), {"name": name, "position": position, **fields}
    )


@transaction.atomic
def update_person(*, actor, person: Person, **fields) -> Person:
    """Change a person's record (the organisation's admins and editors, staff)."""
    _check_can_edit(actor, person.organisation)
    return _save_person(person, fields)


@transaction.atomic
def delete_person(*, actor, person: Person) -> None:
    """Remove a person's record (the organisation's admins and editors, staff)."""
    _check_can_edit(actor, person.organisation)
    person.delete()


def record_consent(*, person: Person, given: bool) -> Person:
    """Record that the person agreed to be listed (now) or withdrew consent.

    The caller has established that the request comes from the person or from
    the organisation holding their written consent."""
    if given and person.consent_given_at is None:
        person.consent_given_at = timezone.now()
    elif not given:
        person.consent_given_at = None
    person.save(update_fields=["consent_given_at", "updated_at"])
    return person
