"""Labelled story clusterings for fitting and measuring story assignment.

- BASIL: 100 events, each reported by Fox News, The New York Times and HuffPost (300 articles).
- AllSides headline roundups: one event each, reported by a left, a centre and a right outlet.

Each article becomes an `Article` (headline, text, publication date) with its gold event and its
fold: BASIL events of even years and AllSides roundups at even positions are for fitting, the
others are held out, so every reported figure is on articles the fitted numbers never saw.
AllSides gives a date for the roundup, not its articles: an article's date is the one written in its
URL path where there is one (two thirds of those are the roundup's day, a fifth the day before),
else the roundup's day.
Features are computed by the product's own `describe` and cached under bench/out/.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import story_pairs
from index.article import Article
from index.story_pairs import StoryInput, describe, full_text

DATA = Path("/work/shared/data")
BASIL = DATA / "basil" / "articles"
ALLSIDES = DATA / "allsides-neus" / "allsides_headline_roundups_2021-10-19.jsonl.gz"
CACHE = Path(__file__).resolve().parent.parent / "out" / "stories"
FIT, HELD_OUT = "fit", "held-out"
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)/(\d{1,2})/(\d{1,2})/")


@dataclass(frozen=True)
class Labelled:
    """An article with the event it reports and the fold it belongs to."""

    article: Article
    event: str
    fold: str
    corpus: str


def basil(root: Path = BASIL) -> list[Labelled]:
    """BASIL's 300 articles; the fold is the parity of the event's year."""
    out = []
    for path in sorted(root.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        text = "\n".join(" ".join(paragraph) for paragraph in record["body-paragraphs"])
        article = Article(
            id=f"basil/{path.parent.name}/{path.stem}",
            text=text,
            title=record.get("title", ""),
            outlet=str(record.get("source", "")).lower(),
            published=str(record.get("date", ""))[:10],
        )
        fold = FIT if int(path.parent.name) % 2 == 0 else HELD_OUT
        out.append(Labelled(article, f"basil/{record['triplet-uuid']}", fold, "basil"))
    return out


def devset() -> list[Labelled]:
    """The development set's corpus (invented stories and real coverage), read by the product's own
    loader; the event is the story folder. No fitting reads it: it is held out as a whole."""
    import tempfile

    from bench.devset.questions import corpus, load, shared_data
    from bench.report import REPO_ROOT
    from index.build import discover
    from index.load import SkipFile, read_documents
    from index.prepare import prepare

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = corpus(Path(tmp), shared_data(REPO_ROOT), load())
        for source in discover([folder]):
            try:
                documents = read_documents(source.path, source.article_id, source.path.read_bytes())
            except SkipFile:
                continue
            story = source.article_id.split("/", 1)[0]
            out += [Labelled(prepare(document), story, HELD_OUT, "devset") for document in documents]
    return out


def allsides(path: Path = ALLSIDES) -> list[Labelled]:
    """The AllSides roundups' articles; the fold is the parity of the roundup's position."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for position, line in enumerate(lines):
            record = json.loads(line)
            fold = FIT if position % 2 == 0 else HELD_OUT
            for side, news in sorted((record.get("news") or {}).items()):
                text = "\n".join(p.strip() for p in news.get("newBody") or [] if p.strip())
                if not text:
                    continue
                article = Article(
                    id=f"allsides/{record['id']}/{side}",
                    text=text,
                    title=news.get("newsTitle", "") or "",
                    outlet=news.get("newsSource", "") or "",
                    published=_url_date(news.get("newsLink") or "") or str(record.get("date", ""))[:10],
                )
                out.append(Labelled(article, f"allsides/{record['id']}", fold, "allsides"))
    return out


def inputs(embedder: Any, rows: Sequence[Labelled], cache: Path = CACHE) -> list[StoryInput]:
    """The product's story inputs for these articles, cached by content, model and feature code."""
    content = [(r.article.id, r.article.title, r.article.published, r.article.text) for r in rows]
    recipe = hashlib.sha256(Path(story_pairs.__file__).read_bytes()).hexdigest()
    key = hashlib.sha256(json.dumps([embedder.name, recipe, *content]).encode()).hexdigest()[:16]
    path = cache / f"inputs-{key}.json"
    if path.is_file():
        saved = json.loads(path.read_text(encoding="utf-8"))
        return [
            StoryInput(
                s["id"],
                s["title"],
                s["published"],
                tuple(s["vector"]),
                text=full_text(r.article.title, r.article.text),
            )
            for s, r in zip(saved, rows, strict=True)
        ]
    found = describe(embedder, [r.article for r in rows])
    cache.mkdir(parents=True, exist_ok=True)
    rows_json = [{"id": x.id, "title": x.title, "published": x.published, "vector": x.vector} for x in found]
    path.write_text(json.dumps(rows_json), encoding="utf-8")
    return found


def _url_date(url: str) -> str:
    match = _URL_DATE.search(url)
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
