"""Stories: the articles of a corpus grouped by the event they report, assigned at build time.

Assignment is incremental. Articles that keep their story (unchanged since the last build) stay
where they are. The others (new or changed) are first grouped among themselves by scikit-learn's
agglomerative clustering over the pair probabilities of `index.story_pairs`, with complete linkage
(every pair in a story must reach the fitted threshold: a chain of look-alike follow-ups does not
merge two events, and on the labelled data it beat average linkage); each group then joins the
existing story it is closest to by the same linkage, when that reaches the threshold, or starts a
story of its own. A story's id comes from the article that founded it, and a
changed article that starts a story again gets back the id it had, so ids stay stable wherever the
grouping did not change. Labels are recomputed: the headline most central to the story, or the
opening sentence of its most central article when its articles state no headline.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.sentences import sentence_spans
from index.story_pairs import StoryInput, StoryModel, Wording, probabilities

LABEL_CHARS = 72


@dataclass(frozen=True)
class Story:
    """A story: its stable id, a short label, and its articles' ids."""

    id: str
    label: str
    members: tuple[str, ...]


def assign(model: StoryModel, items: Sequence[StoryInput], keep: Mapping[str, str]) -> list[Story]:
    """Stories of all `items`; `keep` maps the ids of articles that stay in their story to it.

    Items not in `keep` are placed; `item.story` (their story before they changed) is reused
    when it would otherwise be gone.
    """
    kept = [x for x in items if keep.get(x.id)]
    placed = sorted((x for x in items if not keep.get(x.id)), key=lambda x: (x.published or "~", x.id))
    members: dict[str, list[StoryInput]] = {}
    columns: dict[str, list[int]] = {}
    for column, item in enumerate(kept):
        members.setdefault(keep[item.id], []).append(item)
        columns.setdefault(keep[item.id], []).append(column)
    wording = Wording(items)  # words weighed over the whole corpus, for every comparison alike
    scores = probabilities(model, placed, kept, wording)
    for group in cluster(model, placed, wording):
        story = _closest(scores, group, columns, model.threshold)
        if story is None:
            story = _new_id([placed[i] for i in group], members)
        members.setdefault(story, []).extend(placed[i] for i in group)
    return [
        Story(story, label(group), tuple(sorted(m.id for m in group)))
        for story, group in sorted(members.items())
    ]


def cluster(
    model: StoryModel, items: Sequence[StoryInput], wording: Wording | None = None
) -> list[list[int]]:
    """Indexes of `items` grouped by complete linkage, groups in order of their first member."""
    if len(items) < 2:
        return [[i] for i in range(len(items))]
    from sklearn.cluster import AgglomerativeClustering

    distance = 1.0 - probabilities(model, items, items, wording)
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2
    found = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=1.0 - model.threshold
    ).fit_predict(distance)
    groups: dict[int, list[int]] = {}
    for index, name in enumerate(found):
        groups.setdefault(int(name), []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def label(items: Sequence[StoryInput]) -> str:
    """A short label: the headline nearest the story's centre, else the opening sentence of the
    article nearest it."""
    titled = [x for x in items if x.title.strip()]
    central = _central(titled or items)
    if titled:
        return _shorten(central.title.strip())
    opening = next(sentence_spans(central.text), None)
    text = " ".join(central.text[slice(*opening)].split()) if opening else ""
    return _shorten(text) if text else central.id


def _central(items: Sequence[StoryInput]) -> StoryInput:
    """The item with the greatest summed cosine to the others. Ties (two articles always tie) go to
    the earliest, then the first id: vectors read back from the store differ from freshly computed
    ones in their last bits, which must not change a label."""
    vectors = np.asarray([x.vector for x in items], dtype=float)
    centrality = (vectors @ vectors.T).sum(axis=1)
    tied = [x for x, c in zip(items, centrality, strict=True) if c >= centrality.max() - 1e-6]
    return min(tied, key=lambda x: (x.published or "~", x.id))


def _closest(
    scores: np.ndarray, group: list[int], columns: Mapping[str, list[int]], threshold: float
) -> str | None:
    """The existing story whose least similar pair with the group is the most similar, when that
    reaches the threshold (complete linkage, as in `cluster`)."""
    best, best_score = None, threshold
    for story, cols in columns.items():
        score = float(scores[np.ix_(group, cols)].min())
        if score >= best_score:
            best, best_score = story, score
    return best


def _new_id(group: list[StoryInput], taken: Mapping[str, object]) -> str:
    """The id of a story the group starts: one its articles had before, when free, else one
    derived from its founding article."""
    previous = Counter(x.story for x in group if x.story and x.story not in taken)
    if previous:
        return previous.most_common(1)[0][0]
    founder = min(group, key=lambda x: (x.published or "~", x.id))
    base = "story-" + hashlib.sha1(founder.id.encode()).hexdigest()[:10]
    story, n = base, 1
    while story in taken:
        n += 1
        story = f"{base}-{n}"
    return story


def _shorten(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS]
    return cut[: cut.rfind(" ")].rstrip(" ,;:—–-") + "…" if " " in cut else cut + "…"
