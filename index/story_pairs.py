"""How likely two articles report the same event: a logistic model over what they share.

An article is compared through its headline and opening (its first chunk): their MiniLM embedding
(cosine), the days between the two publication dates when both are known, and the words of the
whole articles: the cosine of their TF-IDF vectors of words and word pairs
(scikit-learn's, weighted over the corpus being grouped), which sees the rare names and phrases two
reports of one event share beyond their openings. Word pairs were kept over single words because
they group the fitting folds better (AllSides pairwise F1 0.911 against 0.903). The named entities
of headline and opening (spaCy) were features too, until a refit without them grouped the held-out
folds as well (`bench/quality/fit_stories.py`; docs/BENCHMARKS.md): they cost a sixth of a build.
The weights, and the linkage threshold that turns pair probabilities into stories, are fitted on
labelled story clusterings by `bench/quality/fit_stories.py` and saved in `index/story_model.json`;
nothing here is typed in by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.article import Article

MODEL_FILE = Path(__file__).with_name("story_model.json")
FEATURES = ("cosine", "log_days_apart", "dates_known", "word_cosine")
LEAD_CHARS = 600


@dataclass(frozen=True)
class StoryInput:
    """What story assignment knows of an article, and the story it is in (empty: none yet)."""

    id: str
    title: str
    published: str
    vector: tuple[float, ...]
    story: str = ""
    story_label: str = ""
    text: str = ""  # the headline and the whole text, whose words `Wording` weighs
    placed_by: str = ""  # the fingerprint of the model that placed it in its story


@dataclass(frozen=True)
class StoryModel:
    """Fitted weights of the pair model and the linkage threshold on its probability."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> StoryModel:
        """The fitted model saved next to this module."""
        return _load(path)

    @property
    def fingerprint(self) -> str:
        """A short digest of the model: stories placed by another model are placed again."""
        import hashlib

        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        """The saved form, features named."""
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


@functools.cache
def _load(path: Path) -> StoryModel:
    saved = json.loads(path.read_text(encoding="utf-8"))
    if saved["features"] != list(FEATURES):
        raise ValueError(f"{path} was fitted on other features; run bench/quality/fit_stories.py again")
    return StoryModel(tuple(saved["weights"]), float(saved["intercept"]), float(saved["threshold"]))


def lead_text(title: str, text: str, chars: int = LEAD_CHARS) -> str:
    """The headline and the opening of an article, cut at a word (what the TF-IDF baseline reads)."""
    lead = text[:chars]
    if len(text) > chars and " " in lead:
        lead = lead[: lead.rfind(" ")]
    return f"{title}\n{lead}".strip()


def describe(
    embedder: Any,
    articles: Sequence[Article],
    openings: Sequence[str] | None = None,
    known: Mapping[str, Sequence[float]] | None = None,
) -> list[StoryInput]:
    """What story assignment compares of each article: the embedding of its headline and opening
    (its first chunk; computed here when `openings` is not given), its date and its words.

    `known` maps texts to vectors already computed: an article without a headline is compared by
    its first chunk alone, whose vector the build has just made, so it costs no embedding.
    """
    if not articles:
        return []
    openings = openings if openings is not None else [_opening(a) for a in articles]
    leads = [
        f"{a.title}\n{o}".strip() if a.title.strip() else o for a, o in zip(articles, openings, strict=True)
    ]
    known = known or {}
    missing = list(dict.fromkeys(t for t in leads if t not in known))
    vectors = {
        **known,
        **dict(zip(missing, embedder.embed_documents(missing) if missing else [], strict=True)),
    }
    return [
        StoryInput(
            a.id,
            a.title,
            a.published,
            tuple(float(x) for x in vectors[lead]),
            text=full_text(a.title, a.text),
        )
        for a, lead in zip(articles, leads, strict=True)
    ]


def full_text(title: str, text: str) -> str:
    """What the word feature reads of an article: its headline and its whole text."""
    return f"{title}\n{text}".strip()


class Wording:
    """TF-IDF vectors of articles' words and word pairs, weighted over one corpus: a word most
    articles use counts little, a name two articles alone share counts much. Terms found in a single
    article are left out; they cannot make two articles alike."""

    def __init__(self, corpus: Sequence[StoryInput]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._vectorizer: Any = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, min_df=2, ngram_range=(1, 2), dtype=np.float32
        )
        texts = {x.id: x.text for x in corpus}
        try:
            # The corpus's own vectors come with the fit: its articles are read once.
            self._rows: Any = self._vectorizer.fit_transform(list(texts.values()))
        except ValueError:  # fewer than two articles, or no word in two of them
            self._vectorizer = None
        self._texts = texts
        self._row = {key: row for row, key in enumerate(texts)}

    def cosine(self, a: Sequence[StoryInput], b: Sequence[StoryInput]) -> np.ndarray:
        """Cosine of the word vectors of every pair (a[i], b[j])."""
        if self._vectorizer is None:
            return np.zeros((len(a), len(b)), dtype=np.float32)
        ma = self._vectors(a)
        mb = ma if b is a else self._vectors(b)
        return np.asarray((ma @ mb.T).toarray(), dtype=np.float32)

    def _vectors(self, items: Sequence[StoryInput]) -> Any:
        if all(self._texts.get(x.id) == x.text for x in items):
            return self._rows[[self._row[x.id] for x in items]]
        return self._vectorizer.transform([x.text for x in items])


def _opening(article: Article) -> str:
    """The article's first chunk, as a build with the default settings cuts it."""
    from index.chunk import chunk_article
    from index.settings import IndexSettings

    settings = IndexSettings()
    chunks = chunk_article(article, settings.chunk_chars, settings.overlap_sentences)
    return chunks[0].text if chunks else article.text


def pair_features(
    a: Sequence[StoryInput], b: Sequence[StoryInput], wording: Wording | None = None
) -> np.ndarray:
    """Features of every pair (a[i], b[j]), shape (len(a), len(b), len(FEATURES)); words are
    weighed over `wording`'s corpus, by default the articles of `a` and `b`."""
    return np.stack(list(_feature_planes(a, b, wording)), axis=-1)


def probabilities(
    model: StoryModel, a: Sequence[StoryInput], b: Sequence[StoryInput], wording: Wording | None = None
) -> np.ndarray:
    """Probability that each pair (a[i], b[j]) reports the same event."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    # Summed plane by plane, in place and in single precision: a first build compares every pair of
    # its articles, and arrays of millions of pairs cost more to allocate and fill than to compute
    # (the held-out stories and the full RAMDocs grouping are the same as in double precision).
    logits = np.full((len(a), len(b)), model.intercept, dtype=np.float32)
    for weight, plane in zip(model.weights, _feature_planes(a, b, wording), strict=True):
        plane *= weight
        logits += plane
    np.negative(logits, out=logits)
    np.exp(logits, out=logits)
    logits += 1.0
    return np.reciprocal(logits, out=logits)


def _feature_planes(
    a: Sequence[StoryInput], b: Sequence[StoryInput], wording: Wording | None
) -> Iterator[np.ndarray]:
    """Each feature of `FEATURES` for every pair (a[i], b[j]), one new (len(a), len(b)) array each,
    made one after the other."""
    wording = wording or Wording([*a, *b])
    yield _matrix(a) @ _matrix(b).T
    days_a, days_b = _days(a), _days(b)
    known = np.isfinite(days_a)[:, None] & np.isfinite(days_b)[None, :]
    apart = np.subtract.outer(np.nan_to_num(days_a), np.nan_to_num(days_b))
    np.abs(apart, out=apart)
    np.log1p(apart, out=apart)
    apart *= known  # no days apart where a date is missing
    yield apart
    yield known.astype(np.float32)
    yield wording.cosine(a, b)


def _matrix(items: Sequence[StoryInput]) -> np.ndarray:
    vectors = np.asarray([x.vector for x in items], dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _days(items: Sequence[StoryInput]) -> np.ndarray:
    """Publication day numbers; NaN where no full date is known (a month alone is not a day).
    Single precision holds day numbers exactly (below 2**24)."""
    out = np.full(len(items), np.nan, dtype=np.float32)
    for row, item in enumerate(items):
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", item.published or "")
        if match:
            try:
                out[row] = dt.date(int(match[1]), int(match[2]), int(match[3])).toordinal()
            except ValueError:
                continue
    return out
