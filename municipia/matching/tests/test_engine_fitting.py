"""What the evaluation work added to the engine: places estimated from the
country, the pairwise ranker, group-aware folds, and the validation split and
group column of the converters."""

import csv
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from municipia.matching.engine import MatchingEngine, OrganisationProfile
from municipia.matching.engine.datasets import read_groups
from municipia.matching.engine.evaluation import (
    _fold_of_pairs,
    evaluate,
    fit_from_partnerships,
)
from municipia.matching.engine.features import INDEX
from municipia.matching.engine.model import fit_pairwise_ranker

from .test_commands import SHARED_DATA, _need_shared_data


def org(id, **fields):
    return OrganisationProfile(id=id, name=id.title(), **fields)


def test_an_organisation_without_a_place_is_placed_in_its_country():
    e = MatchingEngine(
        [
            org("riga", country="LV", latitude=56.95, longitude=24.1),
            org("jelgava", country="LV", latitude=56.65, longitude=23.7),
            org("lisbon", country="PT", latitude=38.7, longitude=-9.1),
            org("somewhere-lv", country="LV"),
            org("nowhere"),
        ]
    )
    s = e.signals("somewhere-lv")
    riga, lisbon, nowhere = e.index["riga"], e.index["lisbon"], e.index["nowhere"]
    # Near Latvian towns, far from Lisbon: not the neutral value of an unknown place.
    assert s[riga, INDEX["nearness"]] > 0.9 > 0.01 > s[lisbon, INDEX["nearness"]]
    assert s[nowhere, INDEX["nearness"]] == 0.25  # no country either: still neutral
    assert e.matrices.place_estimated[e.index["somewhere-lv"]]
    assert not e.matrices.place_estimated[riga]
    # A reason never quotes a distance from an estimated place.
    suggestions = e.suggest("riga", limit=4)
    estimated = next(x for x in suggestions if x.organisation_id == "somewhere-lv")
    assert "nearby" not in [r.code for r in estimated.reasons]
    jelgava = next(x for x in suggestions if x.organisation_id == "jelgava")
    facts = {r.code: r.facts for r in jelgava.reasons}
    assert "nearby" not in facts or facts["nearby"]["km"] > 0


def test_pairwise_ranker_learns_the_order_and_a_calibrated_probability():
    rng = np.random.default_rng(0)
    features = len(INDEX)
    # Partners are those with a high signal 0; signal 1 is the same for all
    # candidates of a source (no order in it) but differs between sources.
    source_level = rng.normal(0, 3, (400, 1))
    better = rng.normal(0, 1, (400, features))
    worse = rng.normal(0, 1, (400, features))
    better[:, 0] += 2.0
    better[:, 1] = worse[:, 1] = source_level[:, 0]
    model = fit_pairwise_ranker(better, worse, better, worse)
    assert model.weights[0] > 0.5
    assert abs(model.weights[1]) < 1e-9  # constant within every pair: no weight
    assert model.source == "fitted-pairwise"
    p_better = 1 / (1 + np.exp(-model.score(better.astype(np.float32))))
    p_worse = 1 / (1 + np.exp(-model.score(worse.astype(np.float32))))
    assert np.mean(p_better > p_worse) > 0.8
    assert 0.3 < p_better.mean() < 1 and 0 < p_worse.mean() < 0.5


def test_pairwise_ranker_never_reverses_its_order():
    rng = np.random.default_rng(1)
    better = rng.normal(0, 1, (200, len(INDEX)))
    better[:, 0] += 1.0
    worse = rng.normal(0, 1, (200, len(INDEX)))
    # Calibrated on labels that contradict the pairs: the slope is kept positive.
    model = fit_pairwise_ranker(better, worse, worse, better)
    assert model.weights[0] >= 0


def test_group_aware_folds_keep_a_network_together():
    pairs = [(f"a{i}", f"b{i}") for i in range(40)]
    groups = {p: f"network-{i // 8}" for i, p in enumerate(pairs[:32])}  # 4 networks of 8
    folds = _fold_of_pairs(pairs, groups, 5, random.Random(0))
    for network in range(4):
        assert (
            len(
                {
                    f
                    for p, f in zip(pairs, folds, strict=True)
                    if p in groups and groups[p] == f"network-{network}"
                }
            )
            == 1
        )
    assert set(folds[32:]) <= set(range(5))  # pairs without a group are spread
    assert len(set(folds[32:])) > 1


def clique_profiles(count=60, seed=2):
    """Generated (not real) towns in six networks of ten, each network in its own region."""
    rng = np.random.default_rng(seed)
    profiles, pairs, groups = [], [], {}
    for i in range(count):
        network = i // 10
        profiles.append(
            org(
                f"t{i}",
                country=["DE", "FR", "PL"][network % 3],
                latitude=45.0 + network * 2 + rng.normal(0, 0.3),
                longitude=5.0 + network * 2 + rng.normal(0, 0.3),
                population=int(rng.integers(5_000, 500_000)),
            )
        )
    for network in range(count // 10):
        members = [f"t{network * 10 + k}" for k in range(10)]
        for x in range(10):
            for y in range(x + 1, 10):
                pairs.append((members[x], members[y]))
                groups[(members[x], members[y])] = f"n{network}"
    return profiles, pairs, groups


def test_fit_with_groups_and_pairwise_and_pointwise_all_rank_by_region():
    profiles, pairs, groups = clique_profiles()
    random.Random(0).shuffle(pairs)
    train, test = pairs[:200], pairs[200:]
    for pairwise in (True, False):
        for g in (groups, None):
            result = evaluate(profiles, train, test, pairwise=pairwise, groups=g)
            assert result["engine"]["mrr"] > 2 * result["baselines"]["random"]["mrr"]
    engine = MatchingEngine(profiles, train)
    model = fit_from_partnerships(engine, train, groups=groups, pairwise=True)
    assert model.source == "fitted-pairwise"
    weights = dict(zip(INDEX, model.weights, strict=True))
    assert weights["nearness"] + weights["closeness"] > 0


def test_group_column_is_read_and_optional(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,split,group\n1,2,train,N1\n2,3,test,\n", encoding="utf-8")
    assert read_groups(path) == {("1", "2"): "N1"}
    path.write_text("a,b,split\n1,2,train\n", encoding="utf-8")
    assert read_groups(path) == {}


def test_urbact_validation_split_holds_out_the_2013_networks_only(tmp_path):
    _need_shared_data()
    call_command(
        "convert_evaluation_data",
        "urbact",
        SHARED_DATA / "networks",
        tmp_path,
        "--validation",
        stdout=StringIO(),
    )
    with open(SHARED_DATA / "networks" / "urbact_networks.csv", encoding="utf-8") as handle:
        start = {
            r["Code_Network"]: int((r["Start"] or "0").strip() or 0)
            for r in csv.DictReader(handle, delimiter=";")
        }
    with open(tmp_path / "pairs.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(start[r["group"]] < 2015 for r in rows)  # no test network at all
    assert {start[r["group"]] for r in rows if r["split"] == "test"} == {2013}
    assert all(start[r["group"]] < 2013 for r in rows if r["split"] == "train")


def test_interreg_validation_seed_chooses_another_split_of_the_training_projects(tmp_path):
    _need_shared_data()
    source = SHARED_DATA / "interreg"
    tests, projects = {}, {}
    for seed in ("1", "2"):
        out = tmp_path / seed
        call_command(
            "convert_evaluation_data",
            "interreg",
            source,
            out,
            "--validation",
            "--validation-seed",
            seed,
            stdout=StringIO(),
        )
        with open(out / "pairs.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        tests[seed] = {r["group"] for r in rows if r["split"] == "test"}
        projects[seed] = {r["group"] for r in rows}
    assert tests["1"] and tests["2"] and tests["1"] != tests["2"]
    assert projects["1"] == projects["2"]
    # The same training projects are split, only differently.
    default = tmp_path / "default"
    call_command(
        "convert_evaluation_data", "interreg", source, default, "--validation", stdout=StringIO()
    )
    with open(default / "pairs.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["group"] for r in rows} == projects["1"]
    assert {r["group"] for r in rows if r["split"] == "test"} == tests["1"]


def test_validation_seed_is_refused_where_it_means_nothing(tmp_path):
    for arguments in (
        ["urbact", SHARED_DATA / "networks", tmp_path, "--validation"],
        ["interreg", SHARED_DATA / "interreg", tmp_path],
    ):
        with pytest.raises(CommandError, match="--validation-seed needs"):
            call_command(
                "convert_evaluation_data", *arguments, "--validation-seed", "2", stdout=StringIO()
            )


def test_converted_pairs_carry_their_network(tmp_path):
    _need_shared_data()
    call_command(
        "convert_evaluation_data", "urbact", SHARED_DATA / "networks", tmp_path, stdout=StringIO()
    )
    groups = read_groups(tmp_path / "pairs.csv")
    assert len(groups) > 5000 and len(set(groups.values())) > 150
