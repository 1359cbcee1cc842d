"""Calibrate the support-score threshold of `assistant.llm.verify` on the development articles.

Supported sentences: every article sentence against its own chunk (verbatim), programmatic
paraphrases of them, and hand-written paraphrases (bench/quality/verify_cases.jsonl). Unsupported: the
same sentences against a chunk of another article (random, and the most overlapping one),
programmatic perturbations (number, name, negation, antonym), hand-written hallucinations, and
RAMDocs misinformation sentences against the correct document of the same entity.

Run: .venv/bin/python -m bench.quality.verify_calibration [--embed] [--show KIND] [--threshold 0.6]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from assistant.llm.support import EMBED_THRESHOLD, THRESHOLD, Embed, assess, names, numbers, passage_units
from index.article import Article, Chunk
from index.chunk import chunk_article
from index.load import read_documents
from index.prepare import prepare
from index.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "data" / "articles"
CASES = ROOT / "bench" / "verify_cases.jsonl"
HELDOUT = ROOT / "bench" / "verify_heldout.jsonl"
ALLSIDES = Path("/work/shared/data/allsides-neus/allsides_headline_roundups_2021-10-19.jsonl.gz")
RAMDOCS = Path("/work/shared/data/ramdocs/RAMDocs_test.jsonl.gz")
POSITIVE = ("verbatim", "paraphrase", "hand-paraphrase", "heldout-supported")
LIMITS = ("antonym", "cross-article-nearest")  # reported, not used to choose the threshold
SYNONYMS = {
    "said": "stated", "says": "states", "called": "described", "agreed": "decided",
    "discussed": "talked about", "urged": "pressed", "killed": "left dead", "spoke": "talked",
    "held": "had", "stressed": "emphasized",
    "planned": "intended", "trying": "attempting", "continue": "keep", "cancelled": "called off",
}  # fmt: skip
ANTONYMS = {
    "agreed": "refused", "joined": "skipped", "welcomed": "condemned", "first": "last", "support": "oppose",
    "postponed": "held", "killed": "spared", "productive": "fruitless", "increasingly": "decreasingly",
    "open": "closed", "allow": "forbid", "confirmed": "denied", "good": "bad", "rising": "falling",
}  # fmt: skip
Case = tuple[str, str, Chunk]  # kind, sentence, the chunk it cites


def load_articles() -> list[Article]:
    """The development articles, cleaned as the index cleans them."""
    out = []
    for path in sorted(ARTICLES.glob("*.txt")):
        out += [prepare(doc) for doc in read_documents(path, path.name, path.read_bytes())]
    return out


def sentences(article: Article, chunks: list[Chunk]) -> Iterator[tuple[str, Chunk]]:
    """Every sentence of five words or more with the first chunk that holds it."""
    for start, end in sentence_spans(article.text):
        text = article.text[start:end]
        if len(text.split()) >= 5:
            yield text, next(c for c in chunks if c.start <= start and end <= c.end)


def positives(rng: random.Random, pairs: list[tuple[str, Chunk]]) -> Iterator[Case]:
    for text, chunk in pairs:
        yield "verbatim", text, chunk
        for variant in (_synonyms(text), _first_clause(text), _attributed(text)):
            if variant and variant != text:
                yield "paraphrase", variant, chunk


def perturbations(
    rng: random.Random, pairs: list[tuple[str, Chunk]], vocabulary: list[str]
) -> Iterator[Case]:
    for text, chunk in pairs:
        for kind, make in (("number", _new_number), ("name", _new_name), ("negation", _negated)):
            changed = make(rng, text, chunk, vocabulary)
            if changed and changed != text:
                yield kind, changed, chunk
        changed = _swap(text, ANTONYMS)
        if changed != text:
            yield "antonym", changed, chunk


def cross_article(rng: random.Random, pairs: list[tuple[str, Chunk]], chunks: list[Chunk]) -> Iterator[Case]:
    for text, chunk in pairs:
        others = [c for c in chunks if c.article_id != chunk.article_id]
        yield "cross-article-random", text, rng.choice(others)
        nearest = max(others, key=lambda c: assess(text, passage_units("", c.text)).score)
        yield "cross-article-nearest", text, nearest


def hand_cases(chunks: list[Chunk]) -> Iterator[Case]:
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        chunk = next(c for c in chunks if c.article_id == case["article"] and case["anchor"] in c.text)
        yield case["kind"], case["sentence"], chunk


def ramdocs(limit: int = 200) -> Iterator[Case]:
    """Misinformation sentences (wrong answer inside) against the nearest correct document."""
    if not RAMDOCS.exists():
        return
    count = 0
    with gzip.open(RAMDOCS, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            correct = [d["text"] for d in row["documents"] if d["type"] == "correct"]
            for doc in (d for d in row["documents"] if d["type"] == "misinfo"):
                spans = [doc["text"][s:e] for s, e in sentence_spans(doc["text"])]
                bad = [s for s in spans if doc["answer"] in s and len(s.split()) >= 5]
                if not bad or not correct or any(doc["answer"] in c for c in correct):
                    continue
                nearest = max(correct, key=lambda c: assess(bad[0], passage_units("", c)).score)
                yield "ramdocs-misinfo", bad[0], Chunk("ramdocs", 0, 0, len(nearest), nearest)
                count += 1
                if count >= limit:
                    return


def heldout() -> Iterator[Case]:
    """Hand-written sentences (written before scoring) about AllSides articles, a held-out domain."""
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as rows:
        roundups = {row["id"]: row for row in map(json.loads, rows)}
    for case in map(json.loads, HELDOUT.read_text(encoding="utf-8").splitlines()):
        news = roundups[case["roundup"]]["news"][case["side"]]
        body = " ".join(news["newBody"])
        chunk = Chunk(str(case["roundup"]), 0, 0, len(body), body, outlet=news["newsSource"])
        yield f"heldout-{case['label']}", case["sentence"], chunk


def _synonyms(text: str) -> str:
    return _swap(text, SYNONYMS)


def _swap(text: str, table: dict[str, str]) -> str:
    return re.sub(r"\b(" + "|".join(table) + r")\b", lambda m: table[m.group(1)], text, count=2)


def _first_clause(text: str) -> str:
    head = re.split(r",\s|;\s| but | while | as ", text)[0].rstrip(" .") + "."
    return head if len(head.split()) >= 5 else ""


def _attributed(text: str) -> str:
    return "The article reports that " + text[0].lower() + text[1:]


def _new_number(rng: random.Random, text: str, chunk: Chunk, vocabulary: list[str]) -> str:
    match = re.search(r"\b\d[\d,]*\b", text)
    if not match:
        return ""
    present = set(numbers(chunk.text))
    value = int(match.group().replace(",", ""))
    for delta in (15, 20, 7, 3, 100):
        if str(value + delta) not in present:
            return text[: match.start()] + str(value + delta) + text[match.end() :]
    return ""


def _new_name(rng: random.Random, text: str, chunk: Chunk, vocabulary: list[str]) -> str:
    found = [m for m in re.finditer(r"(?<=\w )[A-Z][a-z]{3,}", text) if m.group().lower() in names(text)]
    if not found:
        return ""
    target = rng.choice(found)
    present = {w.lower()[:4] for w in re.findall(r"\w{4,}", chunk.text)}
    candidates = [v for v in vocabulary if v.lower()[:4] not in present]
    return text[: target.start()] + rng.choice(candidates) + text[target.end() :] if candidates else ""


def _negated(rng: random.Random, text: str, chunk: Chunk, vocabulary: list[str]) -> str:
    if re.search(r"\bnot\b|n[’']t\b", text):
        return re.sub(r"\s*\bnot\b|n[’']t\b", "", text, count=1)
    aux = re.search(r"\b(is|was|were|are|has|have|had|will|would|could|can|did|does|should)\b", text)
    if aux:
        return text[: aux.end()] + " not" + text[aux.end() :]
    return ""


def build_cases(seed: int = 7) -> list[Case]:
    """Every labelled (kind, sentence, cited chunk) case."""
    rng = random.Random(seed)
    articles = load_articles()
    chunks = [c for a in articles for c in chunk_article(a)]
    pairs = [p for a in articles for p in sentences(a, [c for c in chunks if c.article_id == a.id])]
    vocabulary = sorted({m for a in articles for m in re.findall(r"(?<=\w )[A-Z][a-z]{3,}", a.text)})
    cases = list(positives(rng, pairs)) + list(perturbations(rng, pairs, vocabulary))
    cases += list(cross_article(rng, pairs, chunks)) + list(hand_cases(chunks)) + list(ramdocs())
    return cases


def report(scored: list[tuple[str, str, float]], chosen: float) -> str:
    """A markdown table: acceptance per kind at several thresholds, pooled precision and recall."""
    thresholds = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _, score in scored:
        by_kind[kind].append(score)
    lines = ["| kind | n | " + " | ".join(f"accepted @{t}" for t in thresholds) + " |"]
    lines.append("|---|---|" + "---|" * len(thresholds))
    for kind, scores in sorted(by_kind.items(), key=lambda kv: (kv[0] not in POSITIVE, kv[0])):
        rates = [sum(s >= t for s in scores) / len(scores) for t in thresholds]
        lines.append(f"| {kind} | {len(scores)} | " + " | ".join(f"{r:.2f}" for r in rates) + " |")
    lines.append("")
    for t in sorted({*thresholds, chosen}):
        p, r, f = _pooled(by_kind, t)
        lines.append(f"threshold {t:.2f}: precision {p:.3f} recall {r:.3f} F0.5 {f:.3f} (limits excluded)")
    return "\n".join(lines)


def _pooled(by_kind: dict[str, list[float]], t: float) -> tuple[float, float, float]:
    tp = sum(s >= t for k in POSITIVE for s in by_kind.get(k, []))
    pos = sum(len(by_kind.get(k, [])) for k in POSITIVE)
    fp = sum(s >= t for k, v in by_kind.items() if k not in POSITIVE and k not in LIMITS for s in v)
    precision, recall = tp / max(tp + fp, 1), tp / max(pos, 1)
    f05 = 1.25 * precision * recall / max(0.25 * precision + recall, 1e-9)
    return precision, recall, f05


def attach_report() -> str:
    """The hand cases through `verify()` with no citation and every chunk of every article offered."""
    from assistant.answer import Passage
    from assistant.llm.verify import verify

    chunks = [c for a in load_articles() for c in chunk_article(a)]
    passages = [Passage(i + 1, c) for i, c in enumerate(chunks)]
    kept: dict[str, list[bool]] = defaultdict(list)
    for kind, text, _ in hand_cases(chunks):
        kept[kind].append(not verify(text, passages).empty)
    rates = ", ".join(f"{kind} {sum(v)}/{len(v)}" for kind, v in sorted(kept.items()))
    return f"verify() without citations against all {len(passages)} chunks, kept: {rates}"


def _embedder() -> Embed:
    from index.embed import Embedder

    model = Embedder()
    cache: dict[str, list[float]] = {}

    def embed(texts: list[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in cache]
        cache.update(zip(missing, model.embed_documents(missing), strict=True))
        return [cache[t] for t in texts]

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="blend in the packaged sentence embeddings")
    parser.add_argument("--show", default="", help="print the cases of this kind that clear the threshold")
    parser.add_argument("--threshold", type=float, default=0.0, help="default: the one verify uses")
    parser.add_argument("--heldout", action="store_true", help="score the held-out AllSides cases only")
    args = parser.parse_args()
    embed: Embed | None = _embedder() if args.embed else None
    args.threshold = args.threshold or (EMBED_THRESHOLD if embed else THRESHOLD)

    def score(text: str, chunk: Chunk) -> float:
        return assess(text, passage_units(chunk.outlet, chunk.text), embed).score

    cases = list(heldout()) if args.heldout else build_cases()
    scored = [(kind, text, score(text, chunk)) for kind, text, chunk in cases]
    print(report(scored, args.threshold))
    if not args.heldout and not embed:
        print(attach_report())
    for kind, text, value in scored:
        if args.show and kind == args.show and (value >= args.threshold) == (kind not in POSITIVE):
            print(f"{value:.2f}  {text}")


if __name__ == "__main__":
    main()
