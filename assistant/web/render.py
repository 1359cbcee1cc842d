"""HTML for the web page: answers with clickable [n] markers, source cards, the conflict panel, the
article view and the corpus status. Pure functions; every piece of article or user text is escaped.

A clickable element links to `#cite-TURN-KIND-I[-J]`: KIND `c` is citation number I of chat turn TURN,
`r` its related passage I, `x` side J of its conflict I. The chatbot's sanitiser drops `data-*`
attributes but keeps `href`, so the link itself carries the key.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from assistant.answer import Answer, Citation, Conflict
from index.article import Article
from index.build import BuildReport
from index.store import ArticleRecord

_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_KEY = re.compile(r"#?cite-(\d+)-([crx])-(\d+)(?:-(\d+))?$")
_KIND_LABELS = {
    "contradiction": ("Contradiction", "These sources give different accounts of the same point."),
    "different-time": ("Different times", "These reports may describe different moments or events."),
}


@dataclass(frozen=True)
class CiteKey:
    """What a clicked marker, card or conflict side points at."""

    turn: int
    kind: str
    index: int
    side: int = 0

    def anchor(self) -> str:
        """The `href` that carries this key."""
        tail = f"-{self.side}" if self.kind == "x" else ""
        return f"#cite-{self.turn}-{self.kind}-{self.index}{tail}"


@dataclass(frozen=True)
class Span:
    """A quoted span of one article."""

    source: str
    start: int
    end: int


def esc(text: object) -> str:
    """Text escaped for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def parse_key(value: str) -> CiteKey | None:
    """The key in a clicked link's `href` (or the bare key); None when it is not one."""
    match = _KEY.search((value or "").strip())
    if not match:
        return None
    turn, kind, index, side = match.groups()
    return CiteKey(int(turn), kind, int(index), int(side or 0))


def locate(answers: Sequence[Answer], key: CiteKey) -> Span | None:
    """The article span a key points at in the chat's answers; None when there is no such thing."""
    if not 0 <= key.turn < len(answers):
        return None
    answer = answers[key.turn]
    if key.kind == "c":
        found = [c for c in answer.citations if c.id == key.index]
        return Span(found[0].source, found[0].start, found[0].end) if found else None
    if key.kind == "r":
        if not 0 <= key.index < len(answer.related):
            return None
        related = answer.related[key.index]
        return Span(related.source, related.start, related.end)
    if 0 <= key.index < len(answer.conflicts) and 0 <= key.side < len(answer.conflicts[key.index].sides):
        side = answer.conflicts[key.index].sides[key.side]
        return Span(side.source, side.start, side.end)
    return None


def _day(published: str) -> str:
    return published[:10]


def _meta(*parts: str) -> str:
    return " · ".join(esc(p) for p in parts if p)


# --- the answer ----------------------------------------------------------------------------------


def answer_html(text: str, turn: int, answer: Answer | None = None) -> str:
    """The answer text, escaped, with its [n] markers as links (once the final `answer` is known)."""
    known = {c.id for c in answer.citations} if answer else set()

    def marker(match: re.Match[str]) -> str:
        out = []
        for number in (int(n) for n in re.findall(r"\d+", match.group(1))):
            if number in known:
                href = CiteKey(turn, "c", number).anchor()
                out.append(f'<a class="cite" href="{href}" title="Show source {number}">[{number}]</a>')
            else:
                out.append(f'<span class="cite-pending">[{number}]</span>')
        return "".join(out)

    parts, last = [], 0
    for match in _MARKERS.finditer(text):
        parts += [esc(text[last : match.start()]), marker(match)]
        last = match.end()
    parts.append(esc(text[last:]))
    body = "".join(parts).strip().replace("\n", "<br>")
    if answer is not None and answer.abstained:
        body = f'<span class="abstained">{body}</span>'
    notes = "".join(f'<br><em class="note">Note: {esc(n)}</em>' for n in answer.notes) if answer else ""
    return body + notes


def message_html(text: str) -> str:
    """A short notice (an error, a hint) shown where an answer or panel would be."""
    return f'<p class="notice">{esc(text)}</p>'


def question_html(text: str) -> str:
    """The user's question as shown in the chat."""
    return esc(text)


# --- sources and conflicts -----------------------------------------------------------------------


def _card(citation: Citation, key: CiteKey, label: str) -> str:
    title = esc(citation.title) or '<span class="untitled">Untitled article</span>'
    return (
        f'<li><a class="card" href="{key.anchor()}" title="Open the article at this passage">'
        f'<span class="card-head"><span class="num">{esc(label)}</span>'
        f'<span class="meta">{_meta(citation.outlet, _day(citation.published))}</span></span>'
        f'<span class="title">{title}</span>'
        f'<q class="quote">{esc(citation.quote)}</q>'
        f'<span class="source-id">{esc(citation.source)}</span></a>{_original(citation.source)}</li>'
    )


def _original(source: str) -> str:
    """A link to the page an article came from (its id is the URL), beside its card."""
    if not source.startswith(("http://", "https://")):
        return ""
    return (
        f'<a class="card-link" href="{esc(source)}" target="_blank" rel="noopener noreferrer" '
        'title="Open the original page">original page ↗</a>'
    )


def sources_html(answer: Answer | None, turn: int) -> str:
    """One card per cited passage; for an abstention, the related passages as further reading."""
    if answer is None:
        return '<h3 class="panel-title">Sources</h3><p class="empty">Sources for an answer appear here.</p>'
    cards = [_card(c, CiteKey(turn, "c", c.id), f"[{c.id}]") for c in answer.citations]
    out = f'<h3 class="panel-title" data-turn="{turn}">Sources ({len(cards)})</h3>'
    out += f'<ol class="sources">{"".join(cards)}</ol>' if cards else '<p class="empty">No passage cited.</p>'
    if answer.related:
        related = [_card(c, CiteKey(turn, "r", i), "related") for i, c in enumerate(answer.related)]
        out += f'<h4 class="panel-subtitle">Related reading</h4><ol class="sources">{"".join(related)}</ol>'
    return out


def conflicts_html(answer: Answer | None, turn: int) -> str:
    """Each conflict with its sides next to each other, labelled by kind."""
    if answer is None:
        return (
            '<h3 class="panel-title">Where sources disagree</h3>'
            '<p class="empty">Disagreements between articles appear here.</p>'
        )
    title = f'<h3 class="panel-title" data-turn="{turn}">Where sources disagree</h3>'
    if not answer.conflicts:
        return title + '<p class="agree">No disagreement found among the passages for this answer.</p>'
    return title + conflict_sections(answer.conflicts, turn)


def conflict_sections(conflicts: Sequence[Conflict], turn: int | None = None) -> str:
    """Each conflict with its sides next to each other, labelled by kind; with a chat `turn`, each
    side links to its article (the Stories view shows them without links)."""
    sections = []
    for i, conflict in enumerate(conflicts):
        label, explain = _KIND_LABELS.get(conflict.kind, (conflict.kind.title(), ""))
        explain = conflict.reason or explain
        sides = "".join(
            (
                f'<a class="side" href="{CiteKey(turn, "x", i, j).anchor()}" title="Open this article">'
                if turn is not None
                else '<div class="side">'
            )
            + f'<strong class="value">{esc(side.value or "—")}</strong>'
            f'<q class="quote">{esc(side.quote)}</q>'
            + (f'<span class="when">describes {esc(side.when)}</span>' if side.when else "")
            + f'<span class="meta">{_meta(side.outlet, _day(side.published), side.source)}</span>'
            + ("</a>" if turn is not None else "</div>")
            for j, side in enumerate(conflict.sides)
        )
        sections.append(
            f'<section class="conflict kind-{esc(conflict.kind)}">'
            f'<p class="conflict-head"><span class="badge">{esc(label)}</span> '
            f'<span class="topic">{esc(conflict.topic)}</span></p>'
            f'<p class="explain">{esc(explain)}</p><div class="sides">{sides}</div></section>'
        )
    return "".join(sections)


# --- the article view ----------------------------------------------------------------------------


def article_html(article: Article, start: int = 0, end: int = 0) -> str:
    """The cleaned article with `text[start:end]` highlighted as the quoted span."""
    text = article.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end > start:
        body = f'{esc(text[:start])}<mark class="quoted">{esc(text[start:end])}</mark>{esc(text[end:])}'
    else:
        body = esc(text)
    url = article.url if article.url.startswith(("http://", "https://")) else ""
    link = f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">original</a>' if url else ""
    title = esc(article.title) or "Untitled article"
    return (
        f'<article class="article-view"><h3 class="panel-title">{title}</h3>'
        f'<p class="meta">{_meta(article.outlet, _day(article.published), article.id)}{link}</p>'
        f'<div class="article-text">{body}</div></article>'
    )


def article_placeholder() -> str:
    """What the article pane shows before a source is opened."""
    return (
        '<h3 class="panel-title">Article</h3>'
        '<p class="empty">Click a [n] marker, a source card or a conflict side to read the article.</p>'
    )


# --- the corpus ----------------------------------------------------------------------------------


def status_html(records: Mapping[str, ArticleRecord], chunks: int, backend: str) -> str:
    """Articles, chunks, last build time and the answer backend, on one line."""
    built = max((r.indexed_at for r in records.values()), default=0.0)
    when = datetime.fromtimestamp(built, UTC).strftime("%Y-%m-%d %H:%M UTC") if built else "never"
    engine = "extractive (no language model)" if backend == "none" else backend
    return (
        f'<p class="status"><span><b>{len(records):,}</b> articles</span> '
        f"<span><b>{chunks:,}</b> chunks</span> <span>last build {esc(when)}</span> "
        f"<span>answers: {esc(engine)}</span></p>"
    )


def report_html(report: BuildReport, refused: Sequence[tuple[str, str]] = ()) -> str:
    """What an upload did, with every skipped file and its reason."""
    summary = (
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged; "
        f"{report.chunks} chunks in {report.seconds:.1f}s."
    )
    skipped = [*refused, *report.skipped]
    items = "".join(f"<li><b>{esc(name)}</b>: {esc(reason)}</li>" for name, reason in skipped)
    listed = f'<p>Skipped:</p><ul class="skipped">{items}</ul>' if skipped else ""
    return f'<div class="report"><p>{esc(summary)}</p>{listed}</div>'


_VERBS = set(
    "held spoke met won lost took made gave began ran left sent struck became came went found saw wrote "
    "rose fell paid sold bought brought kept led chose drew drove flew grew knew shook stood threw".split()
)
_NOT_ACTIONS = {"said", "told", "reported", "added", "noted", "asked", "claimed", "according"}
_BREAKS = {"as", "after", "while", "amid", "because", "following", "when", "since", "which", "but", "and"}
_LINKS = {"and", "of", "the", "de", "van", "von"}
_MAX_WORDS = 18


def _who_question(sentence: str) -> str:
    """'Who <verb> <object>?' from a sentence that opens with a named subject and a past-tense verb."""
    words = sentence.split()
    i = 0
    while i < len(words) and (words[i][:1].isupper() or (i and words[i] in _LINKS)):
        i += 1
    if not 0 < i <= 8 or i >= len(words) or words[i - 1] in _LINKS:
        return ""
    verb = words[i]
    if verb in _NOT_ACTIONS or not (verb in _VERBS or re.fullmatch(r"[a-z]{3,}ed", verb)):
        return ""
    predicate: list[str] = []
    for word in words[i:]:
        if len(predicate) > 3 and word.lower() in _BREAKS:
            break
        predicate.append(word)
        if word.endswith((",", ";", ":")):
            break
    text = " ".join(predicate).rstrip(",;:.!?")
    return f"Who {text}?" if 3 <= len(predicate) <= _MAX_WORDS else ""


def example_questions(articles: Iterable[Article], limit: int = 4) -> list[str]:
    """A few questions drawn from the articles' opening sentences (or their titles), one per article."""
    from index.sentences import sentence_spans

    found: list[str] = []
    for article in articles:
        opening = [article.text[a:b] for a, b in list(sentence_spans(article.text))[:3]]
        question = next((q for q in map(_who_question, opening) if q), "")
        if not question and article.title:
            question = f"What do the articles report about “{article.title}”?"
        if question and question.lower() not in {q.lower() for q in found}:
            found.append(question)
        if len(found) >= limit:
            break
    return found
