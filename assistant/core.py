"""`Assistant`: question in, cited answer out. The CLI, the web app and the API all go through here.

One path for every question: rewrite a follow-up into a standalone question, retrieve passages,
find where their articles disagree, then answer. Without a chat model the extractive engine
answers; with one, the model writes and every sentence is verified before it is shown, and any
backend failure falls back to the extractive answer with a note saying so. A question's model calls
share one `llm.timeout_s` budget (`assistant.llm.guard`), so a dead or stalled backend costs one timeout.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from assistant.answer import Answer, Conflict, Passage
from assistant.compose import CitationBook, abstain, compose, conflict_sentence
from assistant.consistent import consistent_passages
from assistant.errors import AssistantError, InvalidQuestion
from assistant.extractive import Similarity, select, whole_articles
from assistant.retrieve import Filters, Retriever
from index.article import Article
from index.settings import Settings
from index.store import Store

if TYPE_CHECKING:
    from assistant.llm.verify import Verified
    from assistant.stories import StorySummary

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
_SENTENCE_CACHE = 50_000
History = Sequence[tuple[str, str]]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Invisible format characters go without a trace ("Ho\u200dw" is "How"); lone surrogates, which a
# JSON body can carry, cannot be encoded and would fail the embedding model.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")
_FALLBACK_NOTE = (
    "The language model's answer could not be verified against the articles, "
    "so this is the extractive answer."
)


def clean_question(question: str) -> str:
    """The question with control characters removed and spacing collapsed; rejects empty or huge."""
    text = " ".join(_CONTROL.sub(" ", _INVISIBLE.sub("", question or "")).split())
    if not text:
        raise InvalidQuestion("Please type a question.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"Questions are limited to {MAX_QUESTION_CHARS:,} characters; this one has {len(text):,}."
        )
    return text


class Assistant:
    """Answers questions about the articles in one store."""

    def __init__(
        self,
        settings: Settings,
        chat_model: BaseChatModel | None = None,
        store: Store | None = None,
        embedder: Embeddings | None = None,
    ) -> None:
        from index.embed import Embedder

        self.settings = settings
        self.embedder = embedder or Embedder.from_settings(settings.embedding)
        model_name = getattr(self.embedder, "name", type(self.embedder).__name__)
        self.store = store or Store(settings.store, model_name)
        self.retriever = Retriever(self.store, self.embedder, settings.retrieval)
        if chat_model is None and settings.llm.backend != "none":
            from assistant.llm.backends import make_chat_model

            chat_model = make_chat_model(settings.llm)
        self.chat_model = chat_model
        self.write_lock = threading.Lock()  # one upload, deletion or build at a time per process
        self._articles: OrderedDict[tuple[str, str], Article] = OrderedDict()
        self._sentence_vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._stories: tuple[str, list[StorySummary]] | None = None  # (store generation, report)
        self._stories_lock = threading.Lock()

    @property
    def backend(self) -> str:
        """The answer backend in use, for display."""
        return self.settings.llm.backend if self.chat_model is not None else "none"

    def ask(self, question: str, history: History = (), filters: Filters | None = None) -> Answer:
        """Answer a question; `history` holds earlier (question, answer) turns of the chat."""
        answer = None
        for event in self.stream(question, history, filters):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(
        self, question: str, history: History = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces as it is ready, then the complete `Answer`."""
        asked = clean_question(question)
        model = self._guarded()
        standalone, passages, articles = self.passages(asked, history, filters, model)
        conflicts = self._conflicts(standalone, passages, articles, model)
        extractive = self._extractive(standalone, passages, articles, conflicts)
        if model is None or extractive.abstained:
            yield from _pieces(extractive.answer)
            yield _renamed(extractive, asked)
            return
        yield from self._generative(asked, standalone, passages, articles, conflicts, extractive, model)

    def passages(
        self,
        question: str,
        history: History = (),
        filters: Filters | None = None,
        model: BaseChatModel | None = None,
    ) -> tuple[str, list[Passage], dict[str, Article]]:
        """The question made standalone, the passages retrieved for it and, by source, the article
        versions they are verbatim spans of."""
        standalone = self._standalone(question, history, model)
        passages, articles = consistent_passages(self.retriever, self.article, standalone, filters)
        return standalone, passages, articles

    # --- steps ------------------------------------------------------------------------------

    def _guarded(self) -> BaseChatModel | None:
        """The chat model for one question: its calls share `llm.timeout_s` and keep secrets out."""
        if self.chat_model is None:
            return None
        from assistant.llm.guard import Guarded, secrets_of

        return Guarded(
            inner=self.chat_model, timeout_s=self.settings.llm.timeout_s, secrets=secrets_of(self.settings)
        )

    def _standalone(self, question: str, history: History, model: BaseChatModel | None) -> str:
        if not history:
            return question
        from assistant.llm.rewrite import rewrite_question

        try:
            return rewrite_question(question, history, model)
        except Exception as err:  # a failing model must not stop the question
            log.warning("follow-up rewriting failed: %s", err)
            return rewrite_question(question, history, None)

    def _conflicts(
        self,
        question: str,
        passages: Sequence[Passage],
        articles: Mapping[str, Article],
        model: BaseChatModel | None,
    ) -> list[Conflict]:
        from assistant.conflicts.detect import detect_conflicts

        found = list(detect_conflicts(question, passages, articles))
        if found and model is not None:
            from assistant.llm.confirm import confirm_conflicts

            found = list(confirm_conflicts(found, model))
        return found

    def _extractive(
        self,
        question: str,
        passages: Sequence[Passage],
        articles: Mapping[str, Article],
        conflicts: Sequence[Conflict],
    ) -> Answer:
        if not passages or self._unknown_names(question, passages):
            return abstain(question, passages)
        whole = whole_articles(passages, self.retriever.article_chunks, articles)
        selection = select(question, whole, self.retriever.idf, self._similarity(question))
        return compose(question, selection, conflicts, passages)

    def _similarity(self, question: str) -> Similarity:
        """Cosine of texts to the question; sentence vectors are cached, as questions reuse them."""
        query = self.retriever.query_vector(question)

        def similarity(texts: Sequence[str]) -> list[float]:
            return [sum(a * b for a, b in zip(query, v, strict=True)) for v in self.sentence_vectors(texts)]

        return similarity

    def sentence_vectors(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit vectors of the texts (sentences of the articles), cached across questions and reports."""
        known = {t: v for t in dict.fromkeys(texts) if (v := self._sentence_vectors.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self.embedder.embed_documents(missing), strict=True))
            self._sentence_vectors.update((t, known[t]) for t in missing)
            while len(self._sentence_vectors) > _SENTENCE_CACHE:  # other threads may evict too
                try:
                    self._sentence_vectors.popitem(last=False)
                except KeyError:
                    break
        return [known[t] for t in texts]

    def stories(self) -> list[StorySummary]:
        """Every story of the store with its articles and conflicts (`assistant.stories`), computed
        once per store generation and shared by the pages, the API and the MCP tools: the first
        report over a large store takes seconds, and callers arriving meanwhile wait for it."""
        from assistant.stories import story_report

        generation = self.store.generation()  # read first: a write during the report makes it stale
        with self._stories_lock:
            if self._stories is None or self._stories[0] != generation:
                report = story_report(self.store.records(), self.article, self.sentence_vectors)
                self._stories = (generation, report)
            return self._stories[1]

    def _unknown_names(self, question: str, passages: Sequence[Passage] = ()) -> list[str]:
        """Words of the question's names that no article mentions (see `assistant.text.names`);
        other forms of a name are looked for in the passages retrieved for it."""
        from assistant.text.names import unknown_names

        text = "\n".join(p.chunk.text for p in passages)
        return unknown_names(question, self.retriever.knows, self.retriever.knows_derived, text)

    def _generative(
        self,
        asked: str,
        question: str,
        passages: Sequence[Passage],
        articles: Mapping[str, Article],
        conflicts: Sequence[Conflict],
        fallback: Answer,
        model: BaseChatModel,
    ) -> Iterator[str | Answer]:
        from assistant.llm.generate import stream as generate_stream
        from assistant.llm.verify import verify_stream

        book = CitationBook()
        lines: list[str] = []
        for conflict in conflicts:
            numbers = [book.cite_side(side) for side in conflict.sides]
            lines.append(conflict_sentence(conflict, numbers))
            yield lines[-1] + " "
        try:
            tokens = generate_stream(question, passages, model)
            for checked in verify_stream(tokens, passages):
                line = _cited_line(checked, passages, articles, book)
                if line:
                    lines.append(line)
                    yield line + " "
        except AssistantError as err:
            log.warning("answer backend failed: %s", err)
            note = f"The language model backend failed ({_short(err)}), so this is the extractive answer."
            yield from _pieces(fallback.answer)
            yield _renamed(fallback, asked, note)
            return
        generated = [line for line in lines[len(conflicts) :] if line]
        if not generated:
            yield from _pieces(fallback.answer)
            yield _renamed(fallback, asked, _FALLBACK_NOTE)
            return
        yield Answer(
            question=asked,
            answer=" ".join(lines),
            citations=tuple(book.citations),
            conflicts=tuple(conflicts),
            notes=fallback.notes,  # what the extractive answer notes of its passages holds here too
        )

    # --- articles ---------------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        """A cleaned article from the store, cached while its content is unchanged."""
        snapshot = self.retriever.snapshot()
        key = (article_id, snapshot.current.get(article_id, ""))
        if key not in self._articles:
            article = self.store.article(article_id)
            # Keyed by the version read, which a build may have changed since the snapshot.
            self._articles[(article_id, article.source_hash)] = article
            while len(self._articles) > 512:  # other threads may evict too
                try:
                    self._articles.popitem(last=False)
                except KeyError:
                    break
            return article
        return self._articles.get(key) or self.store.article(article_id)


def _cited_line(
    checked: Verified, passages: Sequence[Passage], articles: Mapping[str, Article], book: CitationBook
) -> str:
    """A verified sentence with its passage markers renumbered to citations; "" when dropped."""
    if checked.empty or checked.abstained:
        return ""
    by_number = {p.number: p for p in passages}
    spans: dict[int, tuple[int, int]] = {}  # per passage, from its first to its last evidence sentence
    for ev in (ev for check in checked.checks for ev in check.evidence):
        lo, hi = spans.get(ev.passage, (ev.start, ev.end))
        spans[ev.passage] = (min(lo, ev.start), max(hi, ev.end))

    def renumber(match: re.Match[str]) -> str:
        cites = []
        for n in (int(x) for x in re.findall(r"\d+", match.group(0))):
            if n not in by_number:
                continue
            passage = by_number[n]
            start, end = spans.get(n, (passage.chunk.start, passage.chunk.end))
            quote = articles[passage.source].text[start:end]
            cites.append(book.cite(passage.chunk, start, end, quote))
        return "".join(f"[{c}]" for c in dict.fromkeys(cites))

    return re.sub(r"(?:\[\d+(?:,\s*\d+)*\])+", renumber, checked.text)


def _pieces(text: str) -> Iterator[str]:
    """The text in sentence-sized pieces, as a stream would deliver it."""
    from index.sentences import sentence_spans

    spans = list(sentence_spans(text))
    for i, (a, b) in enumerate(spans):
        yield text[a:b] + (" " if i < len(spans) - 1 else "")


def _renamed(answer: Answer, question: str, note: str = "") -> Answer:
    notes = (*answer.notes, note) if note else answer.notes
    return Answer(
        question, answer.answer, answer.abstained, answer.citations, answer.conflicts, notes, answer.related
    )


def _short(err: Exception) -> str:
    return str(err).splitlines()[0][:160] if str(err) else type(err).__name__
