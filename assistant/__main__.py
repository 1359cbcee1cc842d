"""Command line: `python -m assistant ask|conflicts|stories|mcp|llm-server`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

from assistant.answer import Answer, Conflict
from assistant.errors import AssistantError
from assistant.stories import StorySummary
from index.errors import IndexingError
from index.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Run the assistant CLI; returns the process exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.func is not _llm_server:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.server_args = extra
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings(args)
    try:
        return int(args.func(args, settings))
    except (AssistantError, IndexingError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description="Ask questions about the articles."
    )
    sub = parser.add_subparsers(required=True)
    ask = sub.add_parser("ask", help="answer a question (or every line of --questions)")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--questions", type=Path, help="JSONL file; answers each line's `question` field")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--llm", choices=["none", "llamacpp", "openai", "ollama"], help="answer backend")
    ask.add_argument("--model", help="model name, or GGUF path for llamacpp")
    ask.add_argument("--base-url", help="server URL for openai or ollama")
    ask.add_argument("--api-key", help="API key for the openai backend")
    ask.add_argument("--outlet", action="append", default=[], help="only these outlets (repeatable)")
    ask.add_argument("--since", default="", help="only articles published on or after this date")
    ask.add_argument("--until", default="", help="only articles published on or before this date")
    ask.add_argument("--story", action="append", default=[], help="only articles of this story (repeatable)")
    ask.set_defaults(func=_ask)
    conflicts = sub.add_parser("conflicts", help="list every disagreement across the corpus, by story")
    conflicts.add_argument("--json", action="store_true", help="print JSON")
    conflicts.set_defaults(func=_conflicts)
    mcp = sub.add_parser("mcp", help="serve the assistant's tools over MCP on stdin/stdout")
    mcp.set_defaults(func=_mcp)
    stories = sub.add_parser("stories", help="list the stories: articles, outlets, dates, conflicts")
    stories.add_argument("--json", action="store_true", help="print JSON")
    stories.set_defaults(func=_stories)
    serve = sub.add_parser(
        "llm-server",
        help="run llama.cpp's OpenAI-compatible server (args go to llama_cpp.server, e.g. --model X.gguf)",
    )
    serve.set_defaults(func=_llm_server)
    for command in (ask, conflicts, stories, mcp):
        command.add_argument("--store", help="store directory (default .assistant/ in the repository)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if getattr(args, "store", None):
        settings.store.path = Path(args.store)
    for option, field in (
        ("llm", "backend"),
        ("model", "model"),
        ("base_url", "base_url"),
        ("api_key", "api_key"),
    ):
        value = getattr(args, option, None)
        if value:
            setattr(settings.llm, field, value)
    return settings


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import Assistant
    from assistant.retrieve import Filters

    if bool(args.question) == bool(args.questions):
        print("error: give a question or --questions FILE (not both)", file=sys.stderr)
        return 2
    assistant = Assistant(settings)
    filters = Filters(tuple(args.outlet), args.since, args.until, tuple(args.story))
    if args.questions:
        for question in _questions(args.questions):
            try:
                print(
                    json.dumps(assistant.ask(question, filters=filters).to_json(), ensure_ascii=False),
                    flush=True,
                )
            except AssistantError as err:
                print(json.dumps({"question": question, "error": str(err)}, ensure_ascii=False), flush=True)
        return 0
    answer = assistant.ask(args.question, filters=filters)
    if args.json:
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        print(_readable(answer))
    return 0


def _questions(path: Path) -> Iterable[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise AssistantError(f"cannot read {path}: {err.strerror}") from err
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise AssistantError(f"{path}:{number}: not JSON ({err.msg})") from err
        if not isinstance(record, dict) or not isinstance(record.get("question"), str):
            raise AssistantError(f"{path}:{number}: no `question` field")
        yield record["question"]


def _readable(answer: Answer) -> str:
    lines = [answer.answer, ""]
    for note in answer.notes:
        lines.append(f"Note: {note}")
    for c in answer.citations:
        where = ", ".join(x for x in (c.outlet, c.published) if x)
        lines.append(f"[{c.id}] {c.source}{f' ({where})' if where else ''} [{c.start}:{c.end}]: “{c.quote}”")
    if answer.abstained and answer.related:
        lines.append("Related reading:")
        lines.extend(f"  - {r.source}: {r.quote[:160]}…" for r in answer.related)
    for conflict in answer.conflicts:
        lines.append("")
        lines.append(_conflict_text(conflict))
    return "\n".join(lines).rstrip()


def _conflict_text(conflict: Conflict) -> str:
    lines = [f"{conflict.kind.upper()}: {conflict.topic}"]
    if conflict.reason:
        lines.append(f"  ({conflict.reason})")
    for side in conflict.sides:
        who = ", ".join(x for x in (side.source, side.outlet, side.published) if x)
        who += f"; describes {side.when}" if side.when else ""
        lines.append(f"  - {side.value or '?'} — {who} [{side.start}:{side.end}]: “{side.quote}”")
    return "\n".join(lines)


def _report(settings: Settings) -> list[StorySummary]:
    from assistant.stories import story_report
    from index.embed import Embedder
    from index.store import Store

    embedder = Embedder.from_settings(settings.embedding)
    store = Store(settings.store, embedder.name)
    return story_report(store.records(), store.article, lambda texts: embedder.embed_documents(list(texts)))


def _conflicts(args: argparse.Namespace, settings: Settings) -> int:
    stories = [s for s in _report(settings) if s.conflicts]
    if args.json:
        rows = [
            {"story": s.id, "story_label": s.label, "conflicts": [c.to_json() for c in s.conflicts]}
            for s in stories
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not stories:
        print("No disagreements found within any story.")
    for story in stories:
        print(f"== {story.label} ({story.id}; {len(story.articles)} articles)\n")
        for conflict in story.conflicts:
            print(_conflict_text(conflict))
            print()
    return 0


def _stories(args: argparse.Namespace, settings: Settings) -> int:
    stories = _report(settings)
    if args.json:
        print(json.dumps([s.to_json() for s in stories], indent=2, ensure_ascii=False))
        return 0
    for story in stories:
        dates = " to ".join(dict.fromkeys(d for d in (story.first_published, story.last_published) if d))
        print(f"{story.id}\t{story.label}")
        print(f"  {len(story.articles)} articles, {len(story.conflicts)} conflicts; {dates or 'undated'}")
        for a in story.articles:
            print(f"  - {a.published or '-'}\t{a.outlet or '-'}\t{a.id}\t{a.title}")
    print(f"{len(stories)} stories", file=sys.stderr)
    return 0


def _mcp(args: argparse.Namespace, settings: Settings) -> int:
    """The MCP server over stdio; logs go to stderr, stdout carries only the protocol."""
    from assistant.core import Assistant
    from assistant.web.mcp_server import create_server

    create_server(Assistant(settings)).run("stdio")
    return 0


def _llm_server(args: argparse.Namespace, settings: Settings) -> int:
    """llama.cpp's own server, with the AMX work-around the in-process backend also applies."""
    import runpy

    from assistant.llm.backends import avoid_amx_kernels, default_gguf_path

    server_args = list(args.server_args)
    if "--model" not in server_args:
        server_args = ["--model", settings.llm.model or default_gguf_path(), *server_args]
    avoid_amx_kernels()
    sys.argv = ["llama_cpp.server", *server_args]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
