"""Dates in news prose: weekdays, calendar dates and years, and when an article's event happened.

News leads place their event with a weekday ("spoke on Friday") relative to the publication date;
stories about different events (a January call, an October call) differ there even when no date
is printed. `event_time` reads that, and `same_time` decides whether two reports can be about the
same moment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from index.dates import WEEKDAYS
from index.nlp import head_verb
from index.sentences import sentence_spans

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{0}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\.|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_YEAR = r"(?P<{0}>1[0-9]{{3}}|20[0-9]{{2}})"
_DATE = re.compile(
    "|".join(
        (
            _MONTH.format("m1")
            + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+"
            + _YEAR.format("y1")
            + r")?",
            r"\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+"
            + _MONTH.format("m2")
            + r"(?:,?\s+"
            + _YEAR.format("y2")
            + ")?",
            _MONTH.format("m3") + r"(?:\s+of)?,?\s+" + _YEAR.format("y3") + r"\b",
            r"\b(?P<m4>[01]?\d)/(?P<d4>[0-3]?\d)/(?P<y4>(?:19|20)\d\d)\b",
            r"\b(?P<y5>(?:19|20)\d\d)-(?P<m5>[01]\d)-(?P<d5>[0-3]\d)\b",
            r"\b(?P<w>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
            r"(?<![\d,.$£€/-])\b" + _YEAR.format("y6") + r"\b(?![\d/%-]|,\d|\s*(?:percent|per cent)\b)",
            r"\b(?P<m7>January|February|March|April|June|July|August|September|October|November|December)\b",
        )
    )
)
_LEAD_SENTENCES = 3
# Days named relative to publication: "yesterday" and "last night" are the day before, "today",
# "tonight" and "this morning" the day itself.
_RELATIVE_DAY = re.compile(
    r"\b(yesterday|last night|today|tonight|this (?:morning|afternoon|evening))\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DateMention:
    """A date as written: any of year, month, day, weekday may be unknown (0 or "")."""

    start: int
    end: int
    text: str
    year: int = 0
    month: int = 0
    day: int = 0
    weekday: str = ""
    clock: tuple[int, int] | None = None  # a time of day: the minutes after midnight it may stand for

    def disagrees(self, other: DateMention) -> bool:
        """True when a field both mentions state differs: years, days of one month, weekdays, or
        times of day that no hedge brings together ("shortly after 3 a.m." and "about 6:30 a.m.")."""
        if self.weekday and other.weekday and self.weekday != other.weekday:
            return True
        if self.clock and other.clock:
            return not _clocks_meet(self.clock, other.clock)
        if self.clock or other.clock:
            return False
        if self.weekday and other.weekday:
            return False
        if self.year and other.year and self.year != other.year:
            return True
        if not (self.month and other.month):
            return False
        if self.month != other.month:
            return bool(self.year == other.year or not (self.year and other.year))
        return bool(self.day and other.day and self.day != other.day)

    def label(self) -> str:
        """The date in a normal form: "2024-10-09", "October 1", "1856", "Wednesday", "6:30 a.m."."""
        if self.clock:
            return self.text
        if self.weekday:
            return self.weekday.capitalize()
        month = dt.date(2000, self.month, 1).strftime("%B") if self.month else ""
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            parts = [month, str(self.day) if self.day else "", str(self.year) if self.year else ""]
            return " ".join(p for p in parts if p)
        return str(self.year)


def _month(word: str) -> int:
    return _MONTHS.get(word.lower()[:3], 0)


def dates_in(text: str, start: int = 0, end: int | None = None) -> Iterator[DateMention]:
    """Every date, year or weekday written in text[start:end], with offsets into `text`."""
    for match in _DATE.finditer(text, start, len(text) if end is None else end):
        groups = {k: v for k, v in match.groupdict().items() if v}
        year = int(next((v for k, v in groups.items() if k.startswith("y")), 0))
        day = int(next((v for k, v in groups.items() if k.startswith("d")), 0))
        month_text = next((v for k, v in groups.items() if k.startswith("m")), "")
        month = int(month_text) if month_text.isdigit() else _month(month_text)
        if day > 31 or month > 12 or (groups.get("m3") == "May" and not year):
            continue
        weekday = groups.get("w", "").lower()
        yield DateMention(match.start(), match.end(), match.group(), year, month, day, weekday)


_CLOCK = re.compile(
    r"(?<![\d:.,$£€])\b(?P<h>[01]?\d)(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?m\b\.?"
    r"|(?<![\d:.,$£€])\b(?P<h2>[012]?\d):(?P<m2>[0-5]\d)(?![\d:])"
    r"|\b(?P<noon>noon|midday|midnight)\b",
    re.IGNORECASE,
)
# Words before a time of day that widen it: "shortly after 3 a.m." may be 3:40; "about 6:30" 6:15.
_AFTER = re.compile(r"(?:\b(?:shortly|just|soon)\s+)?\b(?:after|past)\s+$", re.IGNORECASE)
_BEFORE = re.compile(r"(?:\b(?:shortly|just)\s+)?\b(?:before|by)\s+$", re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:about|around|approximately|roughly|nearly|almost|some|circa|at\s+about)\s+$", re.I)
_HEDGE_MINUTES = 60  # how far "after" or "before" a time reaches
_ABOUT_MINUTES = 15  # how far "about" a time reaches


def clock_times(text: str, start: int = 0, end: int | None = None) -> Iterator[DateMention]:
    """Every time of day written in text[start:end] ("6 p.m.", "5:30", "about 6:30 a.m.", "noon"),
    as a DateMention whose `clock` spans the minutes after midnight it may stand for. A time written
    with seconds ("2:08:45") is a time taken, not a time of day."""
    for match in _CLOCK.finditer(text, start, len(text) if end is None else end):
        g = match.groupdict()
        if g["noon"]:
            minute = 0 if g["noon"].lower() == "midnight" else 12 * 60
        else:
            hour = int(g["h"] or g["h2"])
            minute = int(g["m"] or g["m2"] or 0)
            if hour > 23 or (g["ap"] and not 1 <= hour <= 12):
                continue
            if g["ap"]:
                hour = hour % 12 + (12 if g["ap"].lower() == "p" else 0)
            minute += hour * 60
        before = text[max(0, match.start() - 24) : match.start()]
        low, high = minute, minute
        if _AFTER.search(before):
            high += _HEDGE_MINUTES
        elif _BEFORE.search(before):
            low -= _HEDGE_MINUTES
        elif _ABOUT.search(before):
            low, high = low - _ABOUT_MINUTES, high + _ABOUT_MINUTES
        yield DateMention(match.start(), match.end(), match.group().strip(), clock=(low, high))


def _clocks_meet(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans of a day overlap, across midnight too ("11:50 p.m." and "about midnight")."""
    return any(a[0] <= b[1] + shift and b[0] + shift <= a[1] for shift in (-1440, 0, 1440))


def published_date(published: str) -> dt.date | None:
    """The day an article was published, from its ISO `published` field; None when unknown."""
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", published or "")
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@dataclass(frozen=True)
class EventTime:
    """When an article's event happened, as far as the article says."""

    day: dt.date | None = None  # absolute day: the lead's weekday resolved against publication
    weekday: str = ""  # the lead's weekday when no publication date resolves it
    published: dt.date | None = None


def event_time(text: str, published: str = "") -> EventTime:
    """The lead's weekday (within its first sentences), resolved to a day when publication is known,
    or the day its "yesterday", "last night" or "today" names."""
    pub = published_date(published)
    weekday = ""
    for n, (lo, hi) in enumerate(sentence_spans(text)):
        if n >= _LEAD_SENTENCES:
            break
        found = next(
            (d.weekday for d in dates_in(text, lo, hi) if d.weekday and not _ahead(text, lo, hi, d)), ""
        )
        if found:
            weekday = found
            break
        relative = _RELATIVE_DAY.search(text, lo, hi)
        if relative and pub:  # "approved its budget last night", in Thursday's paper: Wednesday
            back = 1 if relative.group(1).lower() in ("yesterday", "last night") else 0
            return EventTime(day=pub - dt.timedelta(days=back), published=pub)
    if pub and weekday:
        back = (pub.weekday() - WEEKDAYS.index(weekday)) % 7
        return EventTime(day=pub - dt.timedelta(days=back), published=pub)
    # Publication alone places no event: a cost or a tally reported a day or a week later is still
    # the same figure for the same thing, so an article without a lead weekday has no event day.
    return EventTime(weekday=weekday, published=pub)


def _ahead(text: str, lo: int, hi: int, d: DateMention) -> bool:
    """Whether the day is one the sentence looks ahead to: "schools will be closed on Thursday"
    (its verb takes a modal) does not date the report's news."""
    verb = head_verb(text[lo:hi], d.start - lo)
    while verb is not None:
        if any(c.tag_ == "MD" for c in verb.children):
            return True
        verb = verb.head if verb.dep_ == "conj" else None  # "will be closed or partly closed"
    return False


def moment(t: EventTime) -> str:
    """The moment as shown beside a report: "Wednesday 2024-10-09", "Friday", or "" when unknown."""
    if t.day:
        return f"{WEEKDAYS[t.day.weekday()].title()} {t.day.isoformat()}"
    return t.weekday.title()


SAME, DIFFERENT, UNKNOWN = "same", "different", "unknown"
# Publication dates further apart than this place two reports at different moments even without a
# lead weekday; closer ones say nothing either way (a story is still reported weeks on).
_NEWS_CYCLE_DAYS = 60


def relation(a: EventTime, b: EventTime, tolerance_days: int = 2) -> str:
    """Whether two reports describe the same moment: SAME, DIFFERENT or UNKNOWN (no evidence)."""
    if a.day and b.day:
        return SAME if abs((a.day - b.day).days) <= tolerance_days else DIFFERENT
    wa = a.weekday or (WEEKDAYS[a.day.weekday()] if a.day else "")
    wb = b.weekday or (WEEKDAYS[b.day.weekday()] if b.day else "")
    if wa and wb and not (a.published and b.published):
        return SAME if wa == wb else DIFFERENT
    if a.published and b.published and abs((a.published - b.published).days) > _NEWS_CYCLE_DAYS:
        return DIFFERENT  # an article from another season of the news describes another moment
    return UNKNOWN
