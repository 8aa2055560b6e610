import pytest

from municipia.parsing import MAX_ID, parse_id, parse_ids, parse_whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("٣", None),
        ("4²", None),
        ("", None),
        ("12a", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_id_takes_only_ascii_ids_that_fit_the_database(text, expected):
    assert parse_id(text) == expected


def test_parse_ids_keeps_order_drops_repeats_and_garbage_and_reads_a_limited_number():
    assert parse_ids(["3", "x", "1", "3", "²", "2"]) == [3, 1, 2]
    assert parse_ids([str(i) for i in range(1, 500)], limit=5) == [1, 2, 3, 4, 5]


def test_parse_whole_number_allows_zero_but_not_unicode_digits():
    assert parse_whole_number("0") == 0
    assert parse_whole_number("12") == 12
    assert parse_whole_number("①") is None
