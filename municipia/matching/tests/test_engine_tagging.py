"""Auto-tagging of challenge and expertise texts with working groups."""

from municipia.matching.engine.tagging import ThemeTagger

TERMS = {
    "waste-and-circular-economy": {
        "en": ("waste sorting", "recycl*", "circular economy", "landfill*"),
        "fr": ("tri des dechets", "recycl*", "economie circulaire", "décharge*"),
        "de": ("Mülltrennung", "Kreislaufwirtschaft", "Recycling*"),
        "uk": ("сортування відходів", "переробк*"),
    },
    "climate-and-energy": {
        "en": ("district heat*", "renewable energ*", "energy efficien*"),
        "fr": ("chauffage urbain", "énergies renouvelables"),
        "pl": ("ciepł* sieciow*",),
    },
    "youth-engagement": {"en": ("youth", "young people")},
}


def test_texts_in_different_languages_get_the_same_working_group():
    tagger = ThemeTagger(TERMS)
    texts = [
        "We want to raise recycling rates and close the landfill.",
        "Améliorer le tri des déchets et passer à l'économie circulaire.",
        "Einführung der Mülltrennung und Ausbau der Kreislaufwirtschaft.",
        "Сортування відходів та переробка пластику.",
    ]
    for text in texts:
        found = tagger.suggest(text)
        assert found[0].code == "waste-and-circular-economy", text


def test_prefixes_accents_case_and_word_boundaries():
    tagger = ThemeTagger(TERMS)
    found = tagger.suggest("Our DISTRICT HEATING network; Énergies renouvelables; CIEPŁO SIECIOWE")
    assert [s.code for s in found] == ["climate-and-energy"]
    assert set(found[0].terms) == {"district heating", "energies renouvelables", "cieplo sieciowe"}
    # Multi-word terms weigh more than single words: 3 two-word terms.
    assert found[0].score == 4.5
    # A whole-word term does not match inside another word, nor a partial phrase.
    assert ThemeTagger(TERMS).suggest("youthful district") == []


def test_groups_are_ranked_by_score_and_limited():
    tagger = ThemeTagger(TERMS)
    text = "Young people sort waste: recycling and landfill reduction, and district heating."
    found = tagger.suggest(text)
    assert [s.code for s in found] == [
        "waste-and-circular-economy",
        "climate-and-energy",
        "youth-engagement",
    ]
    assert [s.code for s in tagger.suggest(text, limit=1)] == ["waste-and-circular-economy"]
    # The same term found twice counts once.
    assert tagger.suggest("recycling, recycled, recyclable")[0].score == 1.0
    assert tagger.suggest("Recycling here, recycling there")[0].terms == ("recycling",)


def test_a_text_without_any_term_gets_no_theme():
    assert ThemeTagger(TERMS).suggest("Night markets in the old town.") == []
    assert ThemeTagger(TERMS).suggest("") == []


def test_profiles_without_themes_get_those_of_their_texts():
    from municipia.matching.engine import OrganisationProfile
    from municipia.matching.engine.tagging import with_auto_themes

    untagged = OrganisationProfile(
        id="a",
        challenges=("Améliorer le tri des déchets et le recyclage.",),
        expertise=("Ciepło systemowe i odnawialne źródła energii.",),
    )
    chosen = OrganisationProfile(id="b", themes=frozenset({"digital"}), challenges=("Recycling.",))
    silent = OrganisationProfile(id="c", challenges=("Night markets.",))
    a, b, c = with_auto_themes([untagged, chosen, silent])
    assert {"waste-and-circular-economy", "climate-and-energy"} <= a.themes
    assert b.themes == {"digital"}  # an author's choice is kept as it is
    assert c.themes == frozenset()
