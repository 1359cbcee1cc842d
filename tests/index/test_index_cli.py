"""The `python -m index` command line, run as a user would: build, list, show, and its errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "data" / "articles"
SAMPLE_IDS = sorted(p.name for p in SAMPLE_DIR.glob("*.txt"))
DATED = "002_ede3a99fe171a0a6.txt"
APPEAL = "003_dd4507c4535ae5e4.txt"

Run = Callable[..., subprocess.CompletedProcess[str]]
Built = tuple[Path, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory, run_index: Run) -> Built:
    """The five samples built once by the CLI: (store folder, the finished build process)."""
    store = tmp_path_factory.mktemp("cli") / "store"
    done = run_index("build", SAMPLE_DIR, "--store", store)
    assert done.returncode == 0, done.stderr
    return store, done


def test_build_prints_a_summary(built_store: Built) -> None:
    _, done = built_store
    assert (
        done.stdout.strip()
        .splitlines()[-1]
        .startswith("5 added, 0 updated, 0 unchanged, 0 removed, 0 skipped")
    )
    assert "skipped" not in done.stderr.replace("0 skipped", "")


def test_list_json(built_store: Built, run_index: Run) -> None:
    store, _ = built_store
    done = run_index("list", "--json", "--store", store)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["id"] for row in rows] == SAMPLE_IDS
    for row in rows:
        assert set(row) == {"id", "title", "outlet", "published", "url", "chunks", "story", "story_label"}
        assert isinstance(row["chunks"], int) and row["chunks"] > 0
        assert row["story"].startswith("story-") and row["story_label"]
    dated = next(row for row in rows if row["id"] == DATED)
    assert dated["published"] == "2024-10-09"
    assert dated["title"] == "Biden, Netanyahu hold rare call as Israeli strike on Iran looms"
    others = [row for row in rows if row["id"] != DATED]
    assert all(row["published"] == row["outlet"] == row["url"] == "" for row in others)


def test_list_text(built_store: Built, run_index: Run) -> None:
    store, _ = built_store
    done = run_index("list", "--store", store)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == SAMPLE_IDS
    assert "5 articles" in done.stderr


def test_show_json(built_store: Built, run_index: Run) -> None:
    store, _ = built_store
    done = run_index("show", DATED, "--json", "--store", store)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["id"] == DATED
    assert shown["published"] == "2024-10-09"
    assert shown["title"] == "Biden, Netanyahu hold rare call as Israeli strike on Iran looms"
    assert "dropped" not in shown
    original = (SAMPLE_DIR / DATED).read_text(encoding="utf-8")
    for line in shown["text"].split("\n"):
        assert line in original
    assert "More News" not in shown["text"]


def test_show_explain_lists_dropped_lines_with_reasons(built_store: Built, run_index: Run) -> None:
    store, _ = built_store
    done = run_index("show", APPEAL, "--explain", "--store", store)
    assert done.returncode == 0, done.stderr
    text, _, explained = done.stdout.partition("--- dropped (")
    assert "Give the gift of hope" not in text
    assert "Netanyahu has vowed that Iran will" in text
    assert "[appeal or promotion] Give the gift of hope" in explained
    assert "[appeal or promotion] Support The Media Line. Save democracy." in explained
    assert "] - Our program trained more than 100 journalists" in explained

    done = run_index("show", APPEAL, "--explain", "--json", "--store", store)
    dropped = json.loads(done.stdout)["dropped"]
    assert {"text": "Join us.", "reason": "appeal or promotion"} in dropped
    assert all(d["reason"] for d in dropped)


def test_missing_path_is_a_one_line_error_with_exit_code_2(tmp_path: Path, run_index: Run) -> None:
    missing = tmp_path / "no-such-folder"
    done = run_index("build", missing, "--store", tmp_path / "store")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error:") and str(missing) in lines[0]
    assert done.stdout == ""


def test_unknown_article_is_a_one_line_error(built_store: Built, run_index: Run) -> None:
    store, _ = built_store
    done = run_index("show", "no-such-article.txt", "--store", store)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: no article with id 'no-such-article.txt'"]


def test_build_add_keeps_others_and_reports_skipped_files(
    built_store: Built, tmp_path: Path, run_index: Run
) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store[0], store)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "ferry.txt").write_text(
        "Valley Wire — June 3, 2025\n"
        "The Gull Island ferry will add a night crossing from July, the transit office said.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    done = run_index("build", folder, "--add", "--store", store)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        .splitlines()[-1]
        .startswith("1 added, 0 updated, 0 unchanged, 0 removed, 2 skipped")
    )
    assert "skipped empty.txt: empty file" in done.stderr
    assert "skipped notes.docx: unsupported file type .docx" in done.stderr

    rows = json.loads(run_index("list", "--json", "--store", store).stdout)
    assert [row["id"] for row in rows] == sorted([*SAMPLE_IDS, "ferry.txt"])
    ferry = next(row for row in rows if row["id"] == "ferry.txt")
    assert (ferry["outlet"], ferry["published"]) == ("Valley Wire", "2025-06-03")
