"""Citation quality in the manner of ALCE (Gao et al., 2023): is every answer sentence supported by
the citations it names (citation recall), and is every citation needed (citation precision)?

ALCE's judge is an NLI model (T5-11B TRUE); none is available offline, so the judge here is the
project's own lexical support checker (`assistant.llm.support.assess`) at the verifier's threshold. It
reads a cited quote the way the verifier reads a passage: with the outlet and date as a header. Its
limits (paraphrase, implicature, numbers in words) are in docs/VERIFICATION.md; and since the
generative mode drops every sentence that same checker rejects, its recall there is partly true by
construction. Precision is the informative figure for it.

Statements are the answer's sentences. Markers are read as the web page reads them (`[3]`, `[1, 2]`;
article text such as "[ 2 ]" is not a marker), and a marker covers the unmarked sentences before it,
since one extractive quote may hold several sentences. Sentences that state a conflict ("Sources
differ on ...: one article reports “30 minutes” [1], while ...") are left out and counted: they are a
template around values cut from the cited quotes, which the verbatim-quote check covers, and the
lexical judge cannot read the template's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import Answer, Citation
from assistant.compose import conflict_sentence
from assistant.llm.support import THRESHOLD, assess, passage_units
from bench.metrics import alce_response, mean
from index.sentences import sentence_spans

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")  # as assistant/web/render.py links them
# "...regularly.” [2] Next" splits as "...regularly.”" + "[2] Next": move markers before the stop.
_AFTER_STOP = re.compile(rf"([.!?]+[\"'”’)]*)((?:\s*{MARKER.pattern})+)")


@dataclass(frozen=True)
class Cited:
    """The text a citation points to, with the outlet and date that head it."""

    header: str
    text: str


Statement = tuple[str, tuple[Cited, ...]]


@dataclass(frozen=True)
class CitationScores:
    """Mean ALCE citation recall and precision over the answers that make statements."""

    recall: float
    precision: float
    answers: int
    statements: int
    conflict_sentences: int = 0


def supports(sentence: str, cited: Sequence[Cited]) -> bool:
    """The judge: the cited texts together support the sentence (score >= `THRESHOLD`)."""
    units = [u for i, c in enumerate(cited) for u in passage_units(c.header, c.text, i)]
    return assess(sentence, units).score >= THRESHOLD


def cited(citation: Citation) -> Cited:
    """A citation's quote headed by its outlet and date, as the verifier reads passages."""
    return Cited(" ".join(p for p in (citation.outlet, citation.published) if p), citation.quote)


def answer_statements(answer: Answer) -> list[Statement]:
    """The answer's sentences (markers stripped), each with the citations its markers name or, when
    it has none, those of the next marked sentence; conflict sentences left out."""
    by_id = {c.id: c for c in answer.citations}
    text = answer.answer
    for line in _conflict_lines(answer):
        text = text.replace(line, " ")
    text = _AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    out: list[Statement] = []
    pending: list[str] = []
    for start, end in sentence_spans(text):
        raw = text[start:end]
        sentence = _strip_markers(raw)
        if sentence:
            pending.append(sentence)
        numbers = [n for m in MARKER.finditer(raw) for n in _numbers(m.group(1)) if n in by_id]
        if numbers and pending:
            cited_here = tuple(cited(by_id[n]) for n in dict.fromkeys(numbers))
            out += [(p, cited_here) for p in pending]
            pending = []
    return out + [(p, ()) for p in pending]


def _conflict_lines(answer: Answer) -> list[str]:
    """The sentences that state the answer's conflicts, markers included, as `compose` words them."""
    numbers = {(c.source, c.start, c.end): c.id for c in answer.citations}
    lines = []
    for conflict in answer.conflicts:
        ids = [numbers.get((s.source, s.start, s.end), 0) for s in conflict.sides]
        lines.append(conflict_sentence(conflict, ids))
    return [line for line in lines if line in answer.answer]


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.split(r"\s*,\s*", group) if n.strip()]


def _strip_markers(text: str) -> str:
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", MARKER.sub("", text))
    return re.sub(r"\s{2,}", " ", text).strip()


def passage_statements(answer: Answer) -> list[Statement]:
    """Statements of a 'stuffed' answer: every sentence of a cited chunk, citing that chunk."""
    out: list[Statement] = []
    for citation in answer.citations:
        source = cited(citation)
        for start, end in sentence_spans(citation.quote):
            out.append((citation.quote[start:end], (source,)))
    return out


def score(answers: Sequence[Answer], statements: Callable[[Answer], list[Statement]]) -> CitationScores:
    """ALCE recall and precision averaged over the answers (abstentions and answers without
    statements left out)."""
    kept = [a for a in answers if not a.abstained]
    found = [s for s in map(statements, kept) if s]
    scored = [alce_response(s, supports) for s in found]
    return CitationScores(
        mean(r for r, _ in scored),
        mean(p for _, p in scored),
        len(found),
        sum(len(s) for s in found),
        sum(len(_conflict_lines(a)) for a in kept),
    )


def unsupported(answers: Sequence[Answer], statements: Callable[[Answer], list[Statement]]) -> list[str]:
    """Markdown list of the statements the judge finds unsupported by their citations, for tuning."""
    out = []
    for answer in answers:
        for sentence, cited in statements(answer) if not answer.abstained else []:
            if not (cited and supports(sentence, cited)):
                quotes = " | ".join(c.text[:120] for c in cited) or "(no citation)"
                out.append(f"- {answer.question}\n  - sentence: {sentence[:240]}\n  - cited: {quotes}")
    return out
