"""Names of countries and languages offered in forms."""

from municipia.directory.choices import language_choices, language_name


def test_language_names_leave_out_iso_639_s_dating():
    assert language_name("el", "en") == "Modern Greek"
    assert language_name("el", "de") == "Neugriechisch"
    assert language_name("de", "fr") == "Allemand"
    assert language_name("xx") == "xx"


def test_no_offered_language_name_carries_a_date(db):
    assert not [name for _code, name in language_choices() if any(c.isdigit() for c in name)]
