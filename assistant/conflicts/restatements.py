"""Sentences of different articles that say the same thing except for one name, number, date or
describing word.

Rewritten and copied reports keep most of a sentence and change the fact in dispute: "The album was
produced by Dan Whitford, with mixing by Dave Fridmann" against "... produced by Paul McCartney,
with mixing by Dave Fridmann". When two sentences match word for word around a single substituted
value, both cannot be right about it, whatever kind of value it is; the question need not say what
kind of answer it wants. A lower-case word counts as a value when spaCy tags it a noun or adjective
that says what something is ("a drama film" against "a comedy film"), not who acts or what a figure
is of ("the company said" against "the firm said"). Any other difference must be small and carry no
names or figures, so that "the city" against "the county" (a different subject) is not read as a
disagreement.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.conflicts import floors
from assistant.conflicts.lexicon import NEGATORS
from assistant.conflicts.subjects import Word
from assistant.conflicts.values import NUMBER, WORD, has_name, kind_of, numbers_differ, slot_keys, value_keys
from assistant.text.terms import STOP_WORDS

Op = tuple[str, int, int, int, int]  # a difflib opcode: tag, i1, i2, j1, j2
_MIN_SHARED = 4  # distinct words two sentences must share before they are aligned word by word
_MAX_RUN_SHARE = 64  # sentences sharing a three-word run beyond which the run says nothing
_MIN_EQUAL = 5  # tokens that must match around the substitution
_MAX_OTHER = 3  # tokens of each other (harmless) difference
_TYPO_LENGTH = 5  # words this long that differ by one letter are one word misspelt ("chuch")
# Unicode words ("Zoltán" is one name, not three), whole numbers, initials before a name ("E. Parsons").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Z](?:\.[A-Z])*\.(?=\s+[A-Z])|\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Slot:
    """The substituted value in one sentence: its offsets in the article text and its wording."""

    start: int
    end: int
    value: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Swap:
    """Two sentences that differ in one value of the given kind; `context` is the shared wording
    around it ("was produced by … , with mixing")."""

    kind: str
    a: Slot
    b: Slot
    context: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article and its tokens, for alignment."""

    source: str
    text: str
    start: int
    end: int
    tokens: tuple[Word, ...]
    vocabulary: frozenset[str]  # every lower-case token, stop words included


def sentence(source: str, text: str, start: int, end: int) -> Sentence:
    """The sentence text[start:end] of article `source`, tokenised."""
    matches = _TOKEN.finditer(text, start, end)
    toks = tuple(Word(m.group(), m.group().lower(), m.start(), m.end()) for m in matches)
    return Sentence(source, text, start, end, toks, frozenset(w.lower for w in toks))


@dataclass(frozen=True)
class Change:
    """Values of one changed stretch of two aligned sentences; `named` when both hold a name."""

    a: frozenset[str]
    b: frozenset[str]
    named: bool


@dataclass(frozen=True)
class Comparison:
    """What comparing the sentences of several articles found: the single-value substitutions, and
    the pairs of articles whose matching sentences differ in more than one value, which describe two
    different things (two towns of one name, two films of one title) rather than one thing twice."""

    swaps: tuple[tuple[Sentence, Sentence, Swap], ...]
    namesakes: frozenset[frozenset[str]]


def swaps(sentences: Sequence[Sentence]) -> list[tuple[Sentence, Sentence, Swap]]:
    """Every pair of sentences from different articles, not namesakes, that differ in one value."""
    return list(compare(sentences).swaps)


def compare(sentences: Sequence[Sentence]) -> Comparison:
    """Align every pair of sentences from different articles that share most of their words."""
    found: dict[frozenset[str], list[tuple[Sentence, Sentence, Swap]]] = {}
    changed: dict[frozenset[str], list[Change]] = {}
    for i, j in _candidates(sentences):
        a, b = sentences[i], sentences[j]
        ops = _alignment(a, b) if _similar_words(a.vocabulary, b.vocabulary) else None
        if not ops:
            continue
        pair = frozenset((a.source, b.source))
        changed.setdefault(pair, []).extend(_changed_values(a, b, ops))
        swap = _swap(a, b, ops)
        if swap:
            found.setdefault(pair, []).append((a, b, swap))
    namesakes = frozenset(pair for pair, changes in changed.items() if _namesakes(changes))
    kept = tuple(t for pair, triples in found.items() if pair not in namesakes for t in triples)
    return Comparison(kept, namesakes)


def _candidates(sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Pairs of sentences from different articles that share a run of three words (a rare one: runs
    that open many sentences, "one of the", pair nothing), so that a corpus is not compared pair by
    pair. Sentences that match for most of their length always share such a run."""
    runs: dict[tuple[str, ...], list[int]] = {}
    for n, s in enumerate(sentences):
        lowered = [w.lower for w in s.tokens if w.text[0].isalnum()]
        for run in {tuple(lowered[k : k + 3]) for k in range(len(lowered) - 2)}:
            runs.setdefault(run, []).append(n)
    pairs = {
        (i, j)
        for members in runs.values()
        if len(members) <= _MAX_RUN_SHARE
        for k, i in enumerate(members)
        for j in members[k + 1 :]
        if sentences[i].source != sentences[j].source
    }
    return sorted(pairs)


def _similar_words(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= _MIN_SHARED and shared >= 0.5 * min(len(a), len(b))


def substitution(a: Sentence, b: Sentence) -> Swap | None:
    """The value by which two otherwise identical sentences differ (written once or more), if that
    is all they differ in."""
    ops = _alignment(a, b)
    return _swap(a, b, ops) if ops else None


def _alignment(a: Sentence, b: Sentence) -> list[Op] | None:
    """The word-by-word alignment of two sentences that match for most of their length, else None."""
    matcher = difflib.SequenceMatcher(
        None, [w.lower for w in a.tokens], [w.lower for w in b.tokens], autojunk=False
    )
    ops = _merged(_trimmed(matcher.get_opcodes()), a.tokens)
    if not ops:
        return None
    equal = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    longer = max(ops[-1][2] - ops[0][1], ops[-1][4] - ops[0][3])
    return ops if equal >= _MIN_EQUAL and equal >= floors.current().equal_share * longer else None


def _swap(a: Sentence, b: Sentence, ops: list[Op]) -> Swap | None:
    slots = []
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            continue
        kind = kind_of(a.text, a.tokens, i1, i2) if op == "replace" else ""
        if kind == WORD and _harmless(a.tokens[i1:i2], b.tokens[j1:j2]):
            continue  # a misspelt word ("chuch"), not another one
        if kind and kind == kind_of(b.text, b.tokens, j1, j2) and _anchored(ops, n):
            slots.append((kind, n, _slot(a, i1, i2), _slot(b, j1, j2)))
        elif not _harmless(a.tokens[i1:i2], b.tokens[j1:j2]):
            return None
    if not slots or not _consistent([(sa.keys, sb.keys) for _, _, sa, sb in slots]):
        return None
    kind, n, sa, sb = max(slots, key=lambda slot: len(slot[2].keys) + len(slot[3].keys))
    if sa.keys & sb.keys or (kind == NUMBER and not numbers_differ(sa.value, sb.value)):
        return None
    return Swap(kind, sa, sb, _context(a.tokens, ops, n))


def _changed_values(a: Sentence, b: Sentence, ops: list[Op]) -> list[Change]:
    """The names and figures each changed stretch of two aligned sentences puts in place of another."""
    out = []
    for op, i1, i2, j1, j2 in ops:
        xs, ys = a.tokens[i1:i2], b.tokens[j1:j2]
        kx, ky = value_keys(xs), value_keys(ys)
        if op != "equal" and kx and ky and not kx & ky:
            out.append(Change(kx, ky, has_name(xs) and has_name(ys)))
    return out


def _namesakes(changes: Sequence[Change]) -> bool:
    """True when two articles' matching sentences change more than one value, one of them a name
    ("Vale County" and "Ashby County"): figures alone change together when one report is wrong
    about a date and the ages and years that follow from it."""
    return any(c.named for c in changes) and not _consistent([(c.a, c.b) for c in changes])


def _trimmed(ops: Sequence[Op]) -> list[Op]:
    """The opcodes without words only one sentence has at its start or end (a title run into the
    first sentence, a clause one version adds at the end)."""
    lo, hi = 0, len(ops)
    if lo < hi and ops[lo][0] in ("insert", "delete"):
        lo += 1
    if lo < hi and ops[hi - 1][0] in ("insert", "delete"):
        hi -= 1
    return list(ops[lo:hi])


def _merged(ops: list[Op], toks: Sequence[Word]) -> list[Op]:
    """Changes separated only by punctuation joined into one: "Miami, Florida" for "Anchorage,
    Alaska" and "June 19, 1910" for "January 1, 1900" are one value each."""
    out: list[Op] = []
    for op in ops:
        if op[0] != "equal" and len(out) >= 2 and out[-2][0] != "equal" and _punctuation(out[-1], toks):
            first = out[-2]
            out[-2:] = [("replace", first[1], op[2], first[3], op[4])]
        else:
            out.append(op)
    return out


def _punctuation(op: Op, toks: Sequence[Word]) -> bool:
    return op[0] == "equal" and all(not w.text[0].isalnum() for w in toks[op[1] : op[2]])


def _consistent(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> bool:
    """True when every substitution names the same two values ("1666" and "October 12, 1666" on one
    side, "1700" and "January 1, 1700" on the other)."""
    return all(a1 & a2 and b1 & b2 for (a1, b1) in pairs for (a2, b2) in pairs)


def _anchored(ops: list[Op], n: int) -> bool:
    """True when matching words stand right before the value and, unless it ends both sentences,
    right after it, two or more on one side."""
    before = ops[n - 1][2] - ops[n - 1][1] if n > 0 and ops[n - 1][0] == "equal" else 0
    after = ops[n + 1][2] - ops[n + 1][1] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else 0
    at_end = n == len(ops) - 1
    return before > 0 and (after > 0 or at_end) and max(before, after) >= 2


def _harmless(xs: Sequence[Word], ys: Sequence[Word]) -> bool:
    """A difference that changes no fact: punctuation, a stop word, or a spelling variant."""
    if len(xs) > _MAX_OTHER or len(ys) > _MAX_OTHER:
        return False
    if len(xs) == len(ys) and all(_variant(x, y) for x, y in zip(xs, ys, strict=True)):
        return True
    return all(_filler(w) for w in (*xs, *ys))


def _filler(w: Word) -> bool:
    if not w.text[0].isalnum():
        return True
    return w.lower in STOP_WORDS and w.lower not in NEGATORS and not w.text[0].isupper()


def _variant(x: Word, y: Word) -> bool:
    """Two spellings of one word ("chuch"/"church"), not two words ("increased"/"decreased")."""
    a, b = sorted((x.lower, y.lower), key=len)
    if min(len(a), len(b)) < _TYPO_LENGTH or not a.isalpha() or not b.isalpha() or len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return sum(p != q for p, q in zip(a, b, strict=True)) == 1
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def _slot(s: Sentence, i1: int, i2: int) -> Slot:
    toks = s.tokens[i1:i2]
    start, end = toks[0].start, toks[-1].end
    return Slot(start, end, s.text[start:end], slot_keys(toks))


def _context(toks: Sequence[Word], ops: list[Op], n: int, size: int = 3) -> str:
    """The matching words either side of the value: "was produced by … , with mixing"."""
    _, lo, _, _, _ = ops[n - 1]
    _, i1, i2, _, _ = ops[n]
    hi = ops[n + 1][2] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else i2
    left = " ".join(w.text for w in toks[max(lo, i1 - size) : i1])
    right = " ".join(w.text for w in toks[i2 : min(hi, i2 + size)]).rstrip(" .,;:")
    return f"{left} … {right}".strip()
