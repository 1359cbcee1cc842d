"""Command line: `python -m index build|refresh|list|show`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from index.errors import IndexingError
from index.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Run the index CLI; returns the process exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.store:
        settings.store.path = Path(args.store)
    try:
        return int(args.func(args, settings))
    except IndexingError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: the index is as it was before the last article; build again to finish",
            file=sys.stderr,
        )
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description="Index news articles into Chroma.")
    sub = parser.add_subparsers(required=True)

    build = sub.add_parser("build", help="index files, folders, web pages and feeds (incremental)")
    build.add_argument(
        "paths",
        nargs="+",
        metavar="PATH|URL",
        help="files or folders of articles, http(s) pages, RSS or Atom feeds",
    )
    build.add_argument("--add", action="store_true", help="keep articles not under these paths")
    build.add_argument("--reset", action="store_true", help="empty the store first")
    build.set_defaults(func=_build)

    refresh = sub.add_parser("refresh", help="read the store's feeds again and index their new items")
    refresh.set_defaults(func=_refresh)

    listing = sub.add_parser("list", help="list indexed articles")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=_list)

    show = sub.add_parser("show", help="show one article's cleaned text and metadata")
    show.add_argument("id", help="article id (its path relative to the ingested folder)")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument("--explain", action="store_true", help="also show what cleaning dropped and why")
    show.set_defaults(func=_show)

    for command in (build, refresh, listing, show):
        command.add_argument("--store", help="store directory (default .assistant/ in the repository)")
    return parser


def _open_store(settings: Settings):  # type: ignore[no-untyped-def]
    from index.embed import Embedder
    from index.store import Store

    embedder = Embedder.from_settings(settings.embedding)
    return Store(settings.store, embedder.name), embedder


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from index.build import Builder
    from index.fetch import Fetcher, is_url

    urls = [a for a in args.paths if is_url(a)]
    paths = [Path(a) for a in args.paths if not is_url(a)]
    store, embedder = _open_store(settings)
    if args.reset:
        store.reset()
    fetcher = Fetcher(settings.fetch) if urls else None
    report = Builder(store, embedder, settings.index).build(
        paths, add_only=args.add, urls=urls, fetcher=fetcher
    )
    return _report(report)


def _refresh(args: argparse.Namespace, settings: Settings) -> int:
    from index.build import Builder
    from index.fetch import Fetcher

    store, embedder = _open_store(settings)
    feeds = sorted(store.feeds())
    if not feeds:
        print("no feeds in this store; add one with `python -m index build FEED_URL`", file=sys.stderr)
        return 0
    report = Builder(store, embedder, settings.index).build(
        [], urls=feeds, fetcher=Fetcher(settings.fetch), refresh=True
    )
    return _report(report)


def _report(report) -> int:  # type: ignore[no-untyped-def]
    for article_id, reason in report.skipped:
        print(f"skipped {article_id}: {reason}", file=sys.stderr)
    for url in report.feeds:
        print(f"feed {url}", file=sys.stderr)
    print(report.summary())
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    store, _ = _open_store(settings)
    records = sorted(store.records().values(), key=lambda r: r.id)
    if args.json:
        rows = [
            {
                "id": r.id,
                "title": r.title,
                "outlet": r.outlet,
                "published": r.published,
                "url": r.url,
                "chunks": r.chunks,
                "story": r.story,
                "story_label": r.story_label,
            }
            for r in records
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in records:
        print(
            f"{r.id}\t{r.published or '-'}\t{r.outlet or '-'}\t{r.chunks} chunks\t{r.title or '-'}"
            f"\t{r.story or '-'}\t{r.story_label}"
        )
    print(f"{len(records)} articles", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace, settings: Settings) -> int:
    store, _ = _open_store(settings)
    article = store.article(args.id)
    if args.json:
        payload = {
            "id": article.id,
            **article.metadata(),
            "story": article.story,
            "story_label": article.story_label,
            "text": article.text,
        }
        if args.explain:
            payload["dropped"] = [{"text": d.text, "reason": d.reason} for d in article.dropped]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    shown = {**article.metadata(), "story": article.story, "story_label": article.story_label}
    for name, value in shown.items():
        print(f"{name}: {value}")
    print()
    print(article.text)
    if args.explain:
        print(f"\n--- dropped ({len(article.dropped)} lines) ---")
        for d in article.dropped:
            print(f"[{d.reason}] {d.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
