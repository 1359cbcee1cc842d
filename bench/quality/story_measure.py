"""Scoring a story clustering against gold events, and the baseline it is measured beside.

Pairwise precision, recall and F1 count pairs of articles: a pair placed in one story is right when
both report the same gold event. The adjusted Rand index (scikit-learn) is 0 for chance and 1 for
the gold clustering. The baseline is TF-IDF cosine over headline and lead, grouped by the same
average linkage with one threshold (fitted on the fitting fold like ours, the same for every data set).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.stories import Story, assign
from index.story_pairs import StoryInput, StoryModel, lead_text


@dataclass(frozen=True)
class Score:
    """How a clustering agrees with the gold events."""

    precision: float
    recall: float
    f1: float
    ari: float
    mixed: int  # stories holding articles of more than one gold event
    stories: int


def score(predicted: Sequence[int], gold: Sequence[str]) -> Score:
    """Pairwise precision, recall, F1 and adjusted Rand index of cluster numbers against gold events."""
    from sklearn.metrics import adjusted_rand_score

    pred, true = np.asarray(predicted), np.asarray(gold)
    same_pred = pred[:, None] == pred[None, :]
    same_true = true[:, None] == true[None, :]
    upper = np.triu(np.ones_like(same_pred, dtype=bool), k=1)
    hits = int((same_pred & same_true & upper).sum())
    placed, wanted = int((same_pred & upper).sum()), int((same_true & upper).sum())
    precision = hits / placed if placed else 1.0
    recall = hits / wanted if wanted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    mixed = sum(1 for c in set(pred.tolist()) if len(set(true[pred == c].tolist())) > 1)
    ari = float(adjusted_rand_score(true, pred))
    return Score(precision, recall, f1, ari, mixed, len(set(pred.tolist())))


def numbered(stories: Sequence[Story], ids: Sequence[str]) -> list[int]:
    """Cluster numbers of `ids` from a list of stories."""
    number = {member: n for n, story in enumerate(stories) for member in story.members}
    return [number[i] for i in ids]


def ours(model: StoryModel, items: Sequence[StoryInput]) -> list[int]:
    """Our clustering of all items at once, as a first build makes it."""
    return numbered(assign(model, items, {}), [x.id for x in items])


def ours_incremental(model: StoryModel, items: Sequence[StoryInput], steps: int = 10) -> list[int]:
    """Our clustering when the items arrive in `steps` builds, in order of publication."""
    order = sorted(items, key=lambda x: (x.published or "~", x.id))
    keep: dict[str, str] = {}
    stories: list[Story] = []
    for step in range(1, steps + 1):
        seen = order[: round(len(order) * step / steps)]
        stories = assign(model, seen, keep)
        keep = {member: story.id for story in stories for member in story.members}
    return numbered(stories, [x.id for x in items])


def tfidf_similarity(titles: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors of headline and lead."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    leads = [lead_text(t, x) for t, x in zip(titles, texts, strict=True)]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(leads)
    return np.asarray((matrix @ matrix.T).toarray())


def baseline(similarity: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage clusters of a similarity matrix cut at one similarity threshold."""
    from sklearn.cluster import AgglomerativeClustering

    if len(similarity) < 2:
        return [0] * len(similarity)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    found = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    ).fit_predict(distance)
    return [int(x) for x in found]
