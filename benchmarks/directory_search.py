"""Directory search over 100,000 organisations, a query plus two filters, through
the Django test client: p50 and p95 per request. Target: p95 ≤ 100 ms on SQLite
and on PostgreSQL.

    python benchmarks/directory_search.py [--databases sqlite,postgresql] [--requests 300]

Uses the databases benchmarks/import_places.py filled (and runs import_places
itself where it has not), tops them up to 100,000 organisations with
synthetic ones (slugs "bench-…"), and then requests /en/directory/ with varied
queries, each with a country and a second filter (type or minimum population).
When the search page is missing, it times the selector and a minimal render
instead and says so. The same searches through the selector alone (SQL,
ORM and a minimal template) show what the data layer costs apart from the page.
"""

import argparse
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_P95_MS = 100
ORGANISATIONS = 100_000
WARM_UP = 10

# (query, country, second filter): common name parts, short and long, with and
# without accents, few and many matches.
SEARCHES = [
    ("koln", "DE", {"type": "municipality"}),
    ("köln", "DE", {"population_min": "10000"}),
    ("berg", "DE", {"type": "municipality"}),
    ("bad", "DE", {"population_min": "5000"}),
    ("sankt", "AT", {"type": "municipality"}),
    ("saint", "FR", {"type": "municipality"}),
    ("ville", "FR", {"population_min": "2000"}),
    ("sur", "FR", {"type": "municipality"}),
    ("san", "IT", {"population_min": "10000"}),
    ("monte", "IT", {"type": "municipality"}),
    ("villa", "ES", {"type": "municipality"}),
    ("lodz", "PL", {"population_min": "1000"}),
    ("wola", "PL", {"type": "municipality"}),
    ("novo", "RU", {"type": "municipality"}),
    ("moskva", "RU", {"population_min": "100000"}),
    ("kyiv", "UA", {"type": "municipality"}),
    ("hrad", "CZ", {"type": "municipality"}),
    ("ham", "GB", {"population_min": "5000"}),
    ("dorf", "CH", {"type": "municipality"}),
    ("dam", "NL", {"type": "municipality"}),
    ("lund", "SE", {"population_min": "1000"}),
    ("vila", "PT", {"type": "municipality"}),
    ("a", "FR", {"type": "municipality"}),
    ("e", "DE", {"population_min": "1000"}),
]


def ensure_organisations() -> dict:
    """Europe's places, then synthetic organisations up to ORGANISATIONS."""
    from django.core.management import call_command
    from django.utils.text import slugify

    from municipia.directory import places
    from municipia.directory.enums import OrganisationType
    from municipia.directory.models import Organisation
    from municipia.directory.text import search_text_for

    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(geonames_id__isnull=False).exists():
        call_command("import_places", stdout=io.StringIO(), stderr=io.StringIO())
    missing = ORGANISATIONS - Organisation.objects.count()
    if missing > 0:
        generator = random.Random(42)
        countries = sorted(places.european_countries() - {"CS"})
        kinds = [
            OrganisationType.PROVINCE,
            OrganisationType.REGION,
            OrganisationType.NETWORK,
            OrganisationType.PARTNER,
        ]
        start = Organisation.objects.filter(slug__startswith="bench-").count()
        synthetic = []
        for number in range(start, start + missing):
            name = f"Benchmark organisation {number}"
            synthetic.append(
                Organisation(
                    name=name,
                    slug=slugify(f"bench-{number}"),
                    kind=generator.choice(kinds),
                    country=generator.choice(countries),
                    population=generator.randint(500, 2_000_000),
                    search_text=search_text_for([name]),
                )
            )
        Organisation.objects.bulk_create(synthetic, batch_size=1000)
        places.refresh_statistics()
    return {
        "organisations": Organisation.objects.count(),
        "synthetic": Organisation.objects.filter(slug__startswith="bench-").count(),
    }


def child(database: str, requests: int) -> None:
    common.setup_django()
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    data = ensure_organisations()
    # Not setup_test_environment(): its instrumented template rendering copies
    # the context of every template and widget rendered, which real requests
    # do not pay for. The test client needs only its host name allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    try:
        url = reverse("directory:search")
    except NoReverseMatch:
        url = None

    def page(q: str, country: str, extra: dict) -> None:
        response = client.get(f"{url}?{urlencode({'q': q, 'country': country, **extra})}")
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} for {q!r} {country} {extra}")

    generator = random.Random(7)
    searches = [
        SEARCHES[index] if index < len(SEARCHES) else generator.choice(SEARCHES)
        for index in range(WARM_UP + requests)
    ]
    result = {"requests": requests, **data}
    if url is not None:
        result["page"] = {"mode": f"test client, GET {url}", **measure(page, searches)}
    result["data_layer"] = {
        "mode": "selector, capped count and first page, minimal template",
        **measure(selector_and_render, searches),
    }
    print(json.dumps(result))


def measure(run, searches) -> dict:
    timings = []
    for index, (q, country, extra) in enumerate(searches):
        started = time.perf_counter()
        run(q, country, extra)
        if index >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }


def selector_and_render(q: str, country: str, extra: dict) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    from municipia.directory import selectors

    organisations = selectors.search_organisations(
        viewer=AnonymousUser(),
        query=q,
        country=country,
        kinds=[extra["type"]] if "type" in extra else (),
        population_min=int(extra["population_min"]) if "population_min" in extra else None,
    )
    count, _exact = selectors.count_up_to(organisations, limit=10_000)
    template = "{{ count }}{% for o in page %}<li>{{ o.name }} {{ o.population }}</li>{% endfor %}"
    Template(template).render(Context({"count": count, "page": list(organisations[:20])}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default=",".join(common.DATABASES))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.requests)
        return
    common.print_machine()
    failed = False
    for database in common.selected_databases(arguments.databases):
        result = common.run_child(Path(__file__), database, "--requests", str(arguments.requests))
        print(
            f"{database}: {result['requests']} searches over {result['organisations']:,} "
            f"organisations ({result['synthetic']:,} synthetic)"
        )
        for part in ("page", "data_layer"):
            if part not in result:
                print(f"  {part}: no search page yet")
                continue
            figures = result[part]
            within = figures["p95_ms"] <= TARGET_P95_MS
            # The target is for the whole page; the data layer alone is for comparison.
            if part == "page" or "page" not in result:
                failed |= not within
            print(
                f"  {figures['mode']}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
                f"({'within' if within else 'OVER'} the {TARGET_P95_MS} ms target), "
                f"max {figures['max_ms']} ms"
            )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
