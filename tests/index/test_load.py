"""Loading every supported format into documents, sidecar metadata, and files that cannot be read."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from index.errors import SkipFile
from index.load import SUPPORTED, decode, is_sidecar, read_documents
from index.prepare import prepare

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "articles"


def load(path: Path) -> list:
    return read_documents(path, path.name, path.read_bytes())


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_plain_text_is_the_file_verbatim(path: Path) -> None:
    (doc,) = load(path)
    assert doc.id == path.name
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.meta == {}
    assert len(doc.source_hash) == 32


def test_markdown_front_matter_is_metadata_and_the_body_a_verbatim_suffix() -> None:
    path = FIXTURE_DIR / "harbor_bridge.md"
    (doc,) = load(path)
    assert doc.meta == {
        "title": "Harbor Street bridge reopens after repairs",
        "outlet": "Coastal Ledger",
        "published": "2025-06-12",
        "url": "https://coastal-ledger.example/news/harbor-bridge-reopens",
    }
    original = path.read_text(encoding="utf-8")
    assert original.endswith(doc.text)
    assert doc.text.startswith("# Harbor Street bridge")
    assert "outlet:" not in doc.text


@pytest.mark.parametrize(
    ("text", "meta", "body_start"),
    [
        ("# No front matter\nBody line.\n", {}, "# No front matter"),
        (
            "---\ntitle: T\ndate: 2025-01-02\n---\nBody line.\n",
            {"title": "T", "published": "2025-01-02"},
            "Body",
        ),
        ("---\ntitle: [unclosed\n---\nBody line.\n", {}, "---"),  # invalid YAML: all of it is text
        ("---\nno closing fence\nBody line.\n", {}, "---"),
        ("---\n- a list\n---\nBody line.\n", {}, "Body"),
    ],
)
def test_markdown_front_matter_variants(tmp_path: Path, text: str, meta: dict, body_start: str) -> None:
    (doc,) = load(write(tmp_path, "story.md", text))
    assert doc.meta == meta
    assert doc.text.startswith(body_start)
    assert text.endswith(doc.text)


def test_html_keeps_the_article_and_drops_navigation_ads_and_scripts() -> None:
    (doc,) = load(FIXTURE_DIR / "harbor_bridge.html")
    assert "The Port Elling ferry will run two extra crossings every night from July 15" in doc.text
    assert "A one-way ticket will cost $3.50" in doc.text
    for marker in ("NAV_MARKER", "AD_MARKER", "SCRIPT_MARKER", "ASIDE_MARKER", "FOOTER_MARKER", "color: red"):
        assert marker not in doc.text
    assert doc.meta == {
        "title": "Ferry service adds night crossings",
        "outlet": "Coastal Ledger",
        "published": "2025-07-02",
        "url": "https://coastal-ledger.example/news/ferry-night-crossings",
    }


def test_htm_is_read_like_html(tmp_path: Path) -> None:
    html = (FIXTURE_DIR / "harbor_bridge.html").read_bytes()
    (doc,) = load(write(tmp_path, "page.htm", html))
    assert "two extra crossings" in doc.text


def test_pdf_text_is_extracted(tmp_path: Path, pdf_bytes: Callable[[Sequence[str]], bytes]) -> None:
    lines = [
        "Inspectors found three cracks in the Tarn Valley dam.",
        "Repairs will begin in May, officials said.",
    ]
    (doc,) = load(write(tmp_path, "report.pdf", pdf_bytes(lines)))
    assert doc.text.split() == " ".join(lines).split()
    article = prepare(doc)
    assert "Repairs will begin in May, officials said." in article.text


def test_jsonl_records_become_articles_with_their_metadata() -> None:
    path = FIXTURE_DIR / "wire.jsonl"
    docs = load(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [d.id for d in docs] == ["wire.jsonl#0", "wire.jsonl#1"]
    for doc, record in zip(docs, records, strict=True):
        assert doc.text == record["text"]
        assert doc.meta == {k: record[k] for k in ("title", "outlet", "published", "url")}
    assert docs[0].source_hash != docs[1].source_hash


def test_single_json_object_uses_aliases_and_the_file_id() -> None:
    (doc,) = load(FIXTURE_DIR / "single.json")
    assert doc.id == "single.json"
    assert doc.meta == {
        "title": "Museum returns carved mask to island community",
        "outlet": "Island Herald",
        "published": "2024-11-05",
        "url": "https://island-herald.example/mask-returned",
    }
    assert doc.text.startswith("The Northport Museum returned")


def test_json_array_records_are_numbered_and_records_without_text_skipped(tmp_path: Path) -> None:
    records = [
        {"title": "A", "text": "First story text."},
        {"title": "no text"},
        "not an object",
        {"text": "Third."},
    ]
    docs = load(write(tmp_path, "batch.json", json.dumps(records)))
    assert [(d.id, d.text) for d in docs] == [
        ("batch.json#0", "First story text."),
        ("batch.json#3", "Third."),
    ]


def test_record_hash_changes_only_with_that_record(tmp_path: Path) -> None:
    first = {"title": "A", "text": "Alpha story."}
    second = {"title": "B", "text": "Beta story."}
    before = load(write(tmp_path, "a.jsonl", "\n".join(json.dumps(r) for r in (first, second))))
    second["text"] = "Beta story, corrected."
    after = load(write(tmp_path, "a.jsonl", "\n".join(json.dumps(r) for r in (first, second))))
    assert before[0].source_hash == after[0].source_hash
    assert before[1].source_hash != after[1].source_hash


def test_sidecar_supplies_and_overrides_metadata() -> None:
    (doc,) = load(FIXTURE_DIR / "orchard.txt")
    assert doc.meta == {
        "title": "Volunteers plant public orchard on old rail line",
        "outlet": "Brennick Courier",
        "published": "2025-04-12",
        "url": "https://brennick-courier.example/orchard",
    }
    assert is_sidecar(FIXTURE_DIR / "orchard.txt.meta.json")
    assert not is_sidecar(FIXTURE_DIR / "orchard.txt")


def test_sidecar_wins_over_front_matter_and_yaml_sidecars_work(tmp_path: Path) -> None:
    path = write(
        tmp_path, "story.md", "---\ntitle: From front matter\noutlet: Front Outlet\n---\nBody text.\n"
    )
    write(tmp_path, "story.md.meta.yaml", "title: From sidecar\npublished: 2025-01-02\n")
    (doc,) = load(path)
    assert doc.meta == {"title": "From sidecar", "outlet": "Front Outlet", "published": "2025-01-02"}


def test_unreadable_sidecar_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", "Body text of the story.\n")
    write(tmp_path, "story.txt.meta.json", b"\xff\xfe{not json")
    (doc,) = load(path)
    assert doc.meta == {}
    assert doc.text == "Body text of the story.\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café owners in Zürich said the façade was repaired. Señor Núñez agreed.\n", "latin-1"),
        ("Crème brûlée was served at the Hôtel de Ville on Friday, the mayor’s aide said.\n", "cp1252"),
        ("Die Bürger von München wählten am Sonntag einen neuen Bürgermeister.\n", "latin-1"),
        ("Москва заявила, что переговоры продолжатся в пятницу, сообщили официальные лица.\n", "cp1251"),
        ("\ufeffA file that starts with a byte-order mark.\n", "utf-8"),
    ],
)
def test_non_utf8_text_is_decoded_sensibly(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text.lstrip("\ufeff")


def test_latin1_article_loads_and_prepares(tmp_path: Path) -> None:
    text = "Le café de la gare a rouvert lundi, a déclaré la mairie.\nLes habitants étaient ravis.\n"
    (doc,) = load(write(tmp_path, "cafe.txt", text.encode("latin-1")))
    assert doc.text == text
    assert prepare(doc).text == text.strip()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4,
            "binary",
        ),
        ("blank.txt", b"   \n\n\t  \n", "no article text"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF could not be parsed"),
        ("not-a-pdf.pdf", b"plain text pretending to be a PDF", "PDF could not be parsed"),
        ("bad.json", b'{"title": "x", "text": ', "invalid JSON"),
        ("bad.jsonl", b'{"text": "ok"}\n{broken\n', "invalid JSON"),
        ("notext.json", b'{"title": "only a title"}', "no article text"),
        ("archive.zip", b"PK\x03\x04", "archives are not supported"),
        ("README", b"hello", "unsupported file type (none)"),
        (
            "nav.html",
            b'<html><body><nav><a href="/">Home</a><a href="/a">About</a></nav></body></html>',
            "HTML",
        ),
        (
            "loading.html",
            b"<html><body><div>Loading...</div><script>var x = 1;</script></body></html>",
            "HTML",
        ),
        ("empty.html", b"<html><head><title>Nothing</title></head><body></body></html>", "HTML"),
    ],
)
def test_bad_files_raise_skipfile_with_a_one_line_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(SkipFile) as err:
        load(write(tmp_path, name, data))
    message = str(err.value)
    assert reason in message
    assert "\n" not in message


def test_pdf_without_text_is_skipped(tmp_path: Path, pdf_bytes: Callable[[Sequence[str]], bytes]) -> None:
    with pytest.raises(SkipFile, match="no article text"):
        load(write(tmp_path, "blank.pdf", pdf_bytes([])))


def test_truncated_pdf_is_skipped(tmp_path: Path, pdf_bytes: Callable[[Sequence[str]], bytes]) -> None:
    data = pdf_bytes(["A story that will be cut short."])
    with pytest.raises(SkipFile, match="PDF could not be parsed"):
        load(write(tmp_path, "cut.pdf", data[: len(data) // 3]))


def test_short_html_with_one_real_sentence_is_kept(tmp_path: Path) -> None:
    html = b"<html><body><div>Short news: the mayor resigned on Monday after a vote.</div></body></html>"
    (doc,) = load(write(tmp_path, "brief.html", html))
    assert "the mayor resigned on Monday" in doc.text


def test_every_supported_suffix_has_a_fixture() -> None:
    suffixes = {p.suffix for p in FIXTURE_DIR.iterdir() if not is_sidecar(p)} | {".pdf", ".htm"}
    assert set(SUPPORTED) <= suffixes
