"""Fits how much of a yes-or-no question a sentence must hold to answer it
(`assistant/conflicts/polarity.py`), on the development set's `tune` split only.

    python -m bench.quality.fit_polarity            # writes assistant/conflicts/polarity.json
    python -m bench.quality.fit_polarity --dry-run  # prints the fit, writes nothing

Every yes-or-no tune question is retrieved as the assistant retrieves it and each story's articles
are read for their answers (`stances`). At a given floor, a conflict question counts as found when
two of its planted conflicting articles answer opposite ways, and any other question as a false
contradiction when two articles of one story do. The floor kept is the one with the most found
minus false, the highest of those tied (the fewest answers read).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.quality.fitting import command_line, save, tune_assistant
from bench.report import REPO_ROOT

OUTPUT = REPO_ROOT / "assistant" / "conflicts" / "polarity.json"
FLOORS = tuple(round(0.05 * n, 2) for n in range(4, 20))


@dataclass(frozen=True)
class Read:
    """One yes-or-no tune question: each article's answer with its sentence's share of the question."""

    conflict_pairs: tuple[tuple[str, ...], ...]
    stories: list[dict[str, tuple[str, float]]]  # per story: article -> (answer, relevance)


def read(assistant: Any, questions: Sequence[Any]) -> list[Read]:
    """The answers of every yes-or-no tune question's retrieved articles, at any relevance."""
    from assistant.conflicts.alignment import sentence_keys
    from assistant.conflicts.focus import focus
    from assistant.conflicts.polarity import stances

    out = []
    for q in questions:
        question, passages, articles = assistant.passages(q.seed.question, q.history)
        if not focus(question).yes_no or focus(question).family:
            continue
        by_story: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        for p in passages:
            if p.source in articles:
                by_story[articles[p.source].story][p.source].append((p.chunk.start, p.chunk.end))
        stories = []
        for spans in by_story.values():
            wanted = focus(question, sentence_keys(articles[s] for s in spans))
            found = stances(wanted, spans, articles, least=0.0)
            stories.append({s: (st.answer, st.relevance) for s, st in found.items()})
        out.append(Read(q.seed.conflict_between, stories))
    return out


def score(reads: Sequence[Read], floor: float) -> tuple[int, int]:
    """(conflict questions found, other questions with a false contradiction) at this floor."""
    found = false = 0
    for r in reads:
        kept = [{s: a for s, (a, rel) in story.items() if rel >= floor} for story in r.stories]
        if r.conflict_pairs:
            answers = {s: a for story in kept for s, a in story.items()}
            found += any(
                len({answers[s] for s in pair if s in answers}) == 2 and all(s in answers for s in pair)
                for pair in r.conflict_pairs
            )
        else:
            false += any(len(set(story.values())) == 2 for story in kept)
    return found, false


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, OUTPUT, argv)
    assistant, questions = tune_assistant()
    reads = read(assistant, questions)
    scores = {floor: score(reads, floor) for floor in FLOORS}
    for floor, (found, false) in scores.items():
        print(f"floor {floor:.2f}: found {found}, false {false}")
    best = max(found - false for found, false in scores.values())
    floor = max(f for f, (found, false) in scores.items() if found - false == best)
    found, false = scores[floor]
    fitted = {
        "min_relevance": floor,
        "fitted_on": f"development set tune split: {len(reads)} yes-or-no questions, "
        f"{sum(bool(r.conflict_pairs) for r in reads)} with planted conflicts; "
        f"at this floor {found} found, {false} false contradictions",
    }
    save(fitted, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
