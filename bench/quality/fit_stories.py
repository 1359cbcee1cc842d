"""Fit the story model saved in `index/story_model.json`, from labelled story clusterings.

    python -m bench.quality.fit_stories          # fit on the fitting fold, print its figures, save the model

The pair model is scikit-learn's logistic regression on every pair of articles within each data
set's fitting fold (BASIL events of even years, AllSides roundups at even positions), labelled by
whether the two report the same event, once as they are and once with every other date removed
(so that pairs without a date are learnt too). The complete-linkage threshold is the one, on a grid, that
gives the best mean pairwise F1 over the data sets' fitting folds. The held-out folds are not read
here; `python -m bench.quality.stories` reports on them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bench.quality.story_data import FIT, Labelled, allsides, basil, inputs
from bench.quality.story_measure import ours, score
from index.story_pairs import FEATURES, MODEL_FILE, StoryInput, StoryModel, pair_features

GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.951, 0.025))


def fitting_sets(embedder: object) -> list[tuple[list[Labelled], list[StoryInput]]]:
    """Each data set's fitting fold with its story inputs."""
    out = []
    for rows in (basil(), allsides()):
        fold = [r for r in rows if r.fold == FIT]
        out.append((fold, inputs(embedder, fold)))
    return out


def fit(sets: Sequence[tuple[list[Labelled], list[StoryInput]]]) -> StoryModel:
    """The pair model and linkage threshold fitted on the given labelled sets."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for rows, items in sets:
        events = np.asarray([r.event for r in rows])
        upper = np.triu_indices(len(items), k=1)
        for variant in (items, _half_undated(items)):
            xs.append(pair_features(variant, variant)[upper])
            ys.append((events[:, None] == events[None, :])[upper])
    regression = LogisticRegression(C=1.0, max_iter=1000).fit(np.vstack(xs), np.concatenate(ys))
    weights = tuple(round(float(w), 6) for w in regression.coef_[0])
    unthresholded = StoryModel(weights, round(float(regression.intercept_[0]), 6), 0.5)
    best = max(GRID, key=lambda t: _mean_f1(StoryModel(weights, unthresholded.intercept, t), sets))
    return StoryModel(weights, unthresholded.intercept, best)


def _half_undated(items: Sequence[StoryInput]) -> list[StoryInput]:
    """The items with every other date removed: corpora often state no date, and the model must
    learn what a pair without one is worth, not read it from the intercept."""
    return [replace(x, published="") if n % 2 else x for n, x in enumerate(items)]


def _mean_f1(model: StoryModel, sets: Sequence[tuple[list[Labelled], list[StoryInput]]]) -> float:
    return float(np.mean([score(ours(model, items), [r.event for r in rows]).f1 for rows, items in sets]))


def main(argv: list[str] | None = None) -> int:
    """Fit, print the fitting-fold figures, save the model."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality.fit_stories", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--dry-run", action="store_true", help="print only; leave the saved model")
    args = parser.parse_args(argv)
    from bench.corpus import prepare_process
    from index.embed import Embedder
    from index.settings import Settings

    prepare_process(0)
    sets = fitting_sets(Embedder.from_settings(Settings().embedding))
    model = fit(sets)
    print("weights:", dict(zip(FEATURES, model.weights, strict=True)), "intercept", model.intercept)
    print("threshold:", model.threshold)
    for rows, items in sets:
        found = score(ours(model, items), [r.event for r in rows])
        print(f"{rows[0].corpus} fitting fold ({len(rows)} articles): F1 {found.f1:.3f}, ARI {found.ari:.3f}")
    if not args.dry_run:
        import json

        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"saved {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
