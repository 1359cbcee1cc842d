"""Writing measured results into `docs/BENCHMARKS.md`.

Each harness owns named sections of the file, delimited by HTML comments:

    <!-- BEGIN eval -->
    ...generated...
    <!-- END eval -->

`update_section` replaces the text between the markers (or appends the section when it is new), so
the hand-written explanations around the sections stay as they are and every number inside them is
exactly what the command printed.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO_ROOT / "docs" / "BENCHMARKS.md"


def commit() -> str:
    """The short commit hash of the working tree, with `+dirty` when it has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def stamp(command: str) -> str:
    """The line that heads a generated section: the command, the date and the commit."""
    return f"`{command}` on {date.today().isoformat()}, commit `{commit()}`."


def update_section(name: str, body: str, path: Path = BENCHMARKS) -> None:
    """Replace section `name` of the Markdown file at `path` with `body`, appending it when absent."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
