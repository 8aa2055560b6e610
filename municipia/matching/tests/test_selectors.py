"""Engine profiles from the directory, suggestions, reasons as sentences."""

import pytest
from django.utils import translation

from municipia.directory.enums import OrganisationType, Visibility
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.matching import reasons, selectors, services
from municipia.matching.countries import CANDIDATE_COUNTRIES, EU_MEMBER_STATES
from municipia.matching.engine import Reason, SearchPreferences

from .conftest import make_editor, make_lrg

pytestmark = pytest.mark.django_db


def _profile(organisation):
    return next(p for p in selectors.build_profiles() if p.id == str(organisation.pk))


def test_profiles_carry_what_the_engine_needs(places, themes, association):
    places["tartu"].member_of.add(association)
    tartu = _profile(places["tartu"])
    assert tartu.name == "Tartu"
    assert tartu.country == "EE"
    assert tartu.population == 97000
    assert (tartu.latitude, tartu.longitude) == (58.38, 26.72)
    assert tartu.challenges == (
        "District heating. Our district heating network is old and loses heat.",
    )
    assert tartu.expertise == ()
    assert tartu.themes == frozenset({"waste-and-circular-economy"})
    assert tartu.languages == frozenset({"en", "et"})
    assert tartu.interests == frozenset({"thematic"})
    assert tartu.networks == frozenset({str(association.pk)})
    assert tartu.looking_for_partners is True
    assert selectors.theme_parents()["waste-and-circular-economy"] == "climate"


def test_only_local_and_regional_governments_looking_and_visible_are_candidates(
    places, association
):
    Organisation.objects.filter(pk=places["espoo"].pk).update(is_looking_for_partners=False)
    Organisation.objects.filter(pk=places["lyon"].pk).update(visibility=Visibility.HIDDEN)
    profiles = {p.id: p for p in selectors.build_profiles()}
    assert str(association.pk) not in profiles  # a national association is no LRG
    assert profiles[str(places["espoo"].pk)].looking_for_partners is False
    assert profiles[str(places["lyon"].pk)].looking_for_partners is False


def test_suggestions_are_explained_and_exclude_swiped_candidates(places):
    editor = make_editor("tartu@example.org", places["tartu"])
    found = selectors.suggestions_for_organisation(organisation=places["tartu"], viewer=editor)
    names = [s.organisation.name for s in found]
    assert names[0] == "Riga"
    assert set(names) == {"Riga", "Espoo", "Lyon"}
    codes = [r.code for r in found[0].reasons]
    assert "offers_expertise" in codes
    services.swipe(
        actor=editor, organisation=places["tartu"], candidate=places["riga"], decision="pass"
    )
    deck = selectors.suggestions_for_organisation(
        organisation=places["tartu"], viewer=editor, exclude_swiped=True
    )
    assert "Riga" not in [s.organisation.name for s in deck]


def test_country_groups_filter_suggestions(places):
    editor = make_editor("tartu@example.org", places["tartu"])
    make_lrg("Chisinau", "MD", population=640000)
    preferences = SearchPreferences(country_groups_wanted=frozenset({"candidates"}))
    found = selectors.suggestions_for_organisation(
        organisation=places["tartu"], viewer=editor, preferences=preferences
    )
    assert [s.organisation.name for s in found] == ["Chisinau"]
    assert "MD" in CANDIDATE_COUNTRIES and "MD" not in EU_MEMBER_STATES
    assert len(EU_MEMBER_STATES) == 27


def test_an_organisation_outside_the_engine_has_no_suggestions(places, association):
    assert selectors.suggestions_for_organisation(organisation=association, viewer=None) == []


def test_the_engine_is_kept_until_the_data_changes(places):
    engine = selectors.current_engine()
    assert selectors.current_engine() is engine
    services.profile_changed(organisation_id=places["lyon"].pk)
    make_lrg("Gent", "BE")
    assert selectors.current_engine() is not engine


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (
            Reason("offers_expertise", 1.0, {"challenge": "District heating", "expertise": "Heat"}),
            "Riga offers expertise on your challenge “District heating”",
        ),
        (
            Reason("needs_your_expertise", 1.0, {"challenge": "Ports", "expertise": "Harbours"}),
            "Your expertise “Harbours” answers their challenge “Ports”",
        ),
        (
            Reason("shared_challenge", 1.0, {"challenge": "A", "their_challenge": "Floods"}),
            "Like you, Riga works on “Floods”",
        ),
        (
            Reason("same_working_group", 1.0, {"themes": ["waste-and-circular-economy"]}),
            "Both work on Waste and Circular Economy",
        ),
        (
            Reason("same_community", 1.0, {"communities": ["climate"]}),
            "Both work on Climate — Accelerating Climate and Energy Transformation",
        ),
        (
            Reason("similar_size", 1.0, {"population": 52000, "candidate_population": 48000}),
            "Similar size: 52,000 and 48,000 inhabitants",
        ),
        (
            Reason("shared_sdgs", 1.0, {"sdgs": [7, 11]}),
            "Both work towards Sustainable Development Goals 7 and 11",
        ),
        (
            Reason("shared_interests", 1.0, {"interests": ["twinning"]}),
            "Both look for: Town twinning",
        ),
        (
            Reason("shared_languages", 1.0, {"languages": ["de", "en"]}),
            "Languages in common: German and English",
        ),
        (Reason("nearby", 1.0, {"km": 1250}), "1,250 km away"),
        (
            Reason("nearby_across_border", 1.0, {"km": 40, "candidate_country": "LV"}),
            "Across the border in Latvia, 40 km away",
        ),
        (
            Reason("country_affinity", 1.0, {"country": "EE", "candidate_country": "LV"}),
            "Organisations in Estonia and Latvia often partner",
        ),
        (
            Reason("common_partners", 1.0, {"count": 3, "partners": []}),
            "3 of your partners work with Riga",
        ),
        (
            Reason("common_partners", 1.0, {"count": 1, "partners": []}),
            "One of your partners works with Riga",
        ),
        (
            Reason("same_kind", 1.0, {"kind": "municipality"}),
            "Same type of organisation: Municipality",
        ),
        (Reason("no_partner_yet", 0.0, {}), "Riga has no partner yet"),
    ],
)
def test_reason_sentences(places, themes, reason, expected):
    with translation.override("en"):
        assert reasons.sentence(reason, places["tartu"], places["riga"]) == expected


def test_reasons_name_partners_and_networks(places, association):
    near = Reason("near_your_partners", 1.0, {"partner": str(places["espoo"].pk), "km": 80})
    networks = Reason("shared_networks", 1.0, {"networks": [str(association.pk)]})
    context = reasons.ReasonContext(reasons=[near, networks])
    assert reasons.sentence(near, places["tartu"], places["riga"], context=context) == (
        "80 km from your partner Espoo"
    )
    assert reasons.sentence(networks, places["tartu"], places["riga"], context=context) == (
        "Both are members of Deutsche Sektion des RGRE"
    )


def test_theme_labels_follow_the_language(places, themes):
    reason = Reason("same_working_group", 1.0, {"themes": ["waste-and-circular-economy"]})
    with translation.override("fr"):
        assert "Déchets et économie circulaire" in reasons.sentence(
            reason, places["tartu"], places["riga"]
        )


def test_every_reason_code_the_engine_emits_has_a_sentence(places):
    from municipia.matching.engine.core import REASON_OF_SIGNAL

    facts = {
        "challenge": "A", "their_challenge": "B", "expertise": "C", "themes": ["x"],
        "communities": ["y"], "sdgs": [1], "interests": ["thematic"], "languages": ["en"],
        "population": 1, "candidate_population": 2, "km": 3, "candidate_country": "LV",
        "partner": "0", "country": "EE", "count": 2, "partners": [], "networks": [],
        "kind": OrganisationType.REGION,
    }  # fmt: skip
    for code in {*REASON_OF_SIGNAL.values(), "no_partner_yet"}:
        assert reasons.sentence(Reason(code, 1.0, facts), places["tartu"], places["riga"]), code


def test_untagged_statements_in_different_languages_meet_through_auto_tagged_themes(db, themes):
    lille = make_lrg("Lille", "FR", population=236000, latitude=50.63, longitude=3.06)
    bochum = make_lrg("Bochum", "DE", population=364000, latitude=51.48, longitude=7.22)
    Challenge.objects.create(
        organisation=lille,
        title="Tri des déchets",
        text="Augmenter le recyclage et réduire la mise en décharge.",
        language="fr",
    )
    Expertise.objects.create(
        organisation=bochum,
        title="Mülltrennung",
        text="Getrennte Sammlung, Recycling und Kreislaufwirtschaft im Quartier.",
        language="de",
    )
    tagged = Challenge.objects.create(
        organisation=bochum, title="Recycling", text="Recycling.", language="en"
    )
    tagged.themes.add(themes["climate"])  # an author's own choice is never replaced
    profiles = {p.name: p for p in selectors.build_profiles()}
    assert "waste-and-circular-economy" in profiles["Lille"].themes
    assert {"waste-and-circular-economy", "climate"} <= profiles["Bochum"].themes

    editor = make_editor("lille@example.org", lille)
    found = selectors.suggestions_for_organisation(organisation=lille, viewer=editor)
    reasons = {r.code: r for r in found[0].reasons}
    assert found[0].organisation == bochum
    assert "waste-and-circular-economy" in reasons["same_working_group"].facts["themes"]
