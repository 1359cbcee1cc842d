"""The writer of generated sections in docs/BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from bench.report import update_section


def test_new_section_is_appended_and_old_text_kept(tmp_path: Path) -> None:
    path = tmp_path / "B.md"
    path.write_text("# Benchmarks\n\nHand-written.\n")
    update_section("eval", "| a | 1 |", path)
    assert (
        path.read_text()
        == "# Benchmarks\n\nHand-written.\n\n<!-- BEGIN eval -->\n| a | 1 |\n<!-- END eval -->\n"
    )


def test_existing_section_is_replaced_in_place(tmp_path: Path) -> None:
    path = tmp_path / "B.md"
    path.write_text("top\n<!-- BEGIN x -->\nold\n<!-- END x -->\nbottom\n")
    update_section("x", "new\n", path)
    update_section("x", "newer", path)
    assert path.read_text() == "top\n<!-- BEGIN x -->\nnewer\n<!-- END x -->\nbottom\n"


def test_sections_with_similar_names_do_not_collide(tmp_path: Path) -> None:
    path = tmp_path / "B.md"
    update_section("bench", "one", path)
    update_section("bench-scale", "two", path)
    update_section("bench", "three", path)
    text = path.read_text()
    assert "three" in text and "two" in text and "one" not in text
