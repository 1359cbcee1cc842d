"""Check answers to the seed questions: evidence cited, key facts present, abstention, verbatim quotes
and conflicts, each question with the reasons it failed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from bench.metrics import agreement, binary_precision_recall, is_verbatim, mean, missing_facts, share
from bench.rows import Row
from index.article import Article


@dataclass(frozen=True)
class SeedQuestion:
    """One line of seed_questions.jsonl."""

    id: str
    question: str
    evidence: tuple[str, ...]
    must_mention: tuple[tuple[str, ...], ...]
    conflict: bool
    conflict_between: tuple[tuple[str, ...], ...]
    unanswerable: bool


@dataclass(frozen=True)
class SeedResult:
    """How one question was answered and which checks it failed."""

    question: SeedQuestion
    answer: Answer
    seconds: float
    evidence_hit: bool
    missing: list[list[str]]
    bad_quotes: list[str]
    quotes: int
    contradictions: list[tuple[str, ...]]
    conflict_ok: bool
    failures: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        """Share of the key-fact groups present (NaN for an unanswerable question)."""
        groups = len(self.question.must_mention)
        if self.question.unanswerable:
            return float("nan")
        return 1.0 - len(self.missing) / groups if groups else 1.0

    @property
    def passed(self) -> bool:
        """Evidence cited and every key fact present (the quality bar for answerable questions)."""
        return self.evidence_hit and not self.missing and not self.answer.abstained


def load_questions(path: Path) -> list[SeedQuestion]:
    """The seed questions of a JSONL file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r: dict[str, Any] = json.loads(line)
        out.append(
            SeedQuestion(
                r["id"],
                r["question"],
                tuple(r.get("evidence", ())),
                tuple(tuple(g) for g in r.get("must_mention", ())),
                bool(r.get("conflict")),
                tuple(tuple(p) for p in r.get("conflict_between", ())),
                bool(r.get("unanswerable")),
            )
        )
    return out


def non_verbatim(answer: Answer, article: Callable[[str], Article]) -> tuple[list[str], int]:
    """Descriptions of the citation and conflict-side quotes that are not cut from their article,
    and the number of quotes checked."""
    bad, checked = [], 0
    spans = [(f"[{c.id}]", c.source, c.quote, c.start, c.end) for c in (*answer.citations, *answer.related)]
    spans += [
        (f"conflict side {s.source}", s.source, s.quote, s.start, s.end)
        for conflict in answer.conflicts
        for s in conflict.sides
    ]
    for label, source, quote, start, end in spans:
        checked += 1
        if not is_verbatim(quote, article(source).text, start, end):
            bad.append(f"{label} {source}[{start}:{end}] {quote[:60]!r}")
    return bad, checked


def check(q: SeedQuestion, answer: Answer, seconds: float, article: Callable[[str], Article]) -> SeedResult:
    """Run every check of one answered question."""
    cited = {c.source for c in answer.citations}
    texts = [answer.answer, *(c.quote for c in answer.citations)]
    contradictions = [
        tuple(sorted({s.source for s in c.sides})) for c in answer.conflicts if c.kind == "contradiction"
    ]
    expected = [set(pair) for pair in q.conflict_between]
    found_expected = any(pair <= set(sides) for pair in expected for sides in contradictions)
    conflict_ok = found_expected if q.conflict else not contradictions
    bad, quotes = non_verbatim(answer, article)
    result = SeedResult(
        q,
        answer,
        seconds,
        evidence_hit=bool(cited & set(q.evidence)),
        missing=missing_facts(q.must_mention, texts) if not q.unanswerable else [],
        bad_quotes=bad,
        quotes=quotes,
        contradictions=contradictions,
        conflict_ok=conflict_ok,
    )
    result.failures.extend(_failures(result, sorted(cited)))
    return result


def _failures(r: SeedResult, cited: list[str]) -> list[str]:
    q, out = r.question, []
    if q.unanswerable:
        if not r.answer.abstained:
            out.append("did not abstain")
    else:
        if r.answer.abstained:
            out.append("abstained")
        if not r.evidence_hit:
            out.append(f"no evidence file cited (cited {', '.join(cited) or 'nothing'})")
        if r.missing:
            out.append("missing key facts " + "; ".join(" | ".join(g) for g in r.missing))
    if q.conflict and not r.conflict_ok:
        pairs = " or ".join(" vs ".join(p) for p in q.conflict_between)
        got = "; ".join(" vs ".join(c) for c in r.contradictions) or "none"
        out.append(f"no contradiction between {pairs} (got {got})")
    if not q.conflict and r.contradictions:
        out.append("false contradiction " + "; ".join(" vs ".join(c) for c in r.contradictions))
    out.extend(f"non-verbatim quote {b}" for b in r.bad_quotes)
    return out


def run(
    questions: Sequence[SeedQuestion], ask: Callable[[str], Answer], article: Callable[[str], Article]
) -> list[SeedResult]:
    """Ask and check every question."""
    results = []
    for q in questions:
        started = time.perf_counter()
        answer = ask(q.question)
        results.append(check(q, answer, time.perf_counter() - started, article))
    return results


def _share(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "0/0"


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def report(results: Sequence[SeedResult]) -> list[str]:
    """Markdown: summary, per-question table and details of every failing question."""
    answerable = [r for r in results if not r.question.unanswerable]
    unanswerable = [r for r in results if r.question.unanswerable]
    conflicting = [r for r in answerable if r.question.conflict]
    quotes = sum(r.quotes for r in results)
    bad = sum(len(r.bad_quotes) for r in results)
    lines = [
        "| check | result | target |",
        "|---|---|---|",
        f"| answerable: evidence cited and all key facts | {_share(sum(r.passed for r in answerable), len(answerable))} | >= 90% |",  # noqa: E501
        f"| answerable: evidence file cited | {_share(sum(r.evidence_hit for r in answerable), len(answerable))} | |",  # noqa: E501
        f"| answerable: all key facts present | {_share(sum(not r.missing for r in answerable), len(answerable))} | |",  # noqa: E501
        f"| unanswerable: abstained | {_share(sum(r.answer.abstained for r in unanswerable), len(unanswerable))} | 100% |",  # noqa: E501
        f"| answerable: abstained | {sum(r.answer.abstained for r in answerable)} | 0 |",
        f"| quotes verbatim (citations and conflict sides) | {_share(quotes - bad, quotes)} | 100% |",
        f"| conflict questions: contradiction found | {_share(sum(r.conflict_ok for r in conflicting), len(conflicting))} | 100% |",  # noqa: E501
        f"| other answerable: false contradictions | {sum(bool(r.contradictions) for r in answerable if not r.question.conflict)} | 0 |",  # noqa: E501
        "",
        "| id | abstained | evidence | key facts | verbatim | conflicts | ms | failures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        facts = "n/a" if r.question.unanswerable else _yes(not r.missing)
        evidence = "n/a" if r.question.unanswerable else _yes(r.evidence_hit)
        conflicts = "; ".join(" vs ".join(c) for c in r.contradictions) or "-"
        lines.append(
            f"| {r.question.id} | {r.answer.abstained} | {evidence} | {facts} | {_yes(not r.bad_quotes)} "
            f"| {conflicts} | {1000 * r.seconds:.0f} | {'; '.join(r.failures) or 'ok'} |"
        )
    for r in results:
        if r.failures:
            lines += ["", *_details(r)]
    return lines


def _details(r: SeedResult) -> list[str]:
    out = [f"### {r.question.id}: {r.question.question}", "", *(f"- FAILED: {f}" for f in r.failures)]
    out += [f"- expected evidence: {', '.join(r.question.evidence) or '(none)'}", "", "Answer:", ""]
    out += [f"> {line}" for line in r.answer.answer.splitlines() or [""]]
    out.append("")
    out += [f"- [{c.id}] {c.source} [{c.start}:{c.end}] {c.quote[:200]!r}" for c in r.answer.citations]
    for c in r.answer.conflicts:
        sides = "; ".join(f"{s.source} {s.value!r}" for s in c.sides)
        out.append(f"- conflict ({c.kind}) on {c.topic}: {sides}")
    return out


def rows(
    dataset: str, ours: Sequence[SeedResult], naive: Sequence[SeedResult], naive_conflicts: Sequence[bool]
) -> list[Row]:
    """The table rows of the seed questions: ours against the naive responder (whose conflict flags
    come from the simple baseline detector)."""
    answerable = [i for i, r in enumerate(ours) if not r.question.unanswerable]
    labels = [r.question.conflict for r in ours]
    conflicts = (
        binary_precision_recall([bool(r.contradictions) for r in ours], labels),
        binary_precision_recall(list(naive_conflicts), labels),
    )
    quotes = [(sum(r.quotes for r in rs), sum(len(r.bad_quotes) for r in rs)) for rs in (ours, naive)]

    def both(metric: str, value: Callable[[Sequence[SeedResult]], float], n: str) -> Row:
        return Row(dataset, metric, value(ours), value(naive), n)

    n_answerable = f"{len(answerable)} answerable questions"
    n_all = f"{len(ours)} questions, {sum(labels)} with a conflict"
    return [
        both("evidence hit rate", lambda rs: share(rs[i].evidence_hit for i in answerable), n_answerable),
        both("key-fact coverage", lambda rs: mean(rs[i].coverage for i in answerable), n_answerable),
        both(
            "abstention accuracy",
            lambda rs: agreement([r.answer.abstained for r in rs], [r.question.unanswerable for r in rs]),
            f"{len(ours)} questions, {len(ours) - len(answerable)} unanswerable",
        ),
        Row(dataset, "conflict precision", conflicts[0][0], conflicts[1][0], n_all),
        Row(dataset, "conflict recall", conflicts[0][1], conflicts[1][1], n_all),
        Row(
            dataset,
            "verbatim-quote rate",
            (quotes[0][0] - quotes[0][1]) / quotes[0][0] if quotes[0][0] else None,
            (quotes[1][0] - quotes[1][1]) / quotes[1][0] if quotes[1][0] else None,
            f"{quotes[0][0]} / {quotes[1][0]} quotes",
        ),
    ]
