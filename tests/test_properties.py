"""Property tests: any bytes or text through loading, cleaning, sentence splitting and chunking, and
amounts read from any run of number words.

Whatever the input, nothing crashes (a file that cannot be read raises `SkipFile` with a one-line
reason), offsets stay consistent, and what a user is shown as a quote is verbatim from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.text.quantities import quantities_in
from index.article import Article
from index.chunk import chunk_article
from index.clean import clean_lines, split_lines
from index.errors import SkipFile
from index.load import Document, decode, read_documents
from index.prepare import prepare
from index.sentences import sentence_spans
from tests.index.test_chunk import check_invariants

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# News-like pieces mixed with arbitrary text, so that examples exercise cleaning and metadata
# inference as well as plain noise: appeals, footers, dates, datelines, abbreviations, line breaks.
_PIECES = st.sampled_from(
    [
        "The council voted on Tuesday to reopen the bridge. ",
        "Sen. J. Smith said the U.S. plan would cost $4.5 million, according to officials. ",
        "“It is done,” she said. ",
        "Subscribe to our newsletter",
        "Donate today",
        "Related stories",
        "Read more",
        "Wednesday, 10/09/2024",
        "Lorrin Daily — March 4, 2026",
        "Published on 2024-10-09",
        "- a bullet line",
        "1) a numbered line",
        "...",
        "?!",
        "[3]",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "\u2028",
        "\x0b",
        "\x00",
        "\ufeff",
        " ",
    ]
)
NEWSY_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=40).map("".join)


def assert_verbatim(article: Article, source: str) -> None:
    """Every kept line, and so every sentence, is a substring of the source, in the source's order."""
    position = 0
    for line in article.text.split("\n") if article.text else []:
        assert line and line == line.strip(), "kept lines are whole, trimmed, non-blank"
        found = source.find(line, position)
        assert found >= 0, f"kept line is not verbatim from the source: {line!r}"
        position = found + len(line)
    for start, end in sentence_spans(article.text):
        assert article.text[start:end] in source


def assert_chunks_consistent(article: Article, chunk_chars: int, overlap: int) -> None:
    chunks = chunk_article(article, chunk_chars, overlap)
    check_invariants(article, chunks, chunk_chars)
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(article.text)


@FAST
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_a_one_line_reason(data: bytes) -> None:
    try:
        text = decode(data)
    except SkipFile as err:
        assert str(err) and "\n" not in str(err)
        return
    assert isinstance(text, str)


@FAST
@given(NEWSY_TEXT, st.sampled_from(["a.txt", "a.md"]))
def test_text_files_load_and_clean_to_verbatim_lines(text: str, name: str) -> None:
    data = text.encode()
    source = data.decode("utf-8-sig")
    try:
        docs = read_documents(Path(name), name, data)
    except SkipFile as err:
        assert "\n" not in str(err)
        assert "\x00" in text or not source.strip() or name.endswith(".md"), str(err)
        return
    (doc,) = docs
    assert source.endswith(doc.text), "the body is the file's text (after any front matter)"
    article = prepare(doc)
    assert_verbatim(article, doc.text)
    assert_chunks_consistent(article, 200, 1)


@FAST
@given(st.binary(max_size=600))
def test_any_bytes_load_or_are_skipped(data: bytes) -> None:
    for name in ("a.txt", "a.md", "a.json", "a.jsonl"):
        try:
            docs = read_documents(Path(name), name, data)
        except SkipFile as err:
            assert str(err) and "\n" not in str(err)
            continue
        for doc in docs:
            article = prepare(doc)
            assert_verbatim(article, doc.text)
            assert_chunks_consistent(article, 120, 1)


@FAST
@given(st.lists(st.one_of(NEWSY_TEXT, st.integers(), st.none()), max_size=5), st.booleans())
def test_json_records_load_with_their_text_verbatim(texts: list, lines: bool) -> None:
    records = [{"title": "T", "text": t} for t in texts]
    name = "a.jsonl" if lines else "a.json"
    data = (
        "\n".join(json.dumps(r) for r in records) if lines else json.dumps(records, ensure_ascii=False)
    ).encode()
    try:
        docs = read_documents(Path(name), name, data)
    except SkipFile as err:
        assert "\n" not in str(err)
        assert not any(isinstance(t, str) and t.strip() for t in texts)
        return
    by_id = {d.id: d for d in docs}
    for n, value in enumerate(texts):
        if isinstance(value, str) and value.strip():
            doc = by_id[f"{name}#{n}"]
            assert doc.text == value
            assert_verbatim(prepare(doc), value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY_TEXT, st.sampled_from(["p", "div", "article", "script", "style", "h1"]))
def test_html_never_crashes_and_keeps_no_script_text(text: str, tag: str) -> None:
    html = (
        f"<html><head><title>T</title><script>var leaked = 'SCRIPT-MARKER';</script></head>"
        f"<body><{tag}>{text}</{tag}><p>The council voted on Tuesday to reopen the bridge after "
        f"repairs, the mayor said.</p></body></html>"
    )
    try:
        docs = read_documents(Path("a.html"), "a.html", html.encode())
    except SkipFile as err:
        assert "\n" not in str(err)
        return
    article = prepare(docs[0])
    assert "SCRIPT-MARKER" not in article.text
    assert_chunks_consistent(article, 200, 1)


@FAST
@given(NEWSY_TEXT)
def test_cleaning_keeps_lines_verbatim_and_in_order(text: str) -> None:
    lines = split_lines(text)
    for line in lines:
        assert text[line.start : line.end] == line.text == line.text.strip()
        assert line.text
    kept, dropped = clean_lines(lines)
    assert len(kept) + len(dropped) == len(lines)
    positions = [lines.index(line) for line in kept]
    assert positions == sorted(positions)
    article = prepare(Document("a.txt", text))
    assert_verbatim(article, text)


@FAST
@given(st.text(max_size=400), st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=50))
def test_sentence_spans_of_any_text_are_ordered_trimmed_and_in_range(text: str, lo: int, cut: int) -> None:
    hi = max(lo, len(text) - cut)
    previous = lo
    for start, end in sentence_spans(text, lo, hi):
        assert previous <= start < end <= hi
        piece = text[start:end]
        assert piece == piece.strip() and "\n" not in piece
        previous = end


@FAST
@given(NEWSY_TEXT, st.integers(min_value=1, max_value=800), st.integers(min_value=0, max_value=3))
def test_chunks_of_any_cleaned_text_point_at_their_text(text: str, chunk_chars: int, overlap: int) -> None:
    article = prepare(Document("a.txt", text))
    assert_chunks_consistent(article, chunk_chars, overlap)


# Number words, scale words, hedges and nouns in any order: spelled numbers ("two thousand nine
# hundred and forty"), vague counts ("several hundred"), and runs that are no number at all.
_NUMBER_WORDS = st.sampled_from(
    "zero one two three ten eleven nineteen twenty forty ninety hundred thousand million billion "
    "dozen and a an - half several few tens hundreds thousands of about nearly $ 2,940 people "
    "teachers dollars minutes years .".split()
)


@FAST
@given(st.lists(_NUMBER_WORDS, min_size=1, max_size=12))
def test_amounts_of_any_number_words_are_ordered_ranges_inside_the_text(words: list[str]) -> None:
    text = " ".join(words)
    previous = 0
    for q in quantities_in(text):
        assert previous <= q.start < q.end <= len(text)
        assert 0 <= q.low <= q.value <= q.high or q.high == float("inf")
        previous = q.start
