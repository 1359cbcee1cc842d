"""Article metadata: normalise what a file states, infer from the text only what it states clearly.

Inference looks at the first lines of an article for a standalone date line ("Wednesday,
10/09/2024"), a dateline ("Lorrin Daily — March 4, 2026") and the headline just above a date line.
A weekday, when present, must agree with the date; numeric dates are read month-first unless only
the day-first reading matches the weekday. Nothing found means the field stays empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from dateutil import parser as dateparser

from index.clean import Line

_ALIASES = {
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "site_name", "sitename", "site"),
    "published": ("published", "date", "published_at", "publishedAt", "pubdate", "datetime"),
    "url": ("url", "link", "canonical_url"),
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PREFIX = re.compile(r"^(published|updated|posted|date|last updated)\s*(on|:)?\s*", re.IGNORECASE)
_DATELINE = re.compile(r"^(?P<outlet>[A-Z][\w&'.]*(?: [A-Z][\w&'.]*){0,4})\s*[—–|-]\s*(?P<date>.{6,40})$")
_HEAD_LINES = 6
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))


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
    """ISO 8601 date (YYYY-MM-DD) of a date, datetime or date string; empty when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    parsed = parse_date_line(str(value))
    return parsed.isoformat() if parsed else ""


def parse_date_line(line: str) -> dt.date | None:
    """The date a line consists of, or None when the line is anything more than a date."""
    text = _PREFIX.sub("", line.strip()).strip(" .")
    if not text or len(text) > 40 or not re.search(r"\d", text):
        return None
    weekday = next((i for i, d in enumerate(_WEEKDAYS) if text.lower().startswith(d[:3])), None)
    candidates = []
    for dayfirst in (False, True):
        try:
            # dateutil fills a missing day or month from its default: parse against two defaults
            # and keep the date only if the text states all of it ("March 2024" is no date).
            parsed, check = (
                dateparser.parse(text, dayfirst=dayfirst, fuzzy=False, default=default)
                for default in _DEFAULTS
            )
        except (ValueError, OverflowError):
            continue
        if parsed.date() != check.date() or parsed.year < 1900 or not re.search(r"\d{4}", text):
            continue
        candidates.append(parsed.date())
    if weekday is not None:
        candidates = [d for d in candidates if d.weekday() == weekday]
    return candidates[0] if candidates else None


def infer(lines: list[Line]) -> tuple[dict[str, str], set[int]]:
    """Metadata stated by the first lines, and the indexes of the lines that only carried it."""
    found: dict[str, str] = {}
    used: set[int] = set()
    for i, line in enumerate(lines[:_HEAD_LINES]):
        date = parse_date_line(line.text)
        if date:
            found["published"] = date.isoformat()
            used.add(i)
            if i > 0 and _is_headline(lines[i - 1].text):
                found["title"] = lines[i - 1].text
                used.add(i - 1)
            break
        match = _DATELINE.match(line.text)
        date = parse_date_line(match.group("date")) if match else None
        if match and date:
            found["published"] = date.isoformat()
            found["outlet"] = match.group("outlet").strip()
            used.add(i)
            break
    return found, used


def _is_headline(text: str) -> bool:
    return 3 <= len(text.split()) <= 25 and not text.endswith((".", ":", ";", ","))
