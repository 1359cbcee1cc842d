"""Article metadata: normalise what a file states, infer from the text only what it states clearly.

Inference reads the first lines of an article the way they are commonly written:

- a date line ("Wednesday, 10/09/2024", "June 12, 2025 / 4:12 PM", "Published: March 4, 2026");
- a dateline naming the outlet ("Lorrin Daily — March 4, 2026", "The Herald, 12 June 2025") or,
  read as such by spaCy, the place ("Washington, June 12, 2025");
- a wire dateline ("LONDON (Reuters) -"), which names the outlet and starts the first paragraph;
- a byline ("By Jane Doe and John Roe | June 12, 2025");
- the headline: the line just above those, or the first line of a file that states no title.

Lines that only carry metadata are reported so cleaning leaves them out of the text: a dateline is
never quoted as if it were a sentence of the article. Dates come from `index.dates` and are never
completed; nothing found means the field stays empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from index.clean import Line
from index.dates import read_date
from index.nlp import names_a_place

_ALIASES = {
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "site_name", "sitename", "site"),
    "published": ("published", "date", "published_at", "publishedAt", "pubdate", "datetime"),
    "url": ("url", "link", "canonical_url"),
}
_NAME = r"[A-Z][\w&'’.]*(?: (?:of |the |on |de )?[A-Z][\w&'’.]*){0,4}"
_DATELINE = re.compile(rf"^(?P<outlet>{_NAME})\s*(?P<sep>[—–|-]|,)\s*(?P<date>.{{6,48}})$")
_WIRE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’-]*(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,3})"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\((?P<outlet>[A-Z][\w .&'’-]{0,40})\)\s*[-—–]+\s*(?P<rest>.*)$"
)
_BYLINE = re.compile(
    r"^(?i:by|written by|reporting by)\s+(?P<names>[A-Z][\w.'’-]*(?:(?:\s+|,\s*|\s+(?:and|&)\s+)"
    r"(?:(?:de|van|von|da|del|al|bin)\s+)?[A-Z][\w.'’-]*){0,7})\s*(?:(?:[|·•—–,-]|\bon\b)\s*(?P<rest>.*))?$"
)
_OUTLET_WORDS = re.compile(r"^[A-Z][\w&'’.]*(?: [A-Z][\w&'’.]*){0,4}$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_FIRST = re.compile(
    rf"^(?:[a-z]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})\b", re.IGNORECASE
)
_ABBREVIATED_END = re.compile(r"(?:\b[A-Z][a-z]{0,3}|(?:\b[A-Z]\.){2,}[A-Z]?)\.$")
# A line just above a dateline is a headline even when long (tabloid headlines run to 30-40 words).
_LONG_HEADLINE = 45
_HEAD_LINES = 6


@dataclass
class _Found:
    """What the head of an article states, and which lines only carried it (index -> reason)."""

    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[int, str] = field(default_factory=dict)

    def take(self, name: str, value: str) -> None:
        if value and name not in self.fields:
            self.fields[name] = value


def normalise(fields: Mapping[str, Any]) -> dict[str, str]:
    """Pick the known metadata fields (under their usual aliases) from a record or front matter."""
    out: dict[str, str] = {}
    for name, aliases in _ALIASES.items():
        value = next((fields[a] for a in aliases if fields.get(a) not in (None, "")), None)
        if value is None:
            continue
        if name == "published":
            out[name] = iso_date(value)
        else:
            out[name] = str(value).strip()
    return {k: v for k, v in out.items() if v}


def iso_date(value: object) -> str:
    """ISO 8601 date of a date, datetime or date string (YYYY-MM without a stated day); empty when
    unreadable."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    stated = read_date(str(value))
    return stated.iso() if stated else ""


def parse_date_line(line: str) -> dt.date | None:
    """The calendar day a line consists of, or None when it is anything more, or gives no day."""
    stated = read_date(line)
    return stated.date() if stated else None


def infer(lines: list[Line], stated_title: str = "") -> tuple[dict[str, str], dict[int, str]]:
    """Metadata stated by the first lines, and the lines that only carried it (index -> reason).

    `stated_title` is the title the file itself gives, if any: a line repeating it is metadata, and
    no other line is taken for the headline.
    """
    found = _Found()
    head = lines[:_HEAD_LINES]
    for i, line in enumerate(head):
        _read_line(line.text, i, found)
    first_meta = min(found.lines, default=None)
    if stated_title:
        _drop_repeated_title(head, stated_title, found)
    elif (
        first_meta is not None and first_meta > 0 and _is_headline(head[first_meta - 1].text, _LONG_HEADLINE)
    ):
        found.take("title", head[first_meta - 1].text)
        found.lines[first_meta - 1] = "headline"
    elif first_meta != 0 and len(lines) > 1 and _is_headline(lines[0].text):
        found.take("title", lines[0].text)
        found.lines[0] = "headline"
    return found.fields, found.lines


def _read_line(text: str, index: int, found: _Found) -> None:
    """Record what one head line states; lines that state only metadata are marked."""
    date = read_date(text)
    if date is not None:
        if "published" not in found.fields:
            found.take("published", date.iso())
            found.lines[index] = "date line"
        return
    byline = _BYLINE.match(text)
    if byline:
        if _byline_tail(byline.group("rest") or "", found):
            found.lines[index] = "byline"
        return
    match = _DATELINE.match(text)
    date = read_date(match.group("date")) if match else None
    if match and date is not None and "published" not in found.fields:
        found.take("published", date.iso())
        outlet = match.group("outlet").strip()
        if not names_a_place(outlet):  # "Washington, June 12, 2025" says where, not who
            found.take("outlet", outlet)
        found.lines[index] = "dateline"
        return
    wire = _WIRE.match(text) if index < 3 else None
    if wire:
        found.take("outlet", wire.group("outlet").strip())
        if not wire.group("rest").strip():
            found.lines[index] = "wire dateline"


def _byline_tail(rest: str, found: _Found) -> bool:
    """Whether what follows a byline's names is metadata too (a date, an outlet, a role)."""
    rest = rest.strip()
    if not rest:
        return True
    date = read_date(rest)
    if date is not None:
        found.take("published", date.iso())
        return True
    return bool(_OUTLET_WORDS.match(rest))


def _drop_repeated_title(head: list[Line], title: str, found: _Found) -> None:
    key = _key(title)
    for i, line in enumerate(head):
        if _key(line.text) == key:
            found.lines[i] = "repeats the title"
            return


def _dateline_shaped(text: str) -> bool:
    """A line shaped like "Name — <a year, or a day and month>": a dateline whose date did not read."""
    match = _DATELINE.match(text)
    date = match.group("date") if match else ""
    return bool(re.search(r"\b\d{4}\b", date) or _DAY_FIRST.match(date))


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _is_headline(text: str, max_words: int = 25) -> bool:
    """Headline-shaped: a few words, no closing punctuation (a closing abbreviation such as "Fla."
    or "U.S." aside), not a dateline whose date did not read."""
    closed = text.endswith((":", ";", ",")) or (text.endswith(".") and not _ABBREVIATED_END.search(text))
    return 3 <= len(text.split()) <= max_words and not closed and not _dateline_shaped(text)
