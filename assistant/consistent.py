"""Passages together with the article versions they were cut from, while builds run alongside.

Retrieval works on a snapshot of chunks; the articles are read afterwards, and in between a build
may have switched an article to a new version or removed it. Quotes are cut from article text at a
passage's offsets, so a passage is only used with an article whose text holds exactly that passage
at those offsets. When one does not, retrieval runs again on the changed index; if the index keeps
changing, the passages that do not match are left out rather than quoted from the wrong text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from assistant.answer import Passage
from assistant.retrieve import Filters, Retriever
from index.article import Article
from index.errors import UnknownArticle

log = logging.getLogger(__name__)

ATTEMPTS = 3


def consistent_passages(
    retriever: Retriever, fetch: Callable[[str], Article], question: str, filters: Filters | None
) -> tuple[list[Passage], dict[str, Article]]:
    """The passages for a question and, by source, the articles they are verbatim spans of."""
    matching: list[Passage] = []
    articles: dict[str, Article] = {}
    for attempt in range(1, ATTEMPTS + 1):
        passages = retriever.retrieve(question, filters)
        articles = _fetch(fetch, {p.source for p in passages})
        matching = [p for p in passages if _holds(articles.get(p.source), p)]
        if len(matching) == len(passages):
            return passages, articles
        log.info("the index changed under %d passages; retrieving again", len(passages) - len(matching))
        time.sleep(0.05 * attempt)  # the build is between writing an article and announcing it
    kept = [Passage(n, p.chunk, p.score) for n, p in enumerate(matching, start=1)]
    return kept, {p.source: articles[p.source] for p in kept}


def _fetch(fetch: Callable[[str], Article], sources: Iterable[str]) -> dict[str, Article]:
    found = {}
    for source in sorted(sources):
        try:
            found[source] = fetch(source)
        except UnknownArticle:
            log.info("article %s was removed after retrieval", source)
    return found


def _holds(article: Article | None, passage: Passage) -> bool:
    chunk = passage.chunk
    return article is not None and article.text[chunk.start : chunk.end] == chunk.text
