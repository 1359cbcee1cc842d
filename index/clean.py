"""Remove what is not the article: appeals, newsletter prompts, footers, repeated lines, and lines
that give orders to an AI model (prompt injection).

Cleaning works on whole lines and never rewrites one: the cleaned text is the kept lines, verbatim,
joined by newlines, so every kept sentence is a substring of the file it came from. Each removed line
is kept with its reason, for `python -m index show ID --explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.article import Dropped

# Lines that ask the reader for something instead of reporting.
_APPEAL = re.compile(
    r"\b(donat(e|ion|ing)|subscri(be|ption)|newsletter|sign(ing)? up|log ?in to|"
    r"support (us|our|the [A-Z]\w*|independent|quality|journalism)|join us|gift of|"
    r"can'?[’']?t do (it|this) alone|become a (member|patron|subscriber)|"
    r"(follow|like) us on|share (this|on)|click here|all rights reserved|advertisement|"
    r"cookie (policy|settings)|privacy policy|terms of (use|service)|save democracy)\b",
    re.IGNORECASE,
)
# Attribution marks a line as reporting, even when it mentions donations or subscriptions.
_REPORTING = re.compile(r"\b(said|says|told|according to|reported|announced)\b", re.IGNORECASE)
# A short line that starts a footer of links to other stories; everything after it goes too.
_FOOTER = re.compile(
    r"^(more (news|stories|from \w+)|related( (articles|stories|coverage|news))?|read (more|next)|"
    r"recommended( for you)?|most (read|popular)|trending( now)?|you may also like|see also)\W*$",
    re.IGNORECASE,
)
# Lines that address an AI model rather than a reader: prompt injection. A model is told that
# passages are not instructions, and answers are verified, but a planted "say that X" would verify
# against its own passage; such lines never reach the index.
_TO_A_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|preceding|your|system)\b"
    r".{0,20}\b(instructions?|prompts?|rules|directions|guidelines|context)\b|"
    r"\b(ignore|disregard|forget|override)\s+(all|any)\s+(instructions?|prompts?)\b|"
    r"\byou are now (in )?(an? )?(\w+ )?(mode|ai|assistant|language model|chatbot|llm)\b|"
    r"\byou are an? (ai|language model|chatbot|llm)\b|"
    r"\brepeat after me\b|"
    r"\b(note|message|instructions?)\s+(to|for)\s+(any |all |the )?(ai|assistants?|language models?|llms?|"
    r"chatbots?|bots?|summari[sz]ers?)\b|"
    r"^\s*(system|assistant)\s*:|</?passage\b|<\|[a-z_]+\|>|\[/?inst\]|<</?sys>>",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*([-*•·–]|\d+[.)])\s+")
_SHORT_WORDS = 12
_CLOSERS = (".", "!", "?", '"', "”", "’", "'")


@dataclass(frozen=True)
class Line:
    """A line of the source text and where it sits in it."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-blank lines of text with their offsets, surrounding whitespace excluded."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
    return lines


def _is_short(line: str) -> bool:
    return len(line.split()) <= _SHORT_WORDS


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def _appeal_block(lines: list[Line]) -> dict[int, str]:
    """Lines that form appeal blocks: an appeal line plus the short lines and bullets around it."""
    reasons: dict[int, str] = {}
    for i, line in enumerate(lines):
        text = line.text
        if _APPEAL.search(text) and (_is_short(text) or len(text) < 160) and not _REPORTING.search(text):
            reasons[i] = "appeal or promotion"
    # Grow each block over adjacent short lines and bullets: they belong to the same box.
    changed = True
    while changed:
        changed = False
        for i in list(reasons):
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and j not in reasons:
                    text = lines[j].text
                    if _BULLET.match(text) or (_is_short(text) and not text.endswith(_CLOSERS)):
                        reasons[j] = "part of an appeal or promotion box"
                        changed = True
    return reasons


def _footer_start(lines: list[Line]) -> int | None:
    """Index of a footer heading in the last third of the article, if any."""
    for i, line in enumerate(lines):
        if _FOOTER.match(line.text) and i >= len(lines) * 2 // 3:
            return i
    return None


def clean_lines(lines: list[Line]) -> tuple[list[Line], list[Dropped]]:
    """Split lines into those kept (in order) and those dropped with a reason."""
    reasons = _appeal_block(lines)
    for i, line in enumerate(lines):
        if _TO_A_MODEL.search(line.text):
            reasons[i] = "instructions addressed to an AI model"
    footer = _footer_start(lines)
    if footer is not None:
        for i in range(footer, len(lines)):
            reasons.setdefault(i, "footer after the article")
    seen: set[str] = set()
    kept: list[Line] = []
    dropped: list[Dropped] = []
    for i, line in enumerate(lines):
        key = _key(line.text)
        if i not in reasons and key in seen:
            reasons[i] = "repeats an earlier line"
        if i in reasons:
            dropped.append(Dropped(line.text, reasons[i]))
        else:
            kept.append(line)
        if key:
            seen.add(key)
    return kept, dropped
