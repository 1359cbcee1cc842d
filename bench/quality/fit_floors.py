"""Fits the conflict detector's relevance floors and its word shares of sameness
(`assistant/conflicts/floors.py`) on the development set's `tune` split, the fitting half of RAMDocs
and ConflictQA's train and dev rows.

    python -m bench.quality.fit_floors            # writes assistant/conflicts/floors.json
    python -m bench.quality.fit_floors --dry-run  # prints the fit, writes nothing
    python -m bench.quality.fit_floors --only same_subject equal_share   # search these, keep the rest

Every tune question is retrieved once as the assistant retrieves it; the detector then runs on those
passages under candidate floors. A conflict question counts as found when a contradiction sets its
planted articles against each other, any other answerable question as a false contradiction when it
gets a contradiction at all (the development set's own measures). RAMDocs questions at even
positions (`python -m bench.quality.conflict_eval` reads them all, its documents pooled) count the
same way: a contradiction on a question with misinformation documents is found, on one without is
false; so do ConflictQA's train and dev rows (a second answer marked by annotators; its test rows stay
held out). The gain of a choice is found minus false. The floors are searched one at a time over their
grids (coordinate ascent from the saved floors, until a full round changes nothing), each set to the
value with the most found minus false over all three sets. A floor moves only on evidence:
- to a value that loses on none of the three sets. One floor serves questions of every kind, so a
  value that buys questions of one set with false contradictions on another fits that set, not the
  floor. (Moving `same_sentence` from 0.6 to 0.4 gained 2 on the sum and lost 1 on RAMDocs; its
  held-out half and ConflictQA's test rows gained 1 between them.)
- and only when it gains at least `MARGIN` more than the current value: a single question's
  difference is within what a rebuilt store moves.
Then it goes to the middle of the widest run of neighbouring best values among those (the value
farthest from where the counts change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from assistant.conflicts.floors import FILE, Floors, trying
from bench.quality.fitting import command_line, save, tune_assistant

GRID = tuple(round(0.1 * n, 1) for n in range(2, 10))  # 0.2 ... 0.9
# Sameness of whole articles is a smaller share: long articles about one event share a fifth of their
# words, articles about different events a few hundredths.
GRIDS = {"same_subject": (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)}
ROUNDS = 3
MARGIN = 2  # questions of gain a floor must win by to move


@dataclass(frozen=True)
class Retrieved:
    """One fitting question as the detector sees it (a tune question, a RAMDocs or ConflictQA row):
    the standalone question, its passages and their articles, and what is expected."""

    question: str
    passages: Sequence[Any]
    articles: dict[str, Any]
    conflict_pairs: tuple[tuple[str, ...], ...]  # empty: any contradiction is the expected one
    conflict: bool


def retrieve(assistant: Any, questions: Sequence[Any]) -> list[Retrieved]:
    """The answerable tune questions, each retrieved once."""
    out = []
    for q in questions:
        if q.seed.unanswerable:
            continue
        question, passages, articles = assistant.passages(q.seed.question, q.history)
        out.append(Retrieved(question, passages, articles, q.seed.conflict_between, q.seed.conflict))
    return out


def conflictqa_fitting() -> list[Retrieved]:
    """ConflictQA's train and dev rows, every snippet's chunks their passages."""
    from bench.quality.conflict_eval import DATA, conflictqa, passages_of

    cases = conflictqa(DATA / "qacc-conflictqa" / "ConflictQA_Dataset.json.gz", ("train", "dev"))
    return [Retrieved(c.question, passages_of(c.articles), c.articles, (), c.conflict) for c in cases]


def ramdocs_half() -> list[Retrieved]:
    """RAMDocs questions at even positions, every document's chunks their passages."""
    from bench.quality.conflict_eval import DATA, passages_of, ramdocs

    cases = ramdocs(DATA / "ramdocs" / "RAMDocs_test.jsonl.gz")
    return [
        Retrieved(c.question, passages_of(c.articles), c.articles, (), c.conflict)
        for n, c in enumerate(cases)
        if n % 2 == 0
    ]


def score(asked: Sequence[Retrieved], floors: Floors) -> tuple[int, int]:
    """(conflict questions found, other questions given a contradiction) under these floors."""
    from assistant.answer import CONTRADICTION
    from assistant.conflicts.detect import detect_conflicts

    found = false = 0
    with trying(floors):
        for r in asked:
            sides = [
                {s.source for s in c.sides}
                for c in detect_conflicts(r.question, r.passages, r.articles)
                if c.kind == CONTRADICTION
            ]
            if r.conflict:
                pairs = r.conflict_pairs or ((),)
                found += any(set(pair) <= s for pair in pairs for s in sides)
            else:
                false += bool(sides)
    return found, false


def fit(
    sets: Sequence[Sequence[Retrieved]], start: Floors, only: Sequence[str] = ()
) -> tuple[Floors, tuple[int, int]]:
    """Coordinate ascent on found minus false from `start` over the floors named in `only` (all by
    default): a floor moves only to a value that loses on none of `sets` and gains `MARGIN` more on
    all of them together, the middle of the widest run of the best such values. Returns the floors
    and their (found, false) over all the sets."""

    def per_set(floors: Floors) -> list[tuple[int, int]]:
        return [score(asked, floors) for asked in sets]

    floors, best = start, per_set(start)
    names = [f.name for f in fields(Floors) if not only or f.name in only]
    for _ in range(ROUNDS):
        before = floors
        for name in names:
            grid = GRIDS.get(name, GRID)
            value = getattr(floors, name)  # its counts are `best`: no need to compute them again
            tried = {
                v: best if v == value else per_set(replace(floors, **{name: v}))
                for v in sorted({*grid, value})
            }
            kept = [found - false for found, false in best]
            gains = {
                v: sum(found - false for found, false in counts)
                for v, counts in tried.items()
                if all(found - false >= k for (found, false), k in zip(counts, kept, strict=True))
            }
            if gains[value] <= max(gains.values()) - MARGIN:
                value = middle_of_best({v: g for v, g in gains.items() if v in grid}, grid)
            floors, best = replace(floors, **{name: value}), tried[value]
            curve = ", ".join(f"{v:.2f}: {' '.join(f'{f}/{x}' for f, x in c)}" for v, c in tried.items())
            print(f"{name} -> {value:.2f} (found/false per set {curve})", flush=True)
        if floors == before:
            break
    return floors, total(best)


def total(counts: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """(found, false) summed over sets."""
    return sum(found for found, _ in counts), sum(false for _, false in counts)


def middle_of_best(gains: dict[float, int], grid: Sequence[float] = ()) -> float:
    """The grid value in the middle of the widest run of neighbouring values with the best gain
    (the lower middle of an even run; the lowest run of the widest). A value of `grid` missing from
    `gains` (one that may not be chosen) breaks a run."""
    top = max(gains.values())
    runs: list[list[float]] = [[]]
    for v in sorted({*gains, *grid}):
        if gains.get(v) == top:
            runs[-1].append(v)
        elif runs[-1]:
            runs.append([])
    widest = max(runs, key=len)  # the first of the widest: max keeps the earliest on ties
    return widest[(len(widest) - 1) // 2]


def fitting_sets() -> dict[str, list[Retrieved]]:
    """The three fitting sets by name, each question retrieved once."""
    assistant, questions = tune_assistant()
    return {
        "development set tune split": retrieve(assistant, questions),
        "RAMDocs even positions": ramdocs_half(),
        "ConflictQA train and dev": conflictqa_fitting(),
    }


def described(sets: dict[str, list[Retrieved]], floors: Floors) -> dict[str, str]:
    """What each set holds and what these floors find in it, as saved beside the floors."""
    out = {}
    for name, asked in sets.items():
        found, false = score(asked, floors)
        out[f"fitted_on: {name}"] = (
            f"{len(asked)} answerable questions, {sum(r.conflict for r in asked)} with conflicts; "
            f"at these floors {found} found, {false} false contradictions"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FILE, argv, only=[f.name for f in fields(Floors)])
    sets = fitting_sets()
    floors, _ = fit(list(sets.values()), Floors.load(args.output), args.only)
    save({**floors.to_json(), **described(sets, floors)}, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
