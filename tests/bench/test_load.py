"""The pure parts of the load benchmark: /proc parsing, percentiles and summaries, the memory slope,
the chat failure check, the client driver with fake askers, and the report. No server, no timing."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.load.run import (
    Phase,
    Request,
    Run,
    Sample,
    _chat_error,
    cpu_seconds,
    drive,
    load_questions,
    report,
    rss_kib,
    second_half,
    slope,
    summarize,
)

STATUS = """Name:\tpython
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 2345678 kB
VmSize:\t 2345000 kB
VmHWM:\t  812345 kB
VmRSS:\t  700416 kB
RssAnon:\t  600000 kB
Threads:\t42
"""


def test_rss_is_read_from_the_vmrss_line_not_the_peak() -> None:
    assert rss_kib(STATUS) == 700416


def test_a_status_without_rss_is_an_error() -> None:
    with pytest.raises(ValueError, match="VmRSS"):
        rss_kib("Name:\tzombie\nState:\tZ (zombie)\n")


@pytest.mark.parametrize(
    ("stat", "expected"),
    [
        ("123 (python) S 1 123 123 0 -1 4194304 10 0 0 0 250 50 0 0 20 0 9 0 100 2000 500", 3.0),
        # a command name with spaces and a parenthesis must not shift the fields
        ("77 (my (odd) name) R 1 77 77 0 -1 0 1 0 0 0 100 0 0 0 20 0 1 0 5 10 2", 1.0),
    ],
)
def test_cpu_seconds_add_user_and_system_ticks(stat: str, expected: float) -> None:
    assert cpu_seconds(stat, 100) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(0.0, 5.0), (1.0, 7.0), (2.0, 9.0)], 2.0),
        ([(0.0, 100.0), (10.0, 100.0), (20.0, 100.0)], 0.0),
        ([(0.0, 1.0), (1.0, 0.0), (2.0, 1.0), (3.0, 0.0)], -0.2),
    ],
)
def test_slope_is_the_least_squares_fit(points: list[tuple[float, float]], expected: float) -> None:
    assert slope(points) == pytest.approx(expected)


@pytest.mark.parametrize("points", [[], [(1.0, 2.0)], [(3.0, 1.0), (3.0, 9.0)]])
def test_slope_is_undefined_without_two_distinct_x(points: list[tuple[float, float]]) -> None:
    assert math.isnan(slope(points))


def test_second_half_keeps_the_later_half_of_the_time_range() -> None:
    points = [(float(t), float(t * t)) for t in range(10, 21)]
    assert [x for x, _ in second_half(points)] == [15.0, 16.0, 17.0, 18.0, 19.0, 20.0]
    assert second_half([]) == []


def test_memory_that_levels_off_has_a_flat_second_half() -> None:
    warming = [(float(t), 600 + 10.0 * t) for t in range(10)] + [(float(t), 700.0) for t in range(10, 20)]
    assert slope(warming) > 4
    assert slope(second_half(warming)) == pytest.approx(0.0)


def test_summary_counts_errors_and_times_only_successes() -> None:
    requests = [Request(0.0, float(ms), "") for ms in (10, 20, 30, 40, 50)]
    requests += [Request(0.0, 9999.0, "HTTP 500: boom"), Request(0.0, 1.0, "HTTP 500: boom")]
    requests += [Request(0.0, 5.0, "ConnectionResetError: reset")]
    summary = summarize(requests, seconds=2.0)
    assert (summary.requests, summary.errors) == (8, 3)
    assert summary.per_second == 2.5  # five answers in two seconds
    assert (summary.p50_ms, summary.max_ms) == (30.0, 50.0)
    assert summary.p95_ms == pytest.approx(48.0)
    assert summary.messages == ("HTTP 500: boom", "ConnectionResetError: reset")


def test_summary_of_nothing_has_no_latency() -> None:
    summary = summarize([], seconds=1.0)
    assert (summary.requests, summary.errors, summary.per_second) == (0, 0, 0.0)
    assert math.isnan(summary.p50_ms) and math.isnan(summary.max_ms)


def _answer(text: str) -> list[dict[str, object]]:
    return [
        {"role": "user", "content": [{"type": "text", "text": "How long?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": text}]},
    ]


@pytest.mark.parametrize(
    ("chat", "failed"),
    [
        (_answer("Sources differ: 30 minutes [1] or about 50 minutes [2]."), False),
        (_answer("<p class='msg'>Sorry, I could not answer: the store is down</p>"), True),
        (_answer("Something went wrong on our side (details are in the server log)."), True),
        (_answer("x")[:1], True),  # the question but no answer
        ([], True),
        (None, True),
    ],
)
def test_chat_failures_are_errors(chat: object, failed: bool) -> None:
    assert bool(_chat_error(chat)) is failed


def test_drive_records_every_request_of_every_client_per_target() -> None:
    asked: dict[int, list[str]] = {0: [], 1: [], 2: []}

    def asker(client: int, error: str) -> Callable[[str], str]:
        def ask(question: str) -> str:
            asked[client].append(question)
            return error

        return ask

    plan = [("api", asker(0, "")), ("page", asker(1, "HTTP 503: down")), ("api", asker(2, ""))]
    phase = drive(plan, ["q1", "q2", "q3"], seconds=0.05)
    assert phase.end > phase.start
    assert len(phase.requests["api"]) == len(asked[0]) + len(asked[2])
    assert len(phase.requests["page"]) == len(asked[1])
    assert all(r.error == "" for r in phase.requests["api"])
    assert phase.summary("page").errors == len(asked[1])
    # each client starts at its own question and cycles through all of them
    assert [asked[c][0] for c in range(3)] == ["q1", "q2", "q3"]
    assert asked[1][:4] == ["q2", "q3", "q1", "q2"][: len(asked[1][:4])]


def test_load_questions_reads_the_question_field(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text('{"id": "a", "question": "Who won?"}\n\n{"id": "b", "question": "When?"}\n')
    assert load_questions(path) == ["Who won?", "When?"]


def test_report_shows_ratio_memory_and_errors() -> None:
    base = Phase({"api": [Request(0.0, 100.0, "")] * 10}, 0.0, 10.0)
    load = Phase(
        {"api": [Request(20.0, 300.0, "")] * 28 + [Request(20.0, 1.0, "HTTP 500: boom")]}, 20.0, 30.0
    )
    samples = [Sample(float(t), 600.0 + (t if t < 25 else 25), 0.5 * t) for t in range(0, 32)]
    text = report(Run(("api",), {"api": 4}, {"api": base}, load, samples), "HEAD")
    assert text.startswith("HEAD\n")
    assert "| baseline | REST API | 1 | 10 | 10 | 0 | 1.0 |" in text
    assert "| load | REST API | 4 | 10 | 29 | 1 | 2.8 |" in text
    assert "REST API 2.80x with 4 clients" in text
    assert "600 when ready" in text and "625 at most" in text
    assert "+0.0 MiB/min" in text  # it stopped growing halfway through the load phase
    assert "0.50 cores busy" in text
    assert "- REST API: HTTP 500: boom" in text


def test_report_counts_memory_per_page_session() -> None:
    base = {t: Phase({t: [Request(0.0, 50.0, "")] * 5}, 0.0, 5.0) for t in ("api", "page")}
    load = Phase({"api": [Request(10.0, 80.0, "")] * 40, "page": [Request(10.0, 900.0, "")] * 64}, 10.0, 20.0)
    samples = [Sample(float(t), 700.0 + max(0, t - 10), 0.0) for t in range(0, 21)]
    text = report(Run(("api", "page"), {"api": 5, "page": 5}, base, load, samples), "HEAD")
    assert "| load | chat page (Gradio queue) | 5 | 10 | 64 | 0 | 6.4 |" in text
    assert "opened 64 page sessions, 160 KiB of growth per session" in text
    assert "Errors: none" in text
