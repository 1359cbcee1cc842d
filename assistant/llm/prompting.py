"""Prompt templates, one per file in `prompts/`, and the fencing of untrusted passage text.

A template file holds `# system` and `# user` sections (a leading `<!-- ... -->` comment is
documentation and is dropped). Placeholders are `{name}`; literal braces are doubled. The
placeholders a template must use are checked when it is loaded: a missing or unknown one raises.
"""

from __future__ import annotations

import functools
import html
import re
import string
from collections.abc import Sequence
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from assistant.answer import Passage
from assistant.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
EXPECTED: dict[str, frozenset[str]] = {
    "answer": frozenset({"passages", "question"}),
    "rewrite": frozenset({"history", "question"}),
    "confirm_conflict": frozenset({"topic", "sides"}),
}
_SECTION = re.compile(r"^# (system|user)[ \t]*$", re.MULTILINE)
_COMMENT = re.compile(r"\A\s*<!--.*?-->", re.DOTALL)
# Bracketed numbers inside a passage would read as citation markers: "[3]" becomes "(3)".
_BRACKETED_NUMBER = re.compile(r"\[(\s*\d+(?:\s*[,;–-]\s*\d+)*\s*)\]")


@functools.cache
def load_prompt(name: str, prompts_dir: Path = PROMPTS_DIR) -> ChatPromptTemplate:
    """The chat template `prompts/<name>.md`, its placeholders checked against `EXPECTED`."""
    path = prompts_dir / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"prompt {name!r} cannot be read from {path}: {err}") from err
    messages = parse_sections(text, source=str(path))
    expected = EXPECTED.get(name, frozenset())
    found = frozenset().union(*(placeholders(content) for _, content in messages))
    if found != expected:
        missing, unknown = sorted(expected - found), sorted(found - expected)
        raise ConfigError(f"prompt {path}: missing placeholders {missing}, unknown placeholders {unknown}")
    return ChatPromptTemplate.from_messages(messages, template_format="f-string")


def parse_sections(text: str, source: str = "prompt") -> list[tuple[str, str]]:
    """(role, content) pairs from a template's `# system` / `# user` sections."""
    text = _COMMENT.sub("", text, count=1)
    heads = list(_SECTION.finditer(text))
    if not heads or text[: heads[0].start()].strip():
        raise ConfigError(f"{source}: a prompt is made of '# system' and '# user' sections only")
    messages = []
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        content = text[head.end() : nxt.start() if nxt else len(text)].strip()
        messages.append((head.group(1), content))
    return messages


def placeholders(template: str) -> set[str]:
    """The `{name}` fields of an f-string template; a malformed one raises ConfigError."""
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    except ValueError as err:
        raise ConfigError(f"malformed prompt template: {err}") from err
    bad = [f for f in fields if not f.isidentifier()]
    if bad:
        raise ConfigError(f"prompt placeholders must be plain names, not {bad}")
    return fields


def format_passages(passages: Sequence[Passage]) -> str:
    """The numbered passages, each fenced in a `<passage>` element whose text cannot close it."""
    return "\n\n".join(_fence(p) for p in passages)


def _fence(passage: Passage) -> str:
    chunk = passage.chunk
    attributes = {
        "n": str(passage.number),
        "source": chunk.title or chunk.article_id,
        "outlet": chunk.outlet,
        "published": chunk.published,
    }
    rendered = " ".join(f'{key}="{escape_attribute(value)}"' for key, value in attributes.items() if value)
    return f"<passage {rendered}>\n{neutralise(chunk.text)}\n</passage>"


def neutralise(text: str) -> str:
    """Untrusted text made inert inside a fence: no tags, no chat-template tokens, no [n] markers."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BRACKETED_NUMBER.sub(r"(\1)", text)


def escape_attribute(value: str) -> str:
    """A value safe inside a double-quoted attribute, on one line."""
    return html.escape(" ".join(value.split()), quote=True)
