"""Real coverage for the development set: articles from BASIL, AllSides and PAC, written as text files.

The repository keeps no article text from these sets. Questions name articles by id
(`<story>/<outlet-slug>.txt`), and `materialise` writes those files at run time from the public copies
under `shared/data`, so the evaluation reads real multi-outlet coverage of events nobody tuned for.

Each file is the headline, a dateline ("Outlet — Month D, YYYY", or just the outlet when the data has no
date), a blank line, then the body paragraphs separated by blank lines. Paragraph text is the data's own:
BASIL sentences are joined with single spaces, AllSides excerpts are kept as they are (most end in "..."
because AllSides shows lead excerpts), and PAC's tokens are joined back into words by `detokenise`.
Story ids come from the data: `basil-<year>-<first 8 chars of the triplet uuid>`, `allsides-<roundup id>`
and `pac-<story number>`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# The stories `questions_real.jsonl` asks about; a test keeps the two in step.
REAL_STORIES: tuple[str, ...] = (
    "allsides-5628",
    "allsides-5651",
    "allsides-5726",
    "allsides-5750",
    "allsides-5776",
    "allsides-5892",
    "allsides-5894",
    "allsides-5921",
    "basil-2011-2058ec60",
    "basil-2011-c21cb217",
    "basil-2012-b4dbeda7",
    "basil-2012-cad4bba5",
    "basil-2013-526cabb7",
    "basil-2013-f506aafc",
    "basil-2015-6e502405",
    "basil-2015-a4edca3f",
    "basil-2016-1b96a5db",
    "basil-2016-79bf99c6",
    "basil-2017-58f414e5",
    "basil-2017-be026bd1",
    "basil-2018-01c59743",
    "basil-2018-1f99798f",
    "basil-2018-eb17fa36",
    "basil-2018-f688c56d",
    "basil-2019-1e41e98b",
    "basil-2019-3ae35b16",
    "pac-101",
    "pac-116",
    "pac-134",
    "pac-136",
    "pac-140",
    "pac-151",
)

_BASIL_OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
_ALLSIDES_FILE = Path("allsides-neus") / "allsides_headline_roundups_2021-10-19.jsonl.gz"
_PAC_FILES = (Path("pac-partisan-events") / "dev.json.gz", Path("pac-partisan-events") / "test.json.gz")
_PARENTHESISED = re.compile(r"\s*\([^)]*\)")

# Tokens written against the word before them, and tokens the next word is written against.
_CLOSING = {",", ".", ":", ";", "?", "!", "%", ")", "]", "”", "’", "...", "…", "’”"}
_CLITICS = {"'s", "’s", "'re", "’re", "'m", "’m", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "n't", "n’t", "’t"}
_OPENING = {"(", "[", "$", "“", "‘", "#"}
_JOINING = {"-", "/"}


@dataclass(frozen=True)
class RealArticle:
    """One outlet's article about one story, as the data gives it."""

    story: str
    slug: str
    outlet: str
    headline: str
    published: dt.date | None
    paragraphs: tuple[str, ...]

    @property
    def id(self) -> str:
        """The article id the questions use: the file's path relative to the output folder."""
        return f"{self.story}/{self.slug}.txt"

    def text(self) -> str:
        """The file's content: headline, dateline, blank line, paragraphs."""
        dateline = self.outlet
        if self.published is not None:
            day = self.published
            dateline = f"{self.outlet} — {day:%B} {day.day}, {day.year}"
        body = "\n\n".join(self.paragraphs)
        return f"{self.headline}\n{dateline}\n\n{body}\n"


def materialise(shared_data: Path, out_dir: Path, stories: Iterable[str] | None = None) -> dict[str, Path]:
    """Write every article of `stories` (default: `REAL_STORIES`) under `out_dir`; return id -> path."""
    wanted = set(REAL_STORIES if stories is None else stories)
    paths: dict[str, Path] = {}
    for article in real_articles(shared_data, wanted):
        path = out_dir / article.id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.text(), encoding="utf-8")
        paths[article.id] = path
    missing = wanted - {article_id.split("/")[0] for article_id in paths}
    if missing:
        raise ValueError(f"stories not found in {shared_data}: {sorted(missing)}")
    return dict(sorted(paths.items()))


def article_text(shared_data: Path, article_id: str) -> str:
    """The text `materialise` writes for one article id, without writing anything."""
    story = article_id.split("/")[0]
    for article in real_articles(shared_data, {story}):
        if article.id == article_id:
            return article.text()
    raise KeyError(article_id)


def real_articles(shared_data: Path, stories: set[str]) -> Iterator[RealArticle]:
    """The articles of the given stories, from whichever sets hold them, in a stable order."""
    prefixes = {story.split("-")[0] for story in stories}
    readers = {"basil": basil_articles, "allsides": allsides_articles, "pac": pac_articles}
    for prefix in sorted(prefixes & readers.keys()):
        for article in readers[prefix](shared_data):
            if article.story in stories:
                yield article


def basil_articles(shared_data: Path) -> Iterator[RealArticle]:
    """BASIL's Fox News, New York Times and HuffPost articles, one file per article."""
    for path in sorted((shared_data / "basil" / "articles").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        source = data["source"].lower()
        paragraphs = (" ".join(s.strip() for s in p if s.strip()) for p in data["body-paragraphs"])
        yield RealArticle(
            story=f"basil-{path.parent.name}-{data['triplet-uuid'][:8]}",
            slug=source,
            outlet=_BASIL_OUTLETS[source],
            headline=data["title"].strip(),
            published=_date(data.get("date")),
            paragraphs=tuple(p for p in paragraphs if p),
        )


def allsides_articles(shared_data: Path) -> Iterator[RealArticle]:
    """AllSides roundups' left, center and right excerpts, dated with the roundup's date."""
    with gzip.open(shared_data / _ALLSIDES_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            roundup = json.loads(line)
            story = f"allsides-{roundup['id']}"
            for side in ("left", "center", "right"):
                news = (roundup.get("news") or {}).get(side)
                if news:
                    yield _allsides_article(story, side, news, _date(roundup.get("date")))


def _allsides_article(story: str, side: str, news: dict, published: dt.date | None) -> RealArticle:
    outlet = _outlet(news["newsSource"])
    return RealArticle(
        story=story,
        slug=f"{_slug(outlet)}-{side}",
        outlet=outlet,
        headline=news["newsTitle"].strip(),
        published=published,
        paragraphs=tuple(p.strip() for p in news.get("newBody") or () if p.strip()),
    )


def pac_articles(shared_data: Path) -> Iterator[RealArticle]:
    """PAC's left/right article pairs; each tokenised sentence becomes one paragraph."""
    for name in _PAC_FILES:
        with gzip.open(shared_data / name, "rt", encoding="utf-8") as handle:
            pairs = json.load(handle)
        for story_id, articles in pairs.items():
            story = f"pac-{story_id.rsplit('_', 1)[1]}"
            for article in articles:
                outlet = _outlet(article["source"])
                yield RealArticle(
                    story=story,
                    slug=f"{_slug(outlet)}-{article['relative_ideology'].lower()}",
                    outlet=outlet,
                    headline=article["title"].strip(),
                    published=_date(article.get("date")),
                    paragraphs=tuple(detokenise(s) for s in article["tokens"] if s),
                )


def detokenise(tokens: list[str]) -> str:
    """Join word tokens back into running text: no space before closing punctuation and clitics,
    none after opening brackets, quotes and currency signs, none around hyphens and slashes, and
    straight double quotes taken to open and close in turn."""
    words: list[str] = []
    quote_open = False
    previous = ""
    for token in tokens:
        space = bool(words)
        if token in _CLOSING or token.lower() in _CLITICS or previous in _OPENING:
            space = False
        if token in _JOINING or previous in _JOINING:
            space = False
        if token == '"':
            space = space and not quote_open
            quote_open = not quote_open
        elif previous == '"' and quote_open:
            space = False
        words.append(f" {token}" if space else token)
        previous = token
    return "".join(words)


def _outlet(source: str) -> str:
    """An outlet's name without AllSides' and PAC's bracketed kind ("CNN (Online News)" -> "CNN")."""
    return _PARENTHESISED.sub("", source).strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _date(value: str | None) -> dt.date | None:
    """The calendar date at the start of an ISO date or timestamp, or None when there is none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
