"""Turn a raw document into a cleaned `Article`: drop non-article lines, settle its metadata."""

from __future__ import annotations

from index.article import Article, Dropped
from index.clean import clean_lines, split_lines
from index.load import Document
from index.metadata import infer

# Bump when cleaning or chunking changes, so that the next build re-processes every article.
PIPELINE_VERSION = "4"


def prepare(doc: Document) -> Article:
    """Clean a document's text and fill its metadata from what it states, then from its text."""
    lines = split_lines(doc.text)
    inferred, meta_lines = infer(lines, doc.meta.get("title", ""))
    kept_candidates = [line for i, line in enumerate(lines) if i not in meta_lines]
    moved = [Dropped(lines[i].text, f"metadata line ({meta_lines[i]})") for i in sorted(meta_lines)]
    kept, dropped = clean_lines(kept_candidates)
    meta = {**inferred, **doc.meta}
    return Article(
        id=doc.id,
        text="\n".join(line.text for line in kept),
        title=meta.get("title", ""),
        outlet=meta.get("outlet", ""),
        published=meta.get("published", ""),
        url=meta.get("url", ""),
        source_hash=doc.source_hash,
        dropped=tuple(moved + dropped),
    )
