"""Building the index for real: the packaged model, an embedded Chroma store, incremental updates,
bad files, and builds killed part-way."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import pytest

from index.article import Chunk
from index.build import Builder, BuildReport
from index.chunk import chunk_article
from index.embed import Embedder
from index.load import read_documents
from index.prepare import prepare
from index.settings import IndexSettings
from index.store import Store

pytestmark = pytest.mark.slow

BuilderFor = Callable[..., Builder]
OpenStore = Callable[[Path], Store]
StartIndex = Callable[..., subprocess.Popen[bytes]]
Built = tuple[Path, Path]
Template = tuple[Path, BuildReport]
Row = tuple[str, int, int, int, str]

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_IDS = sorted(p.name for p in (REPO_ROOT / "data" / "articles").glob("*.txt"))
DATED = "002_ede3a99fe171a0a6.txt"


def expected_chunks(path: Path, article_id: str, settings: IndexSettings | None = None) -> list[Chunk]:
    """What a clean build must store for one single-article file."""
    settings = settings or IndexSettings()
    (doc,) = read_documents(path, article_id, path.read_bytes())
    return chunk_article(prepare(doc), settings.chunk_chars, settings.overlap_sentences)


def assert_consistent(store: Store) -> None:
    """Every visible chunk belongs to a listed article, each article shows exactly its own chunks,
    their text is the article's text at their offsets, and no (article, index) pair repeats."""
    records = store.records()
    chunks = store.all_chunks()
    pairs = Counter((c.article_id, c.index) for c in chunks)
    assert all(n == 1 for n in pairs.values()), "duplicate (article_id, index) pairs"
    by_article: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        assert chunk.article_id in records
        by_article.setdefault(chunk.article_id, []).append(chunk)
    for article_id, record in records.items():
        mine = by_article.get(article_id, [])
        assert [c.index for c in mine] == list(range(record.chunks))
        text = store.article(article_id).text
        for chunk in mine:
            assert chunk.text == text[chunk.start : chunk.end]


def raw_chunk_pairs(store: Store) -> Counter[tuple[str, int]]:
    """(article_id, index) of every chunk record in the store, visible or not."""
    metas = store.chunks.get(include=["metadatas"])["metadatas"]
    return Counter((m["article_id"], m["index"]) for m in metas)


# --- the five sample articles ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Template:
    """The sample folder built once into a store that tests copy, so each starts from a built index."""
    from index.build import Builder
    from index.settings import StoreSettings
    from index.store import Store

    root = tmp_path_factory.mktemp("template")
    folder = Path(shutil.copytree(REPO_ROOT / "data" / "articles", root / "samples"))
    store = Store(StoreSettings(path=root / "store"), embedder.name)
    report = Builder(store, embedder, IndexSettings()).build([folder])
    store.client.close()
    return root, report


@pytest.fixture
def built(built_template: Template, tmp_path: Path) -> Built:
    """A private copy of the built samples: (article folder, store folder)."""
    root, _ = built_template
    shutil.copytree(root, tmp_path / "built")
    return tmp_path / "built" / "samples", tmp_path / "built" / "store"


def test_first_build_lists_the_five_samples(
    built_template: Template, built: Built, open_store: OpenStore
) -> None:
    _, report = built_template
    folder, store_path = built
    assert sorted(report.added) == SAMPLE_IDS
    assert report.updated == report.unchanged == report.removed == report.skipped == []
    store = open_store(store_path)
    records = store.records()
    assert sorted(records) == SAMPLE_IDS
    assert records[DATED].published == "2024-10-09"
    assert records[DATED].title == "Biden, Netanyahu hold rare call as Israeli strike on Iran looms"
    expected = {name: expected_chunks(folder / name, name) for name in SAMPLE_IDS}
    assert report.chunks == report.embedded == sum(len(c) for c in expected.values())
    assert store.chunk_count() == report.chunks
    stored = store.all_chunks()
    for name in SAMPLE_IDS:
        mine = [c for c in stored if c.article_id == name]
        assert [(c.start, c.end, c.text) for c in mine] == [(c.start, c.end, c.text) for c in expected[name]]
        assert records[name].chunks == len(expected[name])
    assert all(c.published == "2024-10-09" for c in stored if c.article_id == DATED)
    assert_consistent(store)


def test_second_build_changes_nothing_and_embeds_nothing(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    builder = builder_for(store_path)
    before = builder.store.chunk_count()
    report = builder.build([folder])
    assert sorted(report.unchanged) == SAMPLE_IDS
    assert report.added == report.updated == report.removed == report.skipped == []
    assert report.embedded == report.chunks == 0
    assert builder.store.chunk_count() == before


def test_changed_file_replaces_its_chunks(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    name = "001_7ca6027d49f55e8b.txt"
    path = folder / name
    text = path.read_text(encoding="utf-8")
    first_line = text.split("\n", 1)[0]
    new_text = text.replace(first_line, "The two leaders spoke for 30 minutes, officials said.", 1)
    path.write_text(
        new_text + "\nA new closing paragraph was added on Thursday, editors said.\n", encoding="utf-8"
    )
    builder = builder_for(store_path)
    report = builder.build([folder])
    assert report.updated == [name]
    assert sorted(report.unchanged) == sorted(set(SAMPLE_IDS) - {name})
    expected = expected_chunks(path, name)
    assert 0 < report.embedded <= report.chunks == len(expected)
    store = builder.store
    mine = [c for c in store.all_chunks() if c.article_id == name]
    assert [(c.start, c.end, c.text) for c in mine] == [(c.start, c.end, c.text) for c in expected]
    assert "The two leaders spoke for 30 minutes" in store.article(name).text
    assert first_line not in store.article(name).text
    # No stale chunk of the old version is left, visible or not.
    raw = raw_chunk_pairs(store)
    assert sum(n for (article_id, _), n in raw.items() if article_id == name) == len(expected)
    assert store.chunk_count() == sum(r.chunks for r in store.records().values())
    assert_consistent(store)


def test_removed_file_loses_its_article_and_chunks(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    gone = "004_0bf4945aa2f43ae1.txt"
    (folder / gone).unlink()
    builder = builder_for(store_path)
    report = builder.build([folder])
    assert report.removed == [gone]
    store = builder.store
    assert gone not in store.records()
    assert not [c for c in store.all_chunks() if c.article_id == gone]
    assert not [pair for pair in raw_chunk_pairs(store) if pair[0] == gone]
    assert store.chunk_count() == sum(r.chunks for r in store.records().values())


def test_add_keeps_articles_from_elsewhere(built: Built, builder_for: BuilderFor, fixture_dir: Path) -> None:
    _, store_path = built
    builder = builder_for(store_path)
    report = builder.build([fixture_dir / "no_meta.txt"], add_only=True)
    assert report.added == ["no_meta.txt"]
    assert report.removed == []
    assert sorted(builder.store.records()) == sorted([*SAMPLE_IDS, "no_meta.txt"])
    # Without --add the store follows the given paths: everything else goes.
    report = builder.build([fixture_dir / "no_meta.txt"])
    assert sorted(report.removed) == SAMPLE_IDS
    assert sorted(builder.store.records()) == ["no_meta.txt"]
    assert_consistent(builder.store)


def test_copy_under_a_new_name_reuses_stored_vectors(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    shutil.copy(folder / DATED, folder / "copy_of_002.txt")
    builder = builder_for(store_path)
    report = builder.build([folder])
    assert report.added == ["copy_of_002.txt"]
    assert report.embedded == 0
    assert report.chunks == len(expected_chunks(folder / DATED, DATED))
    records = builder.store.records()
    assert records["copy_of_002.txt"].published == records[DATED].published == "2024-10-09"


def test_identical_content_under_two_names_is_embedded_once(tmp_path: Path, builder_for: BuilderFor) -> None:
    folder = tmp_path / "twins"
    folder.mkdir()
    source = REPO_ROOT / "data" / "articles" / "004_0bf4945aa2f43ae1.txt"
    shutil.copy(source, folder / "first.txt")
    shutil.copy(source, folder / "second.txt")
    builder = builder_for(tmp_path / "store")
    report = builder.build([folder])
    per_article = len(expected_chunks(source, "first.txt"))
    assert sorted(report.added) == ["first.txt", "second.txt"]
    assert report.chunks == 2 * per_article
    assert report.embedded == per_article
    assert sorted(builder.store.records()) == ["first.txt", "second.txt"]
    assert len(builder.store.all_chunks()) == 2 * per_article


def test_changed_index_settings_rebuild_every_article(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    settings = IndexSettings(chunk_chars=300)
    builder = builder_for(store_path, settings)
    report = builder.build([folder])
    assert sorted(report.updated) == SAMPLE_IDS
    for name in SAMPLE_IDS:
        mine = [c for c in builder.store.all_chunks() if c.article_id == name]
        assert len(mine) == len(expected_chunks(folder / name, name, settings))
    assert builder.store.chunk_count() == len(builder.store.all_chunks())


# --- every format, and bad input ------------------------------------------------------------

FIXTURE_IDS = [
    "dated_headline.txt",
    "harbor_bridge.html",
    "harbor_bridge.md",
    "lorrin_council.txt",
    "no_meta.txt",
    "orchard.txt",
    "single.json",
    "wire.jsonl#0",
    "wire.jsonl#1",
]


def add_bad_files(folder: Path, pdf: bytes) -> dict[str, str]:
    """Write one file of each kind of bad input; returns name -> expected words of the reason."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF at all")
    (folder / "menu.html").write_text(
        '<html><body><nav><a href="/">Home</a><a href="/b">About</a></nav></body></html>'
    )
    (folder / "huge.txt").write_text("A long line of text that repeats.\n" * 400)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not indexed")
    (folder / "only_appeal.txt").write_text("Subscribe to our newsletter\nDonate today\n")
    (folder / "report.pdf").write_bytes(pdf)
    (folder / "latin1.txt").write_bytes(
        "Le café de la gare a rouvert lundi, a déclaré la mairie de Lorrin.\n".encode("latin-1")
    )
    (folder / ".hidden.txt").write_text("Hidden files are not articles.\n")
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "broken.pdf": "PDF could not be parsed",
        "menu.html": "no article text",
        "huge.txt": "limit",
        "photo.jpg": "unsupported file type .jpg",
        "only_appeal.txt": "nothing left",
    }


def test_bad_files_are_skipped_with_a_reason_and_the_rest_indexed(
    fixture_dir: Path, builder_for: BuilderFor, pdf_bytes: Callable[[Sequence[str]], bytes], tmp_path: Path
) -> None:
    pdf = pdf_bytes(
        ["The Tarn Valley dam will be inspected again in June.", "Engineers said the cracks were small."]
    )
    bad = add_bad_files(fixture_dir, pdf)
    builder = builder_for(tmp_path / "store", IndexSettings(max_file_bytes=5_000))
    report = builder.build([fixture_dir])
    skipped = dict(report.skipped)
    assert sorted(skipped) == sorted(bad)
    for name, words in bad.items():
        assert words in skipped[name], (name, skipped[name])
        assert "\n" not in skipped[name]
    good = sorted([*FIXTURE_IDS, "report.pdf", "latin1.txt"])
    assert sorted(report.added) == good
    records = builder.store.records()
    assert sorted(records) == good
    assert "déclaré" in builder.store.article("latin1.txt").text
    assert "cracks were small" in builder.store.article("report.pdf").text
    assert records["wire.jsonl#1"].title == "Tarn Valley orchards report early bloom"
    assert records["orchard.txt"].outlet == "Brennick Courier"
    assert records["lorrin_council.txt"].outlet == "Lorrin Daily"
    assert records["lorrin_council.txt"].published == "2026-03-04"
    assert records["harbor_bridge.md"].url.endswith("harbor-bridge-reopens")
    assert records["no_meta.txt"].title == records["no_meta.txt"].published == ""
    assert_consistent(builder.store)


def test_a_file_that_turns_bad_keeps_its_indexed_version(built: Built, builder_for: BuilderFor) -> None:
    folder, store_path = built
    (folder / DATED).write_bytes(b"\x00\x01\x02 binary now")
    builder = builder_for(store_path)
    before = builder.store.article(DATED).text
    report = builder.build([folder])
    assert [name for name, _ in report.skipped] == [DATED]
    assert report.removed == []
    assert builder.store.article(DATED).text == before
    assert sorted(builder.store.records()) == SAMPLE_IDS


def test_jsonl_record_edits_touch_only_that_record(
    fixture_dir: Path, builder_for: BuilderFor, tmp_path: Path
) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    shutil.copy(fixture_dir / "wire.jsonl", folder / "wire.jsonl")
    builder = builder_for(tmp_path / "store")
    assert sorted(builder.build([folder]).added) == ["wire.jsonl#0", "wire.jsonl#1"]
    lines = (folder / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("two weeks earlier", "three weeks earlier")
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = builder.build([folder])
    assert report.updated == ["wire.jsonl#1"]
    assert report.unchanged == ["wire.jsonl#0"]
    assert "three weeks earlier" in builder.store.article("wire.jsonl#1").text
    # Dropping a record from the file removes its article.
    (folder / "wire.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    report = builder.build([folder])
    assert report.removed == ["wire.jsonl#1"]
    assert sorted(builder.store.records()) == ["wire.jsonl#0"]
    assert_consistent(builder.store)


# --- builds killed part-way -----------------------------------------------------------------

TOWNS = ("Lorrin", "Fenwick", "Brennick", "Marrow Creek", "Port Elling", "Dunmore", "Tarn", "Gull Island")
TOPICS = ("bridge repairs", "library hours", "school buses", "water rates", "park benches", "road salt")


def generated_article(n: int, revision: int = 1) -> str:
    """A distinct article of about three chunks; a later revision changes one paragraph and adds one."""
    town, topic = TOWNS[n % len(TOWNS)], TOPICS[n % len(TOPICS)]
    paragraphs = [
        f"The {town} council voted on measure {n} about {topic} at its meeting on Tuesday night.",
        f"Council member {n} said the plan would cost about {n * 37 + 100} thousand dollars over {n % 5 + 2} years.",
        f"Residents of ward {n} asked for a delay, and {n * 3 + 12} people signed a petition against the plan.",
        f"The mayor said the city had studied {topic} for {n % 7 + 1} months before proposing measure {n}.",
        f"Officials expect the first results of measure {n} by the end of the year, according to the agenda.",
        f"A second vote on measure {n} is scheduled for next month, the clerk of {town} said on Wednesday.",
        f"The {town} budget office estimated that measure {n} would need {n + 4} new staff positions.",
        f"Opponents of measure {n} said they would collect {n * 11 + 50} more signatures before the vote.",
        f"Supporters of measure {n} said that {topic} in {town} had been neglected for {n % 9 + 3} years.",
        f"The council of {town} will publish the full text of measure {n} on its website this week.",
    ]
    if revision > 1:
        paragraphs[2] = f"Residents of ward {n} welcomed revision {revision} of the plan at the meeting."
        paragraphs.append(f"Update {revision}: the {town} clerk confirmed that measure {n} was amended.")
    return "\n\n".join(paragraphs) + "\n"


def write_generated(folder: Path, count: int = 40, revision: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"story_{n:02d}.txt").write_text(generated_article(n, revision), encoding="utf-8")


def write_count(store_path: Path) -> int:
    """Sequence number of Chroma's latest write (it grows with every record added, changed or
    deleted), read without opening Chroma; -1 while the database is busy or not there yet.
    Only used to time the kill."""
    query = (
        "SELECT max(coalesce((SELECT max(seq_id) FROM embeddings_queue), 0),"
        " coalesce((SELECT max(seq_id) FROM max_seq_id), 0))"
    )
    try:
        uri = f"file:{store_path / 'chroma.sqlite3'}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=0.05)) as db:
            return int(db.execute(query).fetchone()[0])
    except sqlite3.Error:
        return -1


def build_and_kill(start_index: StartIndex, folder: Path, store_path: Path) -> int:
    """Start `python -m index build` and SIGKILL it as soon as it has begun writing to the store
    (or after two minutes at most); returns the process's exit status.

    How far the build got depends on how the builder batches its writes; the checks that follow
    hold wherever it stopped."""
    before = max(write_count(store_path), 0)
    process = start_index("build", folder, "--store", store_path)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if write_count(store_path) > before:
            break
        time.sleep(0.01)
    if process.poll() is None:
        process.kill()  # SIGKILL: no cleanup, no atexit, as if the power went
    process.wait(timeout=60)
    return process.returncode


def expected_view(path: Path, article_id: str) -> list[Row]:
    return [(c.article_id, c.index, c.start, c.end, c.text) for c in expected_chunks(path, article_id)]


def chunk_view(store: Store) -> list[Row]:
    return [(c.article_id, c.index, c.start, c.end, c.text) for c in store.all_chunks()]


def clean_build_view(folder: Path, store_path: Path, builder_for: BuilderFor) -> tuple[int, list[Row]]:
    builder = builder_for(store_path)
    builder.build([folder])
    return builder.store.chunk_count(), chunk_view(builder.store)


def test_killed_first_build_leaves_a_consistent_store_and_a_rebuild_completes_it(
    tmp_path: Path,
    builder_for: BuilderFor,
    open_store: OpenStore,
    start_index: StartIndex,
    embedder: Embedder,
) -> None:
    folder = tmp_path / "many"
    write_generated(folder)
    store_path = tmp_path / "store"
    status = build_and_kill(start_index, folder, store_path)
    assert status == -signal.SIGKILL, "the build finished before it could be killed"

    store = open_store(store_path)
    survivors = sorted(store.records())
    assert_consistent(store)
    vector = embedder.embed_query("measure 7 bridge repairs")
    assert all(hit.chunk.article_id in survivors for hit in store.search(vector, 5))

    builder = builder_for(store_path)
    report = builder.build([folder])
    assert sorted(report.unchanged) == survivors
    assert len(report.added) == 40 - len(survivors)
    clean_count, clean_view = clean_build_view(folder, tmp_path / "clean", builder_for)
    assert builder.store.chunk_count() == clean_count
    assert chunk_view(builder.store) == clean_view
    assert all(n == 1 for n in raw_chunk_pairs(builder.store).values())
    assert_consistent(builder.store)


def test_killed_update_keeps_the_previous_version_visible(
    tmp_path: Path, builder_for: BuilderFor, open_store: OpenStore, start_index: StartIndex
) -> None:
    folder = tmp_path / "many"
    write_generated(folder, revision=1)
    store_path = tmp_path / "store"
    builder = builder_for(store_path)
    builder.build([folder])
    old_view = chunk_view(builder.store)
    builder.store.client.close()
    names = sorted(p.name for p in folder.iterdir())
    assert old_view == [row for name in names for row in expected_view(folder / name, name)]

    write_generated(folder, revision=2)
    new_by_article = {name: expected_view(folder / name, name) for name in names}
    old_by_article = {name: [row for row in old_view if row[0] == name] for name in names}
    status = build_and_kill(start_index, folder, store_path)
    assert status == -signal.SIGKILL, "the build finished before it could be killed"

    store = open_store(store_path)
    records = store.records()
    assert sorted(records) == names, "no article may vanish"
    assert_consistent(store)
    seen: dict[str, list[Row]] = {}
    for row in chunk_view(store):
        seen.setdefault(row[0], []).append(row)
    # Each article shows all of one version, the old or the new, never a mix.
    old_kept = 0
    for name in names:
        assert seen[name] in (old_by_article[name], new_by_article[name])
        old_kept += seen[name] == old_by_article[name]

    builder = builder_for(store_path)
    report = builder.build([folder])
    assert len(report.updated) == old_kept
    assert chunk_view(builder.store) == [row for name in names for row in new_by_article[name]]
    assert_consistent(builder.store)
