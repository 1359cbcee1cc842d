"""Read article files of every supported format into raw documents (text plus stated metadata).

Formats: .txt, .md (optional YAML front matter), .html/.htm (main text extracted by trafilatura),
.pdf (pypdf), .json/.jsonl (one article per record). A sidecar `NAME.meta.json` or `NAME.meta.yaml`
next to a file supplies its metadata. Problems raise `SkipFile` with a one-line reason.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.errors import SkipFile
from index.metadata import normalise

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".pdf", ".json", ".jsonl")
ARCHIVES = (".zip", ".gz", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar")
ARCHIVE_REASON = "archives are not supported; unpack them first"
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
_CLOSERS = (".", "!", "?", '"', "”", "’", "'", ")")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Document:
    """One article as read from its file: text before cleaning, metadata the file states."""

    id: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    source_hash: str = ""


def is_sidecar(path: Path) -> bool:
    """True for metadata sidecar files, which are read with their article, not on their own."""
    return path.name.endswith(SIDECAR_SUFFIXES)


def content_hash(data: bytes) -> str:
    """Short stable hash of file contents."""
    return hashlib.sha256(data).hexdigest()[:32]


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), else the best-guess encoding; binary refused."""
    if b"\x00" in data[:8192]:
        raise SkipFile("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    western = _western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SkipFile("not decodable as text")
    log.info("decoded as %s", best.encoding)
    return str(best)


def _western(data: bytes) -> str | None:
    """Text as Windows-1252 when it reads as mostly-ASCII Latin script, else None.

    On short texts charset detection often picks a neighbouring code page ("Señor" as "Seńor");
    legacy Western files are far more common among news articles than any of those.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if letters and foreign <= 0.15 * len(letters) else None


def read_documents(path: Path, article_id: str, data: bytes) -> list[Document]:
    """All documents in one file; `article_id` is the file's path relative to the ingested folder."""
    suffix = path.suffix.lower()
    digest = content_hash(data)
    sidecar = _sidecar_meta(path)
    if suffix in TEXT_SUFFIXES:
        text = decode(data)
        body, front = _front_matter(text) if suffix == ".md" else (text, {})
        docs = [Document(article_id, body, {**normalise(front), **sidecar}, digest)]
    elif suffix in HTML_SUFFIXES:
        docs = [html_document(article_id, data, sidecar, digest)]
    elif suffix == ".pdf":
        docs = [Document(article_id, _pdf_text(data), sidecar, digest)]
    elif suffix in (".json", ".jsonl"):
        docs = list(_records(article_id, decode(data), suffix, digest))
    elif suffix in ARCHIVES:
        raise SkipFile(ARCHIVE_REASON)
    else:
        raise SkipFile(f"unsupported file type {suffix or '(none)'}")
    docs = [_scrubbed(d) for d in docs if d.text.strip()]
    if not docs:
        raise SkipFile("no article text")
    return docs


def _scrubbed(doc: Document) -> Document:
    """The document with lone surrogates (JSON and YAML escapes such as "\\ud800" make them) replaced:
    they cannot be encoded, so hashing, embedding and storing the text would fail."""
    meta = {key: _SURROGATE.sub("\ufffd", value) for key, value in doc.meta.items()}
    return Document(doc.id, _SURROGATE.sub("\ufffd", doc.text), meta, doc.source_hash)


def _sidecar_meta(path: Path) -> dict[str, str]:
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        if candidate.is_file():
            try:
                loaded = yaml.safe_load(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
                log.warning("ignoring unreadable sidecar %s: %s", candidate, err)
                return {}
            return normalise(loaded) if isinstance(loaded, dict) else {}
    return {}


def _front_matter(text: str) -> tuple[str, dict[str, Any]]:
    """Split YAML front matter off a Markdown file; the body is a verbatim suffix of the file."""
    if not text.startswith("---"):
        return text, {}
    end = text.find("\n---", 3)
    if end < 0:
        return text, {}
    try:
        loaded = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return text, {}
    body_start = text.find("\n", end + 4)
    body = text[body_start + 1 :] if body_start >= 0 else ""
    return body, loaded if isinstance(loaded, dict) else {}


def html_document(article_id: str, data: bytes, sidecar: dict[str, str], digest: str) -> Document:
    """The main text of an HTML page (trafilatura), with the title, site name, date and URL it states."""
    import trafilatura
    from trafilatura.settings import set_date_params

    html = decode(data)
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # The page's own date markup only: the extensive search reads "© 2023" as 2023-01-01.
        date_extraction_params=set_date_params(extensive=False),
    )
    if extracted is None:
        fields: dict[str, Any] = {}
    else:
        fields = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = str(fields.get("text") or "")
    # trafilatura falls back to a page's loose text (menus, "Loading..."): require a sentence.
    if not _has_sentence(text):
        raise SkipFile("no article text found in the HTML page")
    stated = normalise(
        {
            "title": fields.get("title"),
            "outlet": fields.get("sitename"),
            "published": fields.get("date"),
            "url": fields.get("url"),
        }
    )
    return Document(article_id, text, {**stated, **sidecar}, digest)


def _has_sentence(text: str) -> bool:
    return any(len(line.split()) >= 5 and line.rstrip().endswith(_CLOSERS) for line in text.splitlines())


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
        raise SkipFile(f"PDF could not be parsed ({type(err).__name__})") from err


def _records(article_id: str, text: str, suffix: str, digest: str) -> Iterator[Document]:
    """One document per JSON record; ids are `FILE#N` (N counts records from 0), or `FILE` alone
    for a .json file holding a single object."""
    try:
        if suffix == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            loaded = json.loads(text)
            records = loaded if isinstance(loaded, list) else [loaded]
    except json.JSONDecodeError as err:
        raise SkipFile(f"invalid JSON (line {err.lineno}: {err.msg})") from err
    single = suffix == ".json" and len(records) == 1 and not text.lstrip().startswith("[")
    for n, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            log.warning("%s#%d: record has no text field; skipped", article_id, n)
            continue
        record_text = record["text"]
        record_hash = content_hash(json.dumps(record, sort_keys=True).encode())
        record_id = article_id if single else f"{article_id}#{n}"
        yield Document(record_id, record_text, normalise(record), record_hash or digest)
