"""What the fitting scripts share: their command line, the development set's tune split indexed and
asked through a real `Assistant`, and writing the fitted numbers where the product reads them."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import REPO_ROOT


def command_line(
    doc: str | None, output: Path, argv: list[str] | None, only: Sequence[str] = ()
) -> argparse.Namespace:
    """`--dry-run` (print the fit, write nothing), `--output` (where the fit is written) and, where
    `only` names the fitted values, `--only` (fit those, keep the others)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--dry-run", action="store_true", help="print the fit; write nothing")
    parser.add_argument("--output", type=Path, default=output)
    if only:
        parser.add_argument(
            "--only", nargs="+", choices=list(only), default=[], help="fit these; keep the rest"
        )
    return parser.parse_args(argv)


def tune_assistant() -> tuple[Any, list[Any]]:
    """An assistant over the development set's stories (cached store) and the tune questions."""
    from bench.corpus import CACHE_DIR, prepare_process
    from bench.devset.questions import load
    from bench.quality.devset import build
    from index.embed import Embedder
    from index.settings import Settings

    prepare_process()
    questions = [q for q in load() if q.split == "tune"]
    assistant, _ = build(questions, Embedder.from_settings(Settings().embedding), CACHE_DIR)
    return assistant, questions


def save(fitted: dict[str, Any], args: argparse.Namespace) -> None:
    """Print the fit and, unless `--dry-run`, write it as JSON to `--output`."""
    text = json.dumps(fitted, indent=2) + "\n"
    print(text)
    if not args.dry_run:
        args.output.write_text(text, encoding="utf-8")
        shown = args.output.relative_to(REPO_ROOT) if args.output.is_relative_to(REPO_ROOT) else args.output
        print(f"wrote {shown}")
