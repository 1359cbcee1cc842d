"""Uploaded article files: safe names, refusals, duplicates, and copying them into the uploads folder.

Shared by the web page (files Gradio has received) and the REST API (streams). A file is only ever
written into the uploads folder itself, under a cleaned base name, never a path the client chose.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from index.load import ARCHIVE_REASON, ARCHIVES

UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl", ".yaml", ".yml"]
SIDECARS = (".meta.json", ".meta.yaml", ".meta.yml")
MAX_NAME_BYTES = 200  # file systems allow 255: room for a sidecar's `.meta.json`
_BLOCK = 1 << 20


def refusal(name: str) -> str:
    """Why a file of this name cannot be indexed, or "" when it can."""
    lower = name.lower()
    if lower.endswith(ARCHIVES):
        return ARCHIVE_REASON
    if not lower.endswith(tuple(UPLOAD_TYPES)):
        return f"unsupported file type {Path(name).suffix or '(none)'}"
    return ""


def copy_uploads(files: Sequence[str], folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Copy uploads into `folder` under their base names; returns the articles to index and refusals."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, refused = [], []
    for file in files:
        source = Path(str(getattr(file, "name", file)))
        name = safe_name(source.name)
        reason = refusal(name)
        if reason:
            refused.append((name, reason))
            continue
        twin = "" if name.lower().endswith(SIDECARS) else duplicate_of(source, folder, name)
        if twin:
            refused.append((name, f"same content as {twin}, which is already uploaded"))
            continue
        target = folder / name
        shutil.copyfile(source, target)
        if not name.lower().endswith(SIDECARS):
            paths.append(target)
    return paths, refused


def duplicate_of(source: Path, folder: Path, name: str) -> str:
    """The name of an article file in `folder`, other than `name`, with the same bytes as `source`;
    else "". Sidecars and empty files are not compared."""
    size = source.stat().st_size
    candidates = [
        p
        for p in folder.iterdir()
        if p.name != name
        and not p.name.startswith(".")  # files being received
        and not p.name.lower().endswith(SIDECARS)
        and p.is_file()
        and p.stat().st_size == size
    ]
    if not size or not candidates:
        return ""
    data = source.read_bytes()
    return next((p.name for p in sorted(candidates) if p.read_bytes() == data), "")


def safe_name(name: str) -> str:
    """A file's base name, with any directory part and unusual characters removed, and short
    enough for any file system (the type ending is kept)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    sidecar = next((s for s in SIDECARS if base.lower().endswith(s)), "")
    main = base[: len(base) - len(sidecar)]
    if len(main.encode()) > MAX_NAME_BYTES:  # cut alike with or without a sidecar suffix: pairs stay pairs
        ending = Path(main).suffix[:16]
        stem = main[: len(main) - len(ending)].encode()[: MAX_NAME_BYTES - len(ending.encode())]
        main = stem.decode("utf-8", "ignore").rstrip(" .") + ending
    return (main + sidecar) or "upload.txt"


def receive(name: str, stream: IO[bytes], folder: Path, limit: int) -> tuple[Path | None, str]:
    """Copy a stream into `folder` as `name` (whole or not at all): (the file, "") or (None, why not)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.resolve().parent != folder.resolve():
        return None, "not a plain file name"
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        size = 0
        with os.fdopen(handle, "wb") as out:
            while block := stream.read(_BLOCK):
                size += len(block)
                if size > limit:
                    return None, f"larger than the {limit:,}-byte limit"
                out.write(block)
        twin = "" if name.lower().endswith(SIDECARS) else duplicate_of(Path(temp), folder, name)
        if twin:
            return None, f"same content as {twin}, which is already uploaded"
        os.replace(temp, target)
        return target, ""
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
