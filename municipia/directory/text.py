"""Text folding for accent-insensitive search that behaves the same on SQLite and
PostgreSQL: both databases only ever compare already-folded text."""

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark.
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
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse whitespace: "  Köln " → "koln",
    "Łódź" → "lodz", "Straße" → "strasse"."""
    if not text:
        return ""
    text = text.casefold().translate(_SPECIAL_LETTERS)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return _WHITESPACE.sub(" ", text).strip()


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
