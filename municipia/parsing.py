"""Reading numbers out of text that anyone may have typed: query strings, posts and
imported files. No Django imports, so the pure modules use it too.

`str.isdigit()` is true for '²' and '٣', which `int()` refuses or reads as another
number, and a long run of digits overflows a database integer: both used to turn a
crafted address into a server error.
"""

# The largest primary key the databases hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(text: object) -> int | None:
    """A positive whole number written in ASCII digits that fits a database id, else None."""
    number = parse_whole_number(text)
    return number if number and number <= MAX_ID else None


def parse_ids(texts, *, limit: int = 200) -> list[int]:
    """The distinct ids among `texts` (at most `limit` read), in their order."""
    ids: list[int] = []
    for text in list(texts)[:limit]:
        number = parse_id(text)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def parse_whole_number(text: object) -> int | None:
    """A non-negative whole number in ASCII digits (a day index, a position), else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    return int(text)
