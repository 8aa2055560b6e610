"""Sentences for the engine's reasons, in the active language.

The engine explains a suggestion with structured reasons (`Reason.code` and
its `facts`, see `engine/core.py`); this module turns them into sentences a
person reads: theme codes become theme labels in the viewer's language and
organisation ids become names. `sentences_for` loads every label and name a
list of suggestions needs in two queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.directory.choices import country_name, language_name
from municipia.directory.enums import OrganisationType, PartnershipInterest
from municipia.directory.models import Organisation
from municipia.parsing import parse_id
from municipia.taxonomy.models import Theme

from .engine import Reason


def _quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def _listed(items: Sequence[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


class ReasonContext:
    """Theme labels and organisation names for the reasons of one page."""

    def __init__(self, *, reasons: Iterable[Reason] = ()):
        reasons = list(reasons)
        codes = {
            code
            for r in reasons
            for code in r.facts.get("themes", []) + r.facts.get("communities", [])
        }
        self.themes = (
            {t.code: t.label for t in Theme.objects.filter(code__in=codes)} if codes else {}
        )
        ids = set()
        for r in reasons:
            ids.update(r.facts.get("partners", []))
            ids.update(r.facts.get("networks", []))
            if "partner" in r.facts:
                ids.add(r.facts["partner"])
        numeric = [number for i in ids if (number := parse_id(str(i))) is not None]
        rows = Organisation.objects.filter(pk__in=numeric).values_list("pk", "name")
        self.names = {str(pk): name for pk, name in rows} if numeric else {}

    def theme(self, code: str) -> str:
        return self.themes.get(code, code)

    def name(self, organisation_id) -> str:
        return self.names.get(str(organisation_id), "")


def sentence(
    reason: Reason,
    organisation: Organisation,
    candidate: Organisation,
    *,
    context: ReasonContext | None = None,
) -> str:
    """One reason as a sentence from `organisation`'s point of view about
    `candidate`; an empty string for a code this module does not know."""
    context = context or ReasonContext(reasons=[reason])
    facts = reason.facts
    code = reason.code
    name = candidate.name
    if code == "shared_challenge":
        return _("Like you, %(name)s works on %(challenge)s") % {
            "name": name,
            "challenge": _quoted(facts["their_challenge"]),
        }
    if code == "offers_expertise":
        return _("%(name)s offers expertise on your challenge %(challenge)s") % {
            "name": name,
            "challenge": _quoted(facts["challenge"]),
        }
    if code == "needs_your_expertise":
        return _("Your expertise %(expertise)s answers their challenge %(challenge)s") % {
            "expertise": _quoted(facts["expertise"]),
            "challenge": _quoted(facts["challenge"]),
        }
    if code in {"same_working_group", "same_community"}:
        labels = [context.theme(c) for c in facts.get("themes") or facts.get("communities")]
        return _("Both work on %(themes)s") % {"themes": _listed(labels)}
    if code == "shared_sdgs":
        numbers = [str(n) for n in facts["sdgs"]]
        return ngettext(
            "Both work towards Sustainable Development Goal %(goals)s",
            "Both work towards Sustainable Development Goals %(goals)s",
            len(numbers),
        ) % {"goals": _listed(numbers)}
    if code == "shared_interests":
        labels = [
            PartnershipInterest(i).label if i in PartnershipInterest.values else i
            for i in facts["interests"]
        ]
        return _("Both look for: %(interests)s") % {"interests": _listed(labels)}
    if code == "shared_languages":
        return _("Languages in common: %(languages)s") % {
            "languages": _listed([language_name(c) or c for c in facts["languages"]])
        }
    if code == "similar_size":
        return _("Similar size: %(own)s and %(theirs)s inhabitants") % {
            "own": number_format(facts["population"], force_grouping=True),
            "theirs": number_format(facts["candidate_population"], force_grouping=True),
        }
    if code == "nearby":
        return _("%(km)s km away") % {"km": number_format(facts["km"], force_grouping=True)}
    if code == "nearby_across_border":
        return _("Across the border in %(country)s, %(km)s km away") % {
            "country": country_name(facts["candidate_country"]),
            "km": number_format(facts["km"], force_grouping=True),
        }
    if code == "near_your_partners":
        return _("%(km)s km from your partner %(partner)s") % {
            "km": number_format(facts["km"], force_grouping=True),
            "partner": context.name(facts["partner"]),
        }
    if code == "country_affinity":
        if facts["country"] == facts["candidate_country"]:
            return _("Organisations in %(country)s often partner with each other") % {
                "country": country_name(facts["country"])
            }
        return _("Organisations in %(country)s and %(other)s often partner") % {
            "country": country_name(facts["country"]),
            "other": country_name(facts["candidate_country"]),
        }
    if code == "common_partners":
        count = facts["count"]
        return ngettext(
            "One of your partners works with %(name)s",
            "%(count)s of your partners work with %(name)s",
            count,
        ) % {"count": count, "name": name}
    if code == "shared_networks":
        names = [n for n in (context.name(i) for i in facts["networks"]) if n]
        return _("Both are members of %(networks)s") % {"networks": _listed(names)}
    if code == "same_kind":
        kind = facts["kind"]
        label = OrganisationType(kind).label if kind in OrganisationType.values else kind
        return _("Same type of organisation: %(kind)s") % {"kind": label}
    if code == "no_partner_yet":
        return _("%(name)s has no partner yet") % {"name": name}
    return ""


def sentences_for(suggestions, organisation: Organisation) -> list[tuple[object, list[dict]]]:
    """Each suggestion (with `.organisation` and `.reasons`) with its reasons as
    dicts of code, facts and sentence, loading what the sentences need at once."""
    context = ReasonContext(reasons=[r for s in suggestions for r in s.reasons])
    return [
        (
            suggestion,
            [
                {
                    "code": r.code,
                    "facts": r.facts,
                    "sentence": sentence(r, organisation, suggestion.organisation, context=context),
                }
                for r in suggestion.reasons
            ],
        )
        for suggestion in suggestions
    ]
