"""Country groups a searcher can filter partners by (ISO 3166-1 alpha-2 codes).

Plain constants, no Django (labels are in forms.py): the engine takes them as `country_groups`.

Sources, as of 2025-06:
- EU member states: the 27 since 1 February 2020 (United Kingdom left),
  https://european-union.europa.eu/principles-countries-history/eu-countries_en
  (Greece is "EL" in EU usage; ISO and the directory use "GR").
- Candidate countries: Albania, Bosnia and Herzegovina (candidate since
  15 December 2022), Georgia (14 December 2023), Moldova and Ukraine
  (23 June 2022), Montenegro, North Macedonia, Serbia, Türkiye,
  https://enlargement.ec.europa.eu/enlargement-policy_en
  (Kosovo is a potential candidate, "XK" as GeoNames writes it.)
- Eastern Partnership: Armenia, Azerbaijan, Belarus (suspended its
  participation on 28 June 2021), Georgia, Moldova, Ukraine,
  https://www.eeas.europa.eu/eeas/eastern-partnership_en
"""

EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
CANDIDATE_COUNTRIES = frozenset({"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"})
POTENTIAL_CANDIDATES = frozenset({"XK"})
EASTERN_PARTNERSHIP = frozenset({"AM", "AZ", "BY", "GE", "MD", "UA"})

COUNTRY_GROUPS = {
    "eu": EU_MEMBER_STATES,
    "candidates": CANDIDATE_COUNTRIES | POTENTIAL_CANDIDATES,
    "eastern_partnership": EASTERN_PARTNERSHIP,
}
