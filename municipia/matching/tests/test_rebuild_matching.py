"""The rebuild_matching command and its full recompute of every organisation's
best candidates."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from municipia.matching import selectors
from municipia.matching.engine.blocks import ranked_candidates


def test_rebuild_without_recompute_only_builds(places):
    out = StringIO()
    call_command("rebuild_matching", stdout=out)
    assert "Matching engine built: 4 organisations" in out.getvalue()
    assert "recomputed" not in out.getvalue()


def test_recompute_lists_the_best_candidates_of_every_organisation(places, tmp_path):
    out = StringIO()
    output = tmp_path / "top.csv"
    call_command("rebuild_matching", "--top", "2", "--output", str(output), stdout=out)
    assert "Best 2 candidates of 4 organisations recomputed" in out.getvalue()
    with open(output, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8
    engine = selectors.current_engine()
    for organisation in places.values():
        listed = [r for r in rows if r["organisation"] == str(organisation.pk)]
        assert [r["rank"] for r in listed] == ["1", "2"]
        expected, _ = ranked_candidates(engine, engine.index[str(organisation.pk)], 2)
        assert [r["candidate"] for r in listed] == [engine.profiles[i].id for i in expected]
    tartu = [r for r in rows if r["organisation"] == str(places["tartu"].pk)]
    assert tartu[0]["candidate"] == str(places["riga"].pk)  # offers district heating


@pytest.mark.parametrize(
    "arguments", [["--output", "top.csv"], ["--top", "-1"], ["--top", "5", "--workers", "0"]]
)
def test_bad_options_are_refused_clearly(db, arguments):
    with pytest.raises(CommandError):
        call_command("rebuild_matching", *arguments, stdout=StringIO())
