"""The conflict detector's relevance floors: saved, fitted on tune, in force, and searched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import CONTRADICTION
from assistant.conflicts.detect import detect_conflicts
from assistant.conflicts.floors import FILE, Floors, current, trying
from tests.conflicts.test_detect import all_passages, article, load, pool

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"
CALL = "How long did the Biden-Netanyahu phone call last?"
ARCHITECT = "Who designed the Lorrin public library?"


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
    with trying(replace(Floors.load(), claims=1.01, answers=1.01, counts=1.01, times=1.01)):
        assert contradictions() == []


@pytest.mark.parametrize("share", ["same_sentence", "same_subject", "equal_share"])
def test_undated_restatements_contradict_only_as_alike_as_the_shares_in_force(share: str) -> None:
    text = (
        "The Lorrin public library is a brick building on Mill Street. "
        "It was designed by the architect {} and opened in 1932."
    )
    a, b = article("a", text.format("Ada Fenn")), article("b", text.format("Tom Hale"))
    articles = pool(a, b)

    def kinds() -> list[str]:
        return [c.kind for c in detect_conflicts(ARCHITECT, all_passages(articles), articles)]

    assert kinds() == [CONTRADICTION]
    with trying(replace(current(), **{share: 1.01})):
        assert kinds() == []
