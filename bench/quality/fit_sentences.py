"""Fits how the extractive engine scores and chooses answer sentences (`assistant/extractive.py`),
on the development set's `tune` split only.

    python -m bench.quality.fit_sentences            # writes assistant/sentences.json
    python -m bench.quality.fit_sentences --dry-run  # prints the fit, writes nothing

Every answerable tune question is asked up to the point where the engine scores the sentences of its
retrieved articles, read as the engine reads them (`extractive.whole_articles`); a sentence is
labelled a key-fact sentence when it states one of the question's key facts (`must_mention`). A
logistic regression over the sentences' `FEATURES` gives the score. How sentences are chosen (the
floor below which a sentence is left out, how many claims an answer holds and how many may come from
one article) is chosen on held-out scores (each story's questions scored by a model fitted on the
other stories): among the choices whose answers state every key fact of the most questions (within
one question), the one giving the shortest answers. The meaning floor (a question whose words the
best sentences do not cover is still answered when a sentence is this close to it in meaning) is the
cosine that best tells the questions to refuse from the answerable tune questions (Youden J): the
unanswerable tune questions and the tune split's share of off-topic questions
(`bench.devset.questions.off_topic`, the public sets' trivia and search questions asked of the
development stories), which show what the floor is mostly for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bench.devset.questions import off_topic as questions_off_topic
from bench.devset.questions import shared_data
from bench.metrics import mentions, missing_facts
from bench.quality.fitting import command_line, save, tune_assistant
from bench.report import REPO_ROOT

OUTPUT = REPO_ROOT / "assistant" / "sentences.json"
FOLDS = 5
FLOORS = tuple(round(0.02 * n, 2) for n in range(1, 40))
MOST = (3, 4, 5, 6, 7, 8, 10, 12)  # claims in an answer
PER_ARTICLE = (1, 2, 3)  # claims from one article
MEANING_FLOORS = tuple(round(0.01 * n, 2) for n in range(20, 91))  # cosines, for `meaning_floor`


@dataclass(frozen=True)
class Asked:
    """One tune question's scored sentences with their labels."""

    story: str
    groups: tuple[tuple[str, ...], ...]
    sentences: list[Any]  # assistant.extractive.Sentence
    labels: list[bool]


def _states(text: str, groups: Sequence[Sequence[str]]) -> bool:
    return any(mentions(group, [text]) for group in groups)


def collect(assistant: Any, questions: Sequence[Any]) -> list[Asked]:
    """The scored sentences of every answerable question that reaches the engine."""
    from assistant.extractive import candidates, whole_articles

    out = []
    for q in questions:
        if q.seed.unanswerable or not q.seed.must_mention:
            continue
        standalone, passages, articles = assistant.passages(q.seed.question, q.history)
        if not passages:
            continue
        ranked = candidates(
            standalone,
            whole_articles(passages, assistant.retriever.article_chunks, articles),
            assistant.retriever.idf,
            assistant._similarity(standalone),
            rerank=None,
        )
        labels = [_states(s.text, q.seed.must_mention) for s in ranked]
        out.append(Asked(q.story, q.seed.must_mention, ranked, labels))
    return out


def _fit(asked: Sequence[Asked]) -> Any:
    from sklearn.linear_model import LogisticRegression

    x = [list(s.features) for a in asked for s in a.sentences]
    y = [int(v) for a in asked for v in a.labels]
    return LogisticRegression(C=1.0, max_iter=2000).fit(x, y)


def held_out(asked: Sequence[Asked]) -> list[list[Any]]:
    """Each question's sentences rescored by a model fitted without its story, best first."""
    stories = sorted({a.story for a in asked})
    fold_of = {s: n % FOLDS for n, s in enumerate(stories)}
    out: list[list[Any]] = [[] for _ in asked]
    for fold in range(FOLDS):
        model = _fit([a for a in asked if fold_of[a.story] != fold])
        for n, a in enumerate(asked):
            if fold_of[a.story] != fold or not a.sentences:
                continue
            scores = model.predict_proba([list(s.features) for s in a.sentences])[:, 1]
            rescored = [replace(s, score=float(p)) for s, p in zip(a.sentences, scores, strict=True)]
            out[n] = sorted(rescored, key=lambda s: -s.score)
    return out


def covered(asked: Sequence[Asked], ranked: Sequence[Sequence[Any]], policy: tuple[float, int, int]) -> float:
    """Share of questions whose chosen sentences (floor, per article, most) state every key fact."""
    from assistant.extractive import choose

    hits = 0
    for a, sentences in zip(asked, ranked, strict=True):
        texts = [s.text for group in choose(sentences, *policy) for s in group]
        hits += not missing_facts(a.groups, texts)
    return hits / max(len(asked), 1)


@dataclass(frozen=True)
class Refusal:
    """What decides whether one tune question is refused (`Selection.answerable`)."""

    unanswerable: bool
    refused_anyway: bool  # nothing retrieved, no sentence, or a name no article mentions
    covered: bool  # the best sentences hold enough of the question's words (`MIN_COVERAGE`)
    meaning: float  # the best sentence's cosine to the question


def refusals(assistant: Any, questions: Sequence[Any]) -> list[Refusal]:
    """The refusal inputs of every tune question, answerable or not, as `select` reads them."""
    return [refusal(assistant, q.seed.question, q.history, q.seed.unanswerable) for q in questions]


def off_topic_refusals(assistant: Any, questions: Sequence[str]) -> list[Refusal]:
    """The refusal inputs of questions no article answers."""
    return [refusal(assistant, q, (), unanswerable=True) for q in questions]


def refusal(assistant: Any, question: str, history: Any, unanswerable: bool) -> Refusal:
    """What decides whether one question is refused, as `select` reads it."""
    from assistant.extractive import MIN_COVERAGE, select, whole_articles

    standalone, passages, articles = assistant.passages(question, history)
    whole = whole_articles(passages, assistant.retriever.article_chunks, articles)
    chosen = select(standalone, whole, assistant.retriever.idf, assistant._similarity(standalone))
    anyway = not chosen.groups or bool(assistant._unknown_names(standalone, passages))
    return Refusal(unanswerable, anyway, chosen.best_coverage >= MIN_COVERAGE, chosen.best_meaning)


def meaning_floor(found: Sequence[Refusal]) -> tuple[float, float]:
    """The cosine below which a question its words do not cover is refused, and its Youden J (share
    of the questions to refuse, unanswerable or off-topic, that are refused, minus share of answerable
    ones): the floor with the best J, the middle one where several tie."""
    unanswerable = [r for r in found if r.unanswerable]
    answerable = [r for r in found if not r.unanswerable]

    def j(floor: float) -> float:
        def refused(r: Refusal) -> bool:
            return r.refused_anyway or (not r.covered and r.meaning < floor)

        return sum(map(refused, unanswerable)) / max(len(unanswerable), 1) - sum(
            map(refused, answerable)
        ) / max(len(answerable), 1)

    scores = {floor: j(floor) for floor in MEANING_FLOORS}
    best = max(scores.values())
    tied = [f for f, v in scores.items() if v >= best - 1e-12]
    return tied[len(tied) // 2], best


def main(argv: list[str] | None = None) -> int:
    from assistant.extractive import FEATURES

    args = command_line(__doc__, OUTPUT, argv)
    assistant, questions = tune_assistant()
    asked = collect(assistant, questions)
    model = _fit(asked)
    ranked = held_out(asked)
    shares = {
        (floor, per, most): covered(asked, ranked, (floor, per, most))
        for floor in FLOORS
        for per in PER_ARTICLE
        for most in MOST
    }
    best = max(shares.values())
    near = [p for p, v in shares.items() if v >= best - 1 / max(len(asked), 1)]
    # Of the policies within a question of the best, the shortest answers: fewest claims, then the
    # fewest from one article, then the highest floor.
    floor, per, most = min(near, key=lambda p: (p[2], p[1], -p[0]))
    off_topic = off_topic_refusals(assistant, questions_off_topic(shared_data(REPO_ROOT), "tune"))
    found = refusals(assistant, questions)
    meaning, youden = meaning_floor(found + off_topic)
    fitted = {
        "weights": {n: round(float(w), 6) for n, w in zip(FEATURES, model.coef_[0], strict=True)},
        "bias": round(float(model.intercept_[0]), 6),
        "floor": floor,
        "per_article": per,
        "most": most,
        "fitted_on": f"development set tune split: {sum(len(a.sentences) for a in asked)} sentences of "
        f"{len(asked)} answerable questions, {sum(sum(a.labels) for a in asked)} stating a key fact",
        "tune_held_out_key_facts_stated": round(shares[(floor, per, most)], 3),
        "meaning_floor": meaning,
        "meaning_floor_fitted_on": f"development set tune split: {len(found)} questions, "
        f"{sum(r.unanswerable for r in found)} unanswerable, and {len(off_topic)} off-topic questions; "
        f"Youden J {youden:.3f}",
    }
    save(fitted, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
