"""evaluate_matching and convert_evaluation_data on a small real file."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _need_shared_data():
    if not (SHARED_DATA / "networks").exists():
        message = f"{SHARED_DATA} is absent: the real data sets are not on this machine."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _evaluate(folder, **options) -> dict:
    """evaluate_matching on folder's organisations.csv and pairs.csv: its JSON line."""
    out = StringIO()
    call_command(
        "evaluate_matching",
        organisations=folder / "organisations.csv",
        pairs=folder / "pairs.csv",
        json=True,
        stdout=out,
        **options,
    )
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_evaluate_matching_on_urbact_networks(tmp_path):
    _need_shared_data()
    call_command(
        "convert_evaluation_data", "urbact", SHARED_DATA / "networks", tmp_path, stdout=StringIO()
    )
    results = _evaluate(tmp_path)
    assert set(results["baselines"]) == {"random", "nearest", "population", "most-connected"}
    engine = results["engine"]
    assert engine["n"] > 1000
    assert 0 < engine["mrr"] <= engine["recall@50"] <= 1
    # The engine must at least beat guessing on real partnerships.
    assert engine["mrr"] > results["baselines"]["random"]["mrr"]


def test_evaluate_matching_without_split_uses_a_seeded_split(tmp_path):
    (tmp_path / "organisations.csv").write_text(
        "id,name,country,latitude,longitude,population\n"
        + "".join(
            f"{i},Town {i},DE,{50 + i % 5 * 0.1},{7 + i // 5 * 0.1},{1000 * (i + 1)}\n"
            for i in range(30)
        )
        + "30,Nowhere,,NA,,\n",
        encoding="utf-8",
    )
    (tmp_path / "pairs.csv").write_text(
        "a,b\n" + "".join(f"{i},{(i + 1) % 31}\n" for i in range(31)), encoding="utf-8"
    )
    outputs = [_evaluate(tmp_path) for _ in range(2)]
    assert outputs[0] == outputs[1]  # reproducible
    assert outputs[0]["engine"]["n"] == 2 * 6  # 20 % of 31 pairs, both directions


def test_evaluate_matching_reports_a_bad_file_clearly(tmp_path):
    (tmp_path / "organisations.csv").write_text("id,name\n1,A\n", encoding="utf-8")
    (tmp_path / "pairs.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns"):
        call_command(
            "evaluate_matching",
            organisations=tmp_path / "organisations.csv",
            pairs=tmp_path / "pairs.csv",
        )


def test_evaluate_matching_can_auto_tag_the_profiles(tmp_path):
    """French and German towns on two subjects, partners across the language
    border on the same subject: only their themes (auto-tagged) say so."""
    texts = {
        ("FR", "waste"): "Tri des déchets et collecte des ordures ménagères",
        ("DE", "waste"): "Mülltrennung und Abfallwirtschaft",
        ("FR", "youth"): "Participation des jeunes et conseil municipal des jeunes",
        ("DE", "youth"): "Jugendbeteiligung und Jugendparlament",
    }
    rows = ["id,name,country,latitude,longitude,population,challenges"]
    towns = []
    for i in range(40):
        country, subject = ("FR", "DE")[i % 2], ("waste", "youth")[i // 2 % 2]
        towns.append((i, country, subject))
        rows.append(f"{i},Town {i},{country},{48 + i % 7 * 0.3},{6 + i % 5 * 0.3},,"
                    f"{texts[(country, subject)]}")  # fmt: skip
    (tmp_path / "organisations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pairs = [
        (a, b)
        for a, ca, sa in towns
        for b, cb, sb in towns
        if a < b and sa == sb and ca != cb and (a + b) % 3 == 0
    ]
    (tmp_path / "pairs.csv").write_text(
        "a,b,split\n" + "".join(f"{a},{b},{'test' if k % 4 == 0 else 'train'}\n"
                                for k, (a, b) in enumerate(pairs)),
        encoding="utf-8",
    )  # fmt: skip
    mrr = {
        auto_tag: _evaluate(tmp_path, no_fit=True, auto_tag=auto_tag)["engine"]["mrr"]
        for auto_tag in (False, True)
    }
    assert mrr[True] > mrr[False]
