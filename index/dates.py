"""Dates as articles write them, read with `dateparser`: a line that is a date and nothing more.

A date line may carry a label ("Published:", "Updated on"), a weekday, and a time after a separator
("June 12, 2025 / 4:12 PM", "June 12, 2025 | 4:12 p.m. ET"). A weekday must agree with the date;
numeric dates are read month-first unless only the day-first reading matches the weekday. A date is
never completed: without a year it is no date, and without a day it stays a month ("2026-03").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LABEL = re.compile(
    r"^(published|updated|posted|date|last updated|first published|modified)\s*(on|at|:)?\s*", re.IGNORECASE
)
# A time of day, optionally with a zone: "4:12 PM", "16:12", "4 p.m. ET", "10:30 a.m. EDT".
_TIME = re.compile(
    r"^(at\s+)?\d{1,2}([:.]\d{2})?\s*([ap]\.?m\.?)?\s*(\(?[A-Z]{2,4}\)?|GMT[+-]\d{1,2}|UTC)?$", re.IGNORECASE
)
_SEPARATORS = re.compile(r"\s+[/|·•]\s+")
_MAX_CHARS = 48
_PRECISIONS = ("day", "month")


@dataclass(frozen=True)
class StatedDate:
    """A date as precise as the text states it: `day` is None when only the month is given."""

    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 at the stated precision: YYYY-MM-DD, or YYYY-MM without a day."""
        month = f"{self.year:04d}-{self.month:02d}"
        return month if self.day is None else f"{month}-{self.day:02d}"

    def date(self) -> dt.date | None:
        """The calendar day, when the text gives one."""
        return None if self.day is None else dt.date(self.year, self.month, self.day)


def read_date(line: str) -> StatedDate | None:
    """The date a line consists of (a label, weekday and time allowed), or None."""
    parts = _SEPARATORS.split(line.strip())
    dates = [d for d in (_one_date(p) for p in parts if not _TIME.match(p.strip())) if d is not None]
    others = [p for p in parts if not _TIME.match(p.strip())]
    return dates[0] if len(dates) == 1 and len(others) == 1 else None


def _one_date(text: str) -> StatedDate | None:
    text = _LABEL.sub("", text.strip()).strip(" .,")
    if not text or len(text) > _MAX_CHARS or not re.search(r"\b\d{4}\b", text):
        return None
    weekday = _weekday(text)
    candidates = [d for order in ("MDY", "DMY") if (d := _parse(text, order)) is not None]
    if weekday is not None:
        candidates = [d for d in candidates if d.day is not None and d.date().weekday() == weekday]  # type: ignore[union-attr]
    if candidates and candidates[0].day is None and not _names_a_month(text):
        return None  # "12/2024" may be a month or a fraction of something: only a named month counts
    return candidates[0] if candidates else None


def _weekday(text: str) -> int | None:
    first = re.match(r"[A-Za-z]+", text)
    if not first or len(first.group()) < 3:
        return None
    word = first.group().lower()
    return next((i for i, d in enumerate(WEEKDAYS) if d.startswith(word)), None)


def _names_a_month(text: str) -> bool:
    return any(word[:3] in _MONTHS for word in re.findall(r"[a-z]+", text.lower()))


def _parse(text: str, order: str) -> StatedDate | None:
    found = _parser(order).get_date_data(text)
    when, period = found["date_obj"], found["period"]
    if when is None or period not in _PRECISIONS or when.year < 1900:
        return None
    return StatedDate(when.year, when.month, when.day if period == "day" else None)


@functools.cache
def _parser(order: str) -> Any:
    from dateparser.date import DateDataParser

    settings = {
        "DATE_ORDER": order,
        "PARSERS": ["custom-formats", "absolute-time"],  # never "3 days ago"
        "STRICT_PARSING": False,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["en"], settings=settings)
