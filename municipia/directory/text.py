"""Text folding for accent-insensitive search that behaves the same on SQLite and
PostgreSQL: both databases only ever compare already-folded text."""

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark,
# and typographic apostrophes ("Saint Paul’s Bay" is found by "saint paul's").
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "\u0131": "i",
        "ħ": "h",
        "þ": "th",
        "\u2019": "'",
        "\u02bc": "'",
    }
)
# Combining marks left over after NFKD decomposition (accents, cedillas,
# Cyrillic titlos…); a regex is several times faster than testing each
# character with unicodedata.combining, which matters for 400,000 place names.
_COMBINING_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse whitespace: "  Köln " → "koln",
    "Łódź" → "lodz", "Straße" → "strasse"."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    return " ".join(_COMBINING_MARKS.sub("", text).split())


# Separates names inside `Organisation.search_text`: "|koln|cologne|colonia|".
# With a separator on both sides, one LIKE finds an exact name ("|koln|") or a
# name prefix ("|kol") as well as any substring.
NAME_SEPARATOR = "|"


def search_text_for(names) -> str:
    """The `search_text` of an organisation: every folded name once, first name first."""
    folded = dict.fromkeys(fold(name.replace(NAME_SEPARATOR, " ")) for name in names)
    folded.pop("", None)
    if not folded:
        return ""
    return NAME_SEPARATOR + NAME_SEPARATOR.join(folded) + NAME_SEPARATOR


def encode_codes(codes) -> str:
    """["de", "en"] → ",de,en," (how multi-valued code fields are stored, so that
    one `__contains=",de,"` finds a code on both databases)."""
    codes = list(dict.fromkeys(code for code in codes if code))
    return f",{','.join(codes)}," if codes else ""


def decode_codes(value: str) -> list[str]:
    """ ",de,en," → ["de", "en"]."""
    return [code for code in (value or "").split(",") if code]
