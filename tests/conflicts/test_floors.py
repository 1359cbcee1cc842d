"""The conflict detector's relevance floors: saved, fitted on tune, in force, and searched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import CONTRADICTION
from assistant.conflicts.detect import detect_conflicts
from assistant.conflicts.floors import FILE, Floors, current, trying
from tests.conflicts.test_detect import all_passages, load

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"
CALL = "How long did the Biden-Netanyahu phone call last?"


def test_the_saved_floors_are_shares_fitted_on_tune() -> None:
    saved = json.loads(FILE.read_text(encoding="utf-8"))
    floors = Floors.load()
    assert all(0.0 < v < 1.0 for v in floors.to_json().values())
    assert any("tune" in k for k in saved if k.startswith("fitted_on"))


def test_trying_floors_holds_only_within_the_block() -> None:
    fitted = current()
    strict = replace(fitted, claims=0.99)
    with pytest.raises(RuntimeError), trying(strict):
        assert current() == strict
        raise RuntimeError
    assert current() == fitted


def test_the_detector_compares_only_claims_above_the_floor() -> None:
    articles = load(SAMPLES)
    passages = all_passages(articles)

    def contradictions() -> list[object]:
        return [c for c in detect_conflicts(CALL, passages, articles) if c.kind == CONTRADICTION]

    assert contradictions()  # 30 against about 50 minutes
    with trying(Floors(claims=1.01, answers=1.01, counts=1.01, times=1.01)):
        assert contradictions() == []
