"""Story assignment measured on held-out labelled clusterings, beside a TF-IDF baseline.

    python -m bench.quality.stories             # print the table and write the "stories" section
    python -m bench.quality.stories --no-write  # print only
    python -m bench.quality.stories --thresholds  # the mixing-against-F1 trade, printed only

BASIL events of odd years and AllSides roundups at odd positions: the folds `fit_stories` never
reads. For each: pairwise precision, recall, F1 and adjusted Rand index of our stories built in one
go, of our stories built incrementally (the articles arriving in ten builds, oldest first), and of
the baseline (TF-IDF cosine, average linkage, one threshold fitted on the fitting folds). The mixed
corpus is both held-out folds indexed together: a story holding articles of two events is counted.
The development set's corpus (its invented stories and real multi-outlet coverage, each story folder
an event, read by the product's loader) is held out whole.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from bench.quality.story_data import FIT, HELD_OUT, Labelled, allsides, basil, devset, inputs
from bench.quality.story_measure import Score, baseline, ours, ours_incremental, score, tfidf_similarity
from bench.rows import Row
from index.story_pairs import StoryModel

TARGETS = {"BASIL": 0.95, "AllSides": 0.90}
THRESHOLDS = (0.3, 0.5, 0.7, 0.85, 0.95, 0.99)
BASELINE_GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.951, 0.025))


@dataclass(frozen=True)
class Result:
    """The scores on one held-out set."""

    name: str
    articles: int
    events: int
    ours: Score
    incremental: Score
    baseline: Score


def measure(embedder: Any, model: StoryModel | None = None) -> tuple[list[Result], float]:
    """Held-out results per data set and for the mixed corpus, and the baseline's fitted threshold."""
    model = model or StoryModel.load()
    sets = {"BASIL": basil(), "AllSides": allsides()}
    threshold = _fit_baseline([[r for r in rows if r.fold == FIT] for rows in sets.values()])
    held = {name: [r for r in rows if r.fold == HELD_OUT] for name, rows in sets.items()}
    held["mixed (BASIL + AllSides)"] = [r for rows in held.values() for r in rows]
    held["development set corpus"] = devset()
    results = []
    for name, rows in held.items():
        items = inputs(embedder, rows)
        gold = [r.event for r in rows]
        results.append(
            Result(
                name,
                len(rows),
                len(set(gold)),
                score(ours(model, items), gold),
                score(ours_incremental(model, items), gold),
                score(baseline(_tfidf(rows), threshold), gold),
            )
        )
    return results, threshold


def _tfidf(rows: Sequence[Labelled]) -> np.ndarray:
    return tfidf_similarity([r.article.title for r in rows], [r.article.text for r in rows])


def _fit_baseline(folds: Sequence[Sequence[Labelled]]) -> float:
    """The one TF-IDF threshold with the best mean F1 over the fitting folds."""
    similarities = [(_tfidf(rows), [r.event for r in rows]) for rows in folds]
    return max(
        BASELINE_GRID,
        key=lambda t: float(np.mean([score(baseline(s, t), gold).f1 for s, gold in similarities])),
    )


def rows(results: Sequence[Result]) -> list[Row]:
    """Rows for the `make eval` table: F1 and ARI, ours beside the TF-IDF baseline."""
    out = []
    for r in results:
        n = f"{r.articles} articles, {r.events} events"
        out.append(Row(f"stories: {r.name}", "pairwise F1", r.ours.f1, r.baseline.f1, n))
        out.append(Row(f"stories: {r.name}", "adjusted Rand index", r.ours.ari, r.baseline.ari, n))
    return out


def table(results: Sequence[Result], threshold: float) -> str:
    """The Markdown table of the "stories" section."""
    lines = [
        "| held-out set | clustering | precision | recall | F1 | ARI | stories | mixing two events |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for label, s in (
            ("ours", r.ours),
            ("ours, in 10 builds", r.incremental),
            (f"TF-IDF ≥ {threshold:.3f}", r.baseline),
        ):
            lines.append(
                f"| {r.name} ({r.articles} articles, {r.events} events) | {label} | {s.precision:.3f} | "
                f"{s.recall:.3f} | {s.f1:.3f} | {s.ari:.3f} | {s.stories} | {s.mixed} |"
            )
    met = [
        f"{name} F1 ≥ {target}: {'met' if _f1(results, name) >= target else 'missed'}"
        for name, target in TARGETS.items()
    ]
    return "\n".join(lines) + "\n\nTargets: " + "; ".join(met) + "."


def threshold_table(embedder: Any, thresholds: Sequence[float] = THRESHOLDS) -> str:
    """Held-out F1 and mixing at other linkage thresholds than the fitted one, for reading only:
    whether any threshold keeps AllSides F1 at its target with no story mixing two events."""
    model = StoryModel.load()
    rows_of = {"AllSides": [r for r in allsides() if r.fold == HELD_OUT]}
    rows_of["mixed"] = rows_of["AllSides"] + [r for r in basil() if r.fold == HELD_OUT]
    items_of = {name: inputs(embedder, rows) for name, rows in rows_of.items()}
    lines = [
        "| threshold | AllSides F1 | AllSides stories mixing two events | mixed F1 | mixed stories mixing "
        "two events | of them across data sets | most days apart in one of them |",
        "|---|---|---|---|---|---|---|",
    ]
    for threshold in sorted({model.threshold, *thresholds}):
        trial = replace(model, threshold=threshold)
        cells = [f"{threshold:.3f}{' (fitted)' if threshold == model.threshold else ''}"]
        predicted = {name: ours(trial, items) for name, items in items_of.items()}
        for name, rows in rows_of.items():
            s = score(predicted[name], [r.event for r in rows])
            cells += [f"{s.f1:.3f}", str(s.mixed)]
        cells += [str(n) for n in mixing(rows_of["mixed"], predicted["mixed"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mixing(rows: Sequence[Labelled], predicted: Sequence[int]) -> tuple[int, int]:
    """Stories mixing data sets, and the most days between two articles of a story that mixes events."""
    across, most = 0, 0
    for story in set(predicted):
        members = [r for r, p in zip(rows, predicted, strict=True) if p == story]
        if len({r.event for r in members}) < 2:
            continue
        across += len({r.corpus for r in members}) > 1
        days = [date.fromisoformat(r.article.published).toordinal() for r in members if r.article.published]
        most = max(most, max(days) - min(days)) if days else most
    return across, most


def _f1(results: Sequence[Result], name: str) -> float:
    return next(r.ours.f1 for r in results if r.name == name)


def main(argv: list[str] | None = None) -> int:
    """Measure, print, and write the "stories" section of docs/BENCHMARKS.md."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality.stories", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md")
    parser.add_argument(
        "--thresholds",
        action="store_true",
        help="print how held-out F1 and stories mixing two events move with the linkage threshold",
    )
    args = parser.parse_args(argv)
    from bench.corpus import prepare_process
    from index.embed import Embedder
    from index.settings import Settings

    prepare_process(0)
    embedder = Embedder.from_settings(Settings().embedding)
    if args.thresholds:
        print(threshold_table(embedder))
        return 0
    results, threshold = measure(embedder)
    text = table(results, threshold)
    print(text)
    if not args.no_write:
        write(text, "python -m bench.quality.stories")
    return 0


def write(text: str, command: str) -> None:
    """Replace the "stories" section of docs/BENCHMARKS.md."""
    from bench.report import stamp, update_section

    update_section("stories", f"{stamp(command)}\n\n{text}")


if __name__ == "__main__":
    sys.exit(main())
