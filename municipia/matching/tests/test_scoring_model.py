"""Fitting the scoring model from partnerships and swipes: evaluation figures
stored, hand-set weights kept when there is too little data, the engine using
the newest active version."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from municipia.matching import selectors, services
from municipia.matching.engine import MatchingEngine, OrganisationProfile, ScoringModel
from municipia.matching.engine.evaluation import fit_with_evaluation
from municipia.matching.models import ScoringModelVersion, Swipe
from municipia.partnerships.models import Partnership

from .conftest import make_lrg


def clustered_profiles(count=120, seed=1):
    """Generated profiles (not real): four themes, organisations partner within
    their theme, so a fitted model should weigh the shared theme."""
    rng = np.random.default_rng(seed)
    themes = ["waste", "energy", "mobility", "youth"]
    profiles = [
        OrganisationProfile(
            id=f"o{i}",
            country=str(rng.choice(["DE", "FR", "PL"])),
            latitude=float(rng.uniform(40, 60)),
            longitude=float(rng.uniform(0, 25)),
            population=int(rng.integers(1000, 500_000)),
            themes=frozenset({themes[i % 4]}),
        )
        for i in range(count)
    ]
    pairs = set()
    while len(pairs) < count:
        a, b = rng.integers(0, count, 2)
        if a != b and a % 4 == b % 4:
            pairs.add((f"o{min(a, b)}", f"o{max(a, b)}"))
    return profiles, sorted(pairs)


def test_too_little_data_keeps_the_hand_set_weights():
    profiles, pairs = clustered_profiles()
    engine = MatchingEngine(profiles)
    model = fit_with_evaluation(engine, pairs[:5], likes=pairs[5:8])
    assert model.weights == ScoringModel.default().weights
    assert model.evaluation["use"] is False
    assert model.evaluation["partnerships"] == 5 and model.evaluation["likes"] == 3
    assert "too little data" in model.evaluation["why"]


def test_fitted_model_is_evaluated_against_the_hand_set_weights():
    profiles, pairs = clustered_profiles()
    engine = MatchingEngine(profiles)
    likes = [(b, a) for a, b in pairs[:20]]
    passes = [("o0", f"o{i}") for i in (1, 2, 3, 5, 6, 7)]  # other themes than o0's
    model = fit_with_evaluation(engine, pairs, likes=likes, passes=passes, seed=0)
    figures = model.evaluation
    assert model.source == "fitted"
    assert figures["partnerships"] == len(pairs) and figures["passes"] == 6
    assert figures["held_out_partnerships"] == round(len(pairs) * 0.2)
    for name in ("fitted", "hand_set"):
        assert 0 < figures[name]["mrr"] <= 1 and figures[name]["n"] > 0
    assert figures["use"] == (figures["fitted"]["mrr"] >= figures["hand_set"]["mrr"])
    # Partners always share their theme here: the fit must learn that.
    weights = dict(zip(ScoringModel.default().to_dict()["features"], model.weights, strict=True))
    assert weights["same_working_group"] > 0.5


@pytest.mark.django_db
def test_command_with_little_data_stores_the_attempt_but_keeps_hand_set_weights():
    a, b = make_lrg("Aachen", "DE"), make_lrg("Bruges", "BE")
    Swipe.objects.create(organisation=a, candidate=b, decision="like")
    out = StringIO()
    call_command("fit_scoring_model", stdout=out)
    version = ScoringModelVersion.objects.get()
    assert not version.is_active
    assert version.evaluation["likes"] == 1 and version.evaluation["use"] is False
    assert "stored, not active" in out.getvalue()
    assert services.active_scoring_model() == ScoringModel.default()


@pytest.mark.django_db
def test_command_fits_on_recorded_partnerships_and_the_engine_uses_it():
    organisations = [
        make_lrg(f"Town {i}", "DE", latitude=48 + i % 7, longitude=8 + i % 5, population=1000 * i)
        for i in range(1, 46)
    ]
    rng = np.random.default_rng(2)
    pairs = set()
    while len(pairs) < 40:
        i, j = sorted(rng.integers(0, 45, 2))
        if i != j and i % 3 == j % 3:
            pairs.add((i, j))
    for i, j in pairs:
        Partnership.objects.create(
            organisation_a=organisations[i], organisation_b=organisations[j], kind="twinning"
        )
    for i in range(3, 30, 3):
        Swipe.objects.create(
            organisation=organisations[0], candidate=organisations[i], decision="like"
        )
        Swipe.objects.create(
            organisation=organisations[0], candidate=organisations[i + 1], decision="pass"
        )
    version = services.fit_scoring_model(seed=0)
    figures = version.evaluation
    assert figures["partnerships"] == 40 and figures["likes"] == 9 and figures["passes"] == 9
    assert {"fitted", "hand_set"} <= set(figures)
    assert version.is_active == figures["use"]
    fitted = ScoringModel.from_dict(version.parameters)
    assert fitted.source == "fitted" and fitted != ScoringModel.default()

    # The engine uses the newest active version; only one is ever active.
    services.store_scoring_model(model=fitted)
    selectors.forget_engine()
    assert selectors.current_engine().model == fitted
    services.store_scoring_model(model=ScoringModel.default())
    assert ScoringModelVersion.objects.filter(is_active=True).count() == 1
    selectors.forget_engine()
    assert selectors.current_engine().model == ScoringModel.default()
