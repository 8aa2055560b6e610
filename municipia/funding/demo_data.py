"""Funding calls of the demo (`manage.py load_demo`), plain data.

- "Empowering Local Leaders through AI" is a real call, as CEMR announced it
  (source documents in ../shared/seeds, copied here by hand: demo code never
  reads ../shared at run time): call for proposals with EIT Digital for
  consultancy services to design and pilot a training programme for local and
  regional leaders; deadline 10 November 2025; contract December 2025 –
  December 2026; budget up to €33,000 excluding VAT. The hour of the deadline
  is not stated: the end of the day in Brussels is assumed.
- The other entries are GENERATED examples modelled on well-known EU
  programmes. Their dates, amounts and consortium rules are illustrative, not
  the programmes' current calls, and each summary says so; the link is the
  programme's official page.

Deadlines of generated entries are relative to the day the demo is loaded
(`days_from_now`) so that the demo always has open calls; the real call keeps
its real date and is shown closed once that date has passed.
"""

GENERATED_NOTE = (
    "Demo entry (generated): dates, amounts and consortium rules are illustrative "
    "examples, not the programme's current call. Check the official page."
)

CALLS = [
    {
        "key": "cemr-ai-leaders-2025",
        "funder": "Council of European Municipalities and Regions (CEMR) with EIT Digital",
        "programme": "Call for proposals",
        "title": "Empowering Local Leaders through AI",
        "summary": (
            "CEMR, in partnership with EIT Digital Alumni, seeks experienced consultants to "
            "design and pilot a hands-on training programme that equips local and regional "
            "leaders to use Artificial Intelligence for smarter, more sustainable governance: "
            "assess digital readiness, design a structured AI curriculum and pilot the "
            "learning experience. Contract: December 2025 – December 2026. Budget: up to "
            "€33,000 excluding VAT. Applications by e-mail, as the call explains."
        ),
        "link": "https://lnkd.in/eFwJMN8h",
        "deadline": (2025, 11, 10, 23, 59),
        "time_zone": "Europe/Brussels",
        "work_starts_on": (2025, 12, 1),
        "work_ends_on": (2026, 12, 31),
        "budget": 33000,
        "amounts_exclude_vat": True,
        "eligible_types": ["partner"],
        "min_partners": 1,
        "themes": ["digital", "capacity-building"],
        "languages": ["en"],
    },
    {
        "key": "cerv-town-twinning-demo",
        "funder": "European Commission",
        "programme": "Citizens, Equality, Rights and Values (CERV) – Town twinning",
        "title": "Town twinning: citizens debating Europe's future (demo)",
        "summary": (
            "Town-twinning projects bring citizens of twinned towns together to debate and "
            "act on European questions. " + GENERATED_NOTE
        ),
        "link": "https://commission.europa.eu/funding-tenders/find-funding/eu-funding-programmes/citizens-equality-rights-and-values-programme_en",
        "days_from_now": 75,
        "time_zone": "Europe/Brussels",
        "eligible_groups": ["eu", "candidates"],
        "eligible_types": ["municipality", "province", "region"],
        "min_partners": 2,
        "min_countries": 2,
        "min_from_group": "eu",
        "min_from_group_count": 1,
        "themes": ["twinning-and-partnerships", "governance-and-local-democracy"],
        "languages": ["en", "fr", "de"],
    },
    {
        "key": "cerv-networks-of-towns-demo",
        "funder": "European Commission",
        "programme": "Citizens, Equality, Rights and Values (CERV) – Networks of towns",
        "title": "Networks of towns on climate adaptation (demo)",
        "summary": (
            "Networks of towns work together over a longer period on a common theme and "
            "share what they learn. In this example: at least four municipalities from four "
            "countries, two of them in the EU. " + GENERATED_NOTE
        ),
        "link": "https://commission.europa.eu/funding-tenders/find-funding/eu-funding-programmes/citizens-equality-rights-and-values-programme_en",
        "days_from_now": 45,
        "time_zone": "Europe/Brussels",
        "eligible_groups": ["eu", "candidates", "eastern_partnership"],
        "eligible_types": ["municipality", "province", "region"],
        "min_partners": 4,
        "max_partners": 10,
        "min_countries": 4,
        "min_from_group": "eu",
        "min_from_group_count": 2,
        "themes": ["climate-and-energy", "twinning-and-partnerships"],
        "sdgs": [11, 13],
        "languages": ["en"],
    },
    {
        "key": "urbact-demo",
        "funder": "URBACT (European Territorial Cooperation programme)",
        "programme": "URBACT IV – Action Planning Networks",
        "title": "Action Planning Network on inclusive public spaces (demo)",
        "summary": (
            "URBACT networks bring cities together to plan integrated actions on a shared "
            "urban challenge. " + GENERATED_NOTE
        ),
        "link": "https://urbact.eu/",
        "days_from_now": 120,
        "time_zone": "Europe/Paris",
        "eligible_groups": ["eu"],
        "eligible_countries": ["NO", "CH"],
        "eligible_types": ["municipality", "province", "region"],
        "min_partners": 6,
        "max_partners": 9,
        "min_countries": 4,
        "max_per_country": 2,
        "themes": ["migration-and-inclusion", "territorial-development"],
        "sdgs": [11],
        "languages": ["en", "fr"],
    },
    {
        "key": "interreg-europe-demo",
        "funder": "Interreg Europe",
        "programme": "Interreg Europe 2021–2027",
        "title": "Interregional cooperation on the circular economy (demo)",
        "summary": (
            "Interreg Europe projects help public authorities improve their regional "
            "policies by learning from each other across Europe. " + GENERATED_NOTE
        ),
        "link": "https://www.interregeurope.eu/",
        "days_from_now": 200,
        "time_zone": "Europe/Brussels",
        "eligible_groups": ["eu"],
        "eligible_countries": ["NO", "CH"],
        "eligible_types": ["municipality", "province", "region", "partner"],
        "min_partners": 3,
        "max_partners": 10,
        "min_countries": 3,
        "lead_types": ["province", "region", "municipality"],
        "themes": ["waste-and-circular-economy", "external-funding"],
        "sdgs": [12],
        "languages": ["en"],
    },
]
