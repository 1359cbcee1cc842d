"""Concurrency benchmark and load test of the served app: `python app.py` over the bundled articles,
client threads asking the development questions for a fixed time through the REST API (and the chat
page's Gradio queue), after a one-client baseline, with the server's memory sampled every second.

    python -m bench.load.run --clients 10 --seconds 60 --target api    # docs/BENCHMARKS.md, "load-api"
    python -m bench.load.run --clients 20 --seconds 60 --target both   # docs/RELIABILITY.md, "load"
    python -m bench.load.run --quick                                   # 5 clients for 10 s; prints only

The server runs the extractive backend with the rate limit off. Each API client keeps one HTTP
connection open; each page client is a `gradio_client.Client` submitting the chat's `respond` event
through the Gradio queue, each question in a new session (a new visitor, with no history, as the API
questions have none). Every question is asked once before timing, so the assistant's question
caches are warm in both the baseline and the load phase. A request counts as an error when it does
not end in a complete answer: a non-200 status, an exception, or the chat's failure message.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any

from bench.corpus import ARTICLES_DIR, CACHE_DIR, SEED_QUESTIONS, corpus_key
from bench.metrics import percentile
from bench.report import REPO_ROOT
from bench.serving import wait_until_serving

log = logging.getLogger(__name__)

QUICK = (5, 10.0)
# What `WebChat.respond` shows instead of an answer when answering failed (assistant/web/page.py).
CHAT_FAILURES = ("Sorry, I could not answer", "Something went wrong on our side")
SHOWN_ERRORS = 5

Ask = Callable[[str], str]  # asks one question; returns "" on success, else what went wrong


@dataclass(frozen=True)
class Request:
    """One timed request: when it started (monotonic s), how long it took, and its error ("" if none)."""

    started: float
    ms: float
    error: str


@dataclass(frozen=True)
class Summary:
    """Counts, throughput and latency of one target in one phase."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    messages: tuple[str, ...]


def summarize(requests: Sequence[Request], seconds: float) -> Summary:
    """Statistics of the requests of a phase that lasted `seconds`; latencies of successes only."""
    ok = [r.ms for r in requests if not r.error]
    messages = tuple(dict.fromkeys(r.error for r in requests if r.error))[:SHOWN_ERRORS]
    return Summary(
        len(requests),
        sum(1 for r in requests if r.error),
        len(ok) / seconds if seconds > 0 else float("nan"),
        percentile(ok, 0.5),
        percentile(ok, 0.95),
        max(ok, default=float("nan")),
        messages,
    )


def rss_kib(status: str) -> int:
    """The resident set size in KiB from the text of `/proc/PID/status` (its `VmRSS:` line)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ValueError("no VmRSS line: the process has exited or is not a process")


def cpu_seconds(stat: str, ticks_per_second: int) -> float:
    """User plus system CPU seconds from the text of `/proc/PID/stat` (its 14th and 15th fields)."""
    fields = stat.rsplit(")", 1)[1].split()  # the command name in parentheses may hold spaces
    return (int(fields[11]) + int(fields[12])) / ticks_per_second


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x; NaN with fewer than two distinct x."""
    if len(points) < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    spread = sum((x - mx) ** 2 for x, _ in points)
    if spread == 0:
        return float("nan")
    return sum((x - mx) * (y - my) for x, y in points) / spread


def second_half(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points whose x lies in the later half of the x range."""
    if not points:
        return []
    middle = (points[0][0] + points[-1][0]) / 2
    return [p for p in points if p[0] >= middle]


@dataclass(frozen=True)
class Sample:
    """The server process at one moment: monotonic seconds, RSS in MiB, CPU seconds used so far."""

    at: float
    rss_mib: float
    cpu_s: float


class Sampler(threading.Thread):
    """Samples a process's RSS and CPU time once a second into `samples`, until `done` is set."""

    def __init__(self, pid: int, every_s: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every_s = pid, every_s
        self.samples: list[Sample] = []
        self.done = threading.Event()

    def run(self) -> None:
        proc, ticks = Path(f"/proc/{self.pid}"), os.sysconf("SC_CLK_TCK")
        while not self.done.is_set():
            try:
                rss = rss_kib((proc / "status").read_text()) / 1024
                cpu = cpu_seconds((proc / "stat").read_text(), ticks)
            except (OSError, ValueError):
                return
            self.samples.append(Sample(time.monotonic(), rss, cpu))
            self.done.wait(self.every_s)


def api_asker(url: str) -> Ask:
    """Asks through `POST /api/v1/ask` on one kept-alive connection (reopened after a failure)."""
    host_port = url.split("//", 1)[1].rstrip("/")
    conn = http.client.HTTPConnection(host_port, timeout=120)

    def ask(question: str) -> str:
        nonlocal conn
        try:
            body = json.dumps({"question": question})
            conn.request("POST", "/api/v1/ask", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            conn = http.client.HTTPConnection(host_port, timeout=120)
            return f"{type(err).__name__}: {err}"
        if response.status != 200:
            return f"HTTP {response.status}: {data[:200].decode(errors='replace')}"
        return "" if "answer" in json.loads(data) else f"no answer in {data[:200]!r}"

    return ask


def page_asker(url: str) -> Ask:
    """Asks through the chat page's `respond` event on the Gradio queue, as the page does."""
    from gradio_client import Client

    client = Client(url, verbose=False)

    def ask(question: str) -> str:
        client.reset_session()  # a new conversation, like the API's question without history
        try:
            outputs = client.submit(question, [], None, "", "", api_name="/respond").result(timeout=120)
        except Exception as err:  # gradio_client raises many types for one failed job
            return f"{type(err).__name__}: {err}"
        return _chat_error(outputs[1])

    return ask


def _chat_error(chat: Any) -> str:
    """What went wrong, or an empty string when the chat ends with the assistant's answer."""
    if not isinstance(chat, list) or not chat or chat[-1].get("role") != "assistant":
        return f"no answer in the chat: {str(chat)[:200]}"
    text = json.dumps(chat[-1].get("content"), ensure_ascii=False)
    failed = next((marker for marker in CHAT_FAILURES if marker in text), "")
    return f"the chat shows an error: {failed}" if failed else ""


@dataclass(frozen=True)
class Phase:
    """The requests of one timed phase, per target, and when it started and ended (monotonic s)."""

    requests: dict[str, list[Request]]
    start: float
    end: float

    def summary(self, target: str) -> Summary:
        """Statistics of the requests to `target`."""
        return summarize(self.requests.get(target, []), self.end - self.start)


def drive(plan: Sequence[tuple[str, Ask]], questions: Sequence[str], seconds: float) -> Phase:
    """One thread per (target, asker) in `plan`, each asking `questions` cycled from its own offset
    until `seconds` have passed (at least once); requests under way then are finished and counted."""
    results: dict[str, list[Request]] = {target: [] for target, _ in plan}
    lock, gate = threading.Lock(), threading.Barrier(len(plan) + 1)
    deadline = time.monotonic() + 3600.0

    def client(number: int, target: str, ask: Ask) -> None:
        offset = number % len(questions)
        asked = cycle([*questions[offset:], *questions[:offset]])
        mine: list[Request] = []
        gate.wait()
        while not mine or time.monotonic() < deadline:  # every client asks at least once
            started = time.monotonic()
            error = ask(next(asked))
            mine.append(Request(started, 1000 * (time.monotonic() - started), error))
        with lock:
            results[target] += mine

    threads = [threading.Thread(target=client, args=(n, *entry)) for n, entry in enumerate(plan)]
    for thread in threads:
        thread.start()
    start = time.monotonic()
    deadline = start + seconds
    gate.wait()
    for thread in threads:
        thread.join()
    return Phase(results, start, time.monotonic())


@contextmanager
def serving(store: Path, port: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """`python app.py` over `store` (extractive, no rate limit); yields its URL and pid, then stops it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ASSISTANT_LLM__BACKEND": "none",
        "ASSISTANT_SERVER__RATE_LIMIT_PER_MINUTE": "0",
    }
    command = [sys.executable, "app.py", "--store", str(store), "--port", str(port)]
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving("app.py", url + "healthz", process, log_path, 300)
        yield url, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def ensure_store(articles: Path = ARTICLES_DIR, cache: Path = CACHE_DIR) -> Path:
    """The store of `articles`, built under `cache` (keyed by the files' contents) when missing."""
    files = sorted(p for p in articles.iterdir() if p.is_file())
    key = corpus_key([(p.name, p.read_bytes().decode("utf-8", "replace")) for p in files])
    store = cache / f"load-articles-{key}" / "store"
    done = store / ".built"
    if not done.exists():
        log.warning("building the store of %s into %s", articles, store)
        env = os.environ | {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
        build = [sys.executable, "-m", "index", "build", str(articles), "--store", str(store)]
        subprocess.run(build, cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        done.touch()
    return store


def load_questions(path: Path = SEED_QUESTIONS) -> list[str]:
    """The `question` field of every line of a JSONL file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


LABELS = {"api": "REST API", "page": "chat page (Gradio queue)"}
MAKERS: dict[str, Callable[[str], Ask]] = {"api": api_asker, "page": page_asker}


@dataclass(frozen=True)
class Run:
    """Everything one run measured."""

    targets: tuple[str, ...]
    clients: dict[str, int]
    baselines: dict[str, Phase]
    load: Phase
    samples: list[Sample]


def measure(url: str, pid: int, targets: Sequence[str], args: argparse.Namespace) -> Run:
    """Warm up, run the one-client baselines, then the load phase with the clients split over `targets`."""
    questions = load_questions(args.questions)
    sampler = Sampler(pid)
    sampler.start()
    for target in targets:
        failed = [error for error in map(MAKERS[target](url), questions) if error]
        if failed:
            raise RuntimeError(f"warm-up through the {LABELS[target]} failed: {failed[0]}")
    baselines = {t: drive([(t, MAKERS[t](url))], questions, args.baseline_seconds) for t in targets}
    split = [targets[n % len(targets)] for n in range(args.clients)]
    load = drive([(t, MAKERS[t](url)) for t in split], questions, args.seconds)
    sampler.done.set()
    sampler.join()
    clients = {t: split.count(t) for t in targets}
    return Run(tuple(targets), clients, baselines, load, sampler.samples)


def report(run: Run, head: str) -> str:
    """The Markdown section: requests per phase and target, throughput ratios, server memory and CPU,
    and the first error messages."""
    rows = [
        "| phase | target | clients | seconds | requests | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    ratios, errors = [], []
    for target in run.targets:
        one, many = run.baselines[target].summary(target), run.load.summary(target)
        rows.append(_row("baseline", target, 1, run.baselines[target], one))
        rows.append(_row("load", target, run.clients[target], run.load, many))
        ratio = many.per_second / one.per_second if one.per_second else float("nan")
        ratios.append(f"{LABELS[target]} {ratio:.2f}x with {run.clients[target]} clients")
        errors += [f"- {LABELS[target]}: {m}" for m in (*one.messages, *many.messages)]
    lines = [head, "", *rows, "", f"Throughput against one client: {'; '.join(ratios)}.", ""]
    lines += [_server(run), "", "Errors: " + ("none" if not errors else "\n" + "\n".join(errors))]
    return "\n".join(lines)


def _row(phase: str, target: str, clients: int, timed: Phase, s: Summary) -> str:
    return (
        f"| {phase} | {LABELS[target]} | {clients} | {timed.end - timed.start:.0f} | {s.requests} "
        f"| {s.errors} | {s.per_second:.1f} | {s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.max_ms:.0f} |"
    )


def _server(run: Run) -> str:
    """The server's memory (and whether it kept growing) and CPU use during the load phase."""
    window = [s for s in run.samples if run.load.start - 1 <= s.at <= run.load.end + 1]
    if len(window) < 2:
        return "Server: too few samples of its memory (did it exit?)."
    mib = [s.rss_mib for s in window]
    growth = 60 * slope(second_half([(s.at, s.rss_mib) for s in window]))
    busy = (window[-1].cpu_s - window[0].cpu_s) / (window[-1].at - window[0].at)
    text = (
        f"Server RSS (MiB, sampled every second): {run.samples[0].rss_mib:.0f} when ready; in the load "
        f"phase {mib[0]:.0f} at the start, {max(mib):.0f} at most, {mib[-1]:.0f} at the end, a slope of "
        f"{growth:+.1f} MiB/min over its second half. Server CPU in the load phase: {busy:.2f} cores busy "
        "on average (the clients run on the same machine)."
    )
    sessions = len(run.load.requests.get("page", []))
    if sessions:
        per = 1024 * (mib[-1] - mib[0]) / sessions
        text += (
            f" The load phase opened {sessions} page sessions, {per:.0f} KiB of growth per session: Gradio "
            "keeps each session's copy of the page's component values until `state_session_capacity` "
            "newer sessions push it out (1,000 here, set in assistant/web/server.py), so memory grows "
            "with new visitors up to that bound."
        )
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.load.run", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients in the load phase")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument(
        "--baseline-seconds", type=float, default=0.0, help="one-client phase (default seconds/4, at least 5)"
    )
    parser.add_argument(
        "--target", choices=["api", "both"], default="api", help="API only, or API and chat page"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK[0]} clients for {QUICK[1]:.0f} s; prints only"
    )
    parser.add_argument("--port", type=int, default=0, help="port for app.py (default: a free one)")
    parser.add_argument(
        "--questions", type=Path, default=SEED_QUESTIONS, help="JSONL with a `question` field"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its section and write it to the docs; 1 when any request failed."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.quick:
        args.clients, args.seconds = QUICK
    args.baseline_seconds = args.baseline_seconds or max(5.0, args.seconds / 4)
    targets = ["api"] if args.target == "api" else ["api", "page"]
    from bench.report import stamp, update_section

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    head = (
        f"{stamp('python -m bench.load.run ' + ' '.join(argv))} Load average at start {load} on "
        f"{os.cpu_count()} CPUs. Server: `python app.py`, extractive backend, the bundled articles, "
        "rate limit off; the development questions cycled, each asked once before timing. Latency runs "
        "from sending a question to holding its whole answer (the page: until its Gradio job finished); "
        "req/s counts answers per second of the phase; errors are non-200 answers, exceptions or the "
        "chat's failure message."
    )
    port = args.port or _free_port()
    with serving(ensure_store(), port, CACHE_DIR / f"load-{args.target}-server.log") as (url, pid):
        run = measure(url, pid, targets, args)
    section = report(run, head)
    print(section)
    samples = [[round(x.at - run.load.start, 1), round(x.rss_mib, 1), round(x.cpu_s, 2)] for x in run.samples]
    trace = CACHE_DIR / f"load-{args.target}-server.json"
    trace.write_text(json.dumps({"command": argv, "seconds_rss_mib_cpu_s": samples}), encoding="utf-8")
    if not args.quick:
        if args.target == "api":
            update_section("load-api", section)
        else:
            update_section("load", section, path=REPO_ROOT / "docs" / "RELIABILITY.md")
    return 1 if any(run.load.summary(t).errors for t in targets) else 0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
