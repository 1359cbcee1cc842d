"""Cut an article into sentence-aligned, overlapping chunks with exact character offsets."""

from __future__ import annotations

from index.article import Article, Chunk
from index.sentences import sentence_spans


def chunk_article(article: Article, chunk_chars: int = 700, overlap_sentences: int = 1) -> list[Chunk]:
    """Group whole sentences into chunks of about `chunk_chars`; each chunk repeats the last
    `overlap_sentences` sentences of the one before, so a fact split across them is not lost."""
    spans = list(sentence_spans(article.text))
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    fresh = 0  # sentences in `current` that no earlier chunk holds
    for span in spans:
        if current and fresh and span[1] - current[0][0] > chunk_chars:
            groups.append(current)
            current = current[-overlap_sentences:] if overlap_sentences else []
            fresh = 0
            # The overlap must not by itself push the chunk over its size.
            while current and span[1] - current[0][0] > chunk_chars:
                current = current[1:]
        current.append(span)
        fresh += 1
    if current and fresh:
        groups.append(current)
    return [_make_chunk(article, i, g[0][0], g[-1][1]) for i, g in enumerate(groups)]


def _make_chunk(article: Article, index: int, start: int, end: int) -> Chunk:
    return Chunk(
        article_id=article.id,
        index=index,
        start=start,
        end=end,
        text=article.text[start:end],
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        url=article.url,
    )
