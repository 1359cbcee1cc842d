"""Fits when the corpus-wide report takes two claims of one story to be about the same point
(`assistant/conflicts/pairing.py`), on the development set's `tune` split only: one model for
figures, one for the other kinds its groups name (`GROUPS`).

    python -m bench.quality.fit_pairing            # writes assistant/conflicts/pairing.json
    python -m bench.quality.fit_pairing --dry-run  # prints the fit, writes nothing

Every pair a model would decide is read: two claims of one group, of one attribute, from two
articles of one tune story, whose values disagree and which the detector's guards let be
compared. A pair is labelled planted when the two articles are set against each other by a
conflict question and each sentence states a different one of that question's key facts. A logistic
regression (classes weighted alike) over the readings of the pair's group gives the probability.
Each floor keeps the report's noise where the word rule kept it: it is the lowest probability at
which the model aligns no more of the group's unplanted pairs than the word rule
(`alignment.aligned`) does. The second floor, `undated`, is read the same way over the aligned pairs
that nothing dates (no year or month beside either claim, no publication day to place them): the
lowest probability, at or above the first floor, at which no more unplanted pairs contradict than by
the test it replaces there (a length, or a sentence restating the other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.conflicts.pairing import FILE, GROUPS, PairModel
from bench.quality.fitting import command_line, save, tune_assistant


@dataclass(frozen=True)
class Pair:
    """One pair of disagreeing claims the report could compare, read and labelled."""

    features: tuple[float, ...]  # the readings its group's model takes, in `GROUPS` order
    planted: bool
    rule: bool  # aligned by the word rule
    group: str = "figures"
    undated: bool = False  # nothing places the two claims at the same or at different moments
    contradicts: bool = False  # undated, and contradicting by the rule's test (a length, a restatement)


def pairs(assistant: Any, questions: Sequence[Any]) -> list[Pair]:
    """Every comparable disagreeing pair of claims within each story of the assistant's corpus."""
    from assistant.conflicts.alignment import aligned, comparable, restated, statements
    from assistant.conflicts.detect import _relation, _states_both, by_rule
    from assistant.conflicts.pairing import features, group_of, sentence
    from assistant.text.dates import UNKNOWN, event_time

    facts: dict[frozenset[str], list[Any]] = defaultdict(list)  # planted article pair -> key facts
    for q in questions:
        if q.seed.conflict:
            for pair in q.seed.conflict_between:
                facts[frozenset(pair)].append(q.seed.must_mention)
    stories: dict[str, dict[str, Any]] = defaultdict(dict)
    for source in sorted(assistant.store.records()):
        article = assistant.article(source)
        stories[article.story][source] = article
    out = []
    for articles in stories.values():
        whole = {source: [(0, len(a.text))] for source, a in articles.items()}
        found = [f for a in articles.values() for f in statements(a, whole[a.id])]
        _, namesakes = restated(articles.values(), whole)
        times = {source: event_time(a.text, a.published) for source, a in articles.items()}
        by_attribute: dict[str, list[Any]] = defaultdict(list)
        for f in found:
            by_attribute[f.claim.attribute].append(f)
        for group in by_attribute.values():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    name = group_of(a.claim)
                    if a.source == b.source or name is None or not a.claim.disagrees(b.claim):
                        continue
                    if not comparable(a.claim, b.claim) or _states_both(a, b, group):
                        continue
                    texts = [sentence(a, articles), sentence(b, articles)]
                    va, vb = assistant.sentence_vectors(texts)
                    cosine = sum(x * y for x, y in zip(va, vb, strict=True))
                    planted = any(
                        _states_apart(texts, groups)
                        for groups in facts.get(frozenset((a.source, b.source)), [])
                    )
                    read = features(a, b, cosine)
                    readings = tuple(read[n] for n in GROUPS[name][1])
                    relation = _relation(a, b, times)
                    undated = relation == UNKNOWN and frozenset((a.source, b.source)) not in namesakes
                    # The test the undated floor replaces (a length, a restatement), not the
                    # dated default a question's figures take: the report never takes that default.
                    contradicts = undated and by_rule(a, b, articles)
                    out.append(Pair(readings, planted, aligned(a, b, None), name, undated, contradicts))
    return out


def _states_apart(texts: Sequence[str], groups: Sequence[Sequence[str]]) -> bool:
    """Whether the two sentences state different key facts of one question."""
    stated = [{n for n, g in enumerate(groups) if any(alt.lower() in t.lower() for alt in g)} for t in texts]
    return any(x != y for x in stated[0] for y in stated[1])


def fit(data: Sequence[Pair], names: Sequence[str]) -> dict[str, Any]:
    """One group's weights (its readings `names`), intercept and floor (see the module's docstring)."""
    from sklearn.linear_model import LogisticRegression

    x = [list(p.features) for p in data]
    y = [int(p.planted) for p in data]
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)
    probabilities = [float(p) for p in model.predict_proba(x)[:, 1]]
    floor = noise_floor(probabilities, data)
    # Of the aligned pairs nothing dates, as many unplanted contradict as by the rule's test.
    undated = [
        (q, replace(p, rule=p.contradicts))
        for q, p in zip(probabilities, data, strict=True)
        if p.undated and q >= floor
    ]
    return {
        "weights": {name: round(float(w), 6) for name, w in zip(names, model.coef_[0], strict=True)},
        "bias": round(float(model.intercept_[0]), 6),
        "floor": round(floor, 6),
        "undated": round(max(floor, noise_floor([q for q, _ in undated], [p for _, p in undated])), 6),
    }


def noise_floor(probabilities: Sequence[float], data: Sequence[Pair]) -> float:
    """The lowest probability at which no more unplanted pairs are aligned than the word rule aligns."""
    budget = sum(p.rule and not p.planted for p in data)
    unplanted = sorted((q for q, p in zip(probabilities, data, strict=True) if not p.planted), reverse=True)
    if len(unplanted) <= budget:
        return min(probabilities, default=0.0)
    # Aligning at `floor` takes every unplanted pair at or above it: stop just above the first one
    # past the budget.
    return float(unplanted[budget]) + 1e-6


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FILE, argv)
    assistant, questions = tune_assistant()
    data = pairs(assistant, questions)
    fitted: dict[str, Any] = {}
    for name, (_, names) in GROUPS.items():
        mine = [p for p in data if p.group == name]
        fitted[name] = fit(mine, names)
        model = PairModel(**{k: fitted[name][k] for k in ("weights", "bias", "floor", "undated")})
        probabilities = [model.probability(dict(zip(names, p.features, strict=True))) for p in mine]
        chosen = [q >= model.floor for q in probabilities]
        model_planted = sum(c and p.planted for c, p in zip(chosen, mine, strict=True))
        model_others = sum(c and not p.planted for c, p in zip(chosen, mine, strict=True))
        rule_planted = sum(p.rule and p.planted for p in mine)
        rule_others = sum(p.rule and not p.planted for p in mine)
        read = [(q, p) for q, c, p in zip(probabilities, chosen, mine, strict=True) if c and p.undated]
        undated = [p for _, p in read]
        settled = [q >= model.undated for q, _ in read]
        fitted[name]["fitted_on"] = (
            f"development set tune split: {len(mine)} disagreeing pairs, {sum(p.planted for p in mine)} "
            f"planted; aligned at the floor {model_planted} planted, {model_others} others; "
            f"the word rule {rule_planted} planted, {rule_others} others; of the {len(undated)} aligned "
            f"pairs nothing dates, contradicting at the undated floor "
            f"{sum(c and p.planted for c, p in zip(settled, undated, strict=True))} planted, "
            f"{sum(c and not p.planted for c, p in zip(settled, undated, strict=True))} others; by the "
            f"rule's test {sum(p.contradicts and p.planted for p in undated)} planted, "
            f"{sum(p.contradicts and not p.planted for p in undated)} others"
        )
    save(fitted, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
