"""Where sources disagree: align claims about the same point across articles, compare them, and say
whether the disagreement is a contradiction or figures from different times.

Offline and deterministic. Two claims are compared only when they share an attribute (the length
of something, a count of missiles, whether an attack caused casualties) and name the same thing
(their subjects share names or event words, or the question they both answer). Sentences of two
articles that match word for word but for one name, figure or date ("produced by Dan Whitford" /
"produced by Paul McCartney") disagree on that value, whatever its kind (restatements.py). A
disagreement is a `contradiction` when both reports describe the same moment, and `different-time`
when their publication dates, lead weekdays ("on Friday" versus "on Wednesday") or the years and
months their sentences name show that the figures belong to different times or events; for a
question, two dated reports of one news cycle whose figures nothing places apart contradict by
default. Articles whose matching sentences differ in several values, one a name, describe namesakes
(two towns called Wadi) and never contradict each other. Sources that give different answers to the
question itself ("written by Stevie Wonder" / "Chaka Khan wrote the song") are found by disputes.py.

Claims are compared only between articles of one story (the event they report, assigned when the
index is built): one story's fundraising total is never set against another's repayment.
"""

from __future__ import annotations

import calendar
import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from assistant.answer import CONTRADICTION, DIFFERENT_TIME, Conflict, ConflictSide, Passage
from assistant.conflicts import floors
from assistant.conflicts.alignment import Found, aligned, restated, restates, sentence_keys, statements
from assistant.conflicts.asked import DATE
from assistant.conflicts.claims import LENGTH
from assistant.conflicts.disputes import answer_side, disputes
from assistant.conflicts.focus import Focus, focus
from assistant.conflicts.pairing import Aligner, Embed
from assistant.conflicts.polarity import stances
from assistant.conflicts.subjects import content_keys, words
from assistant.conflicts.topics import topic
from assistant.text.dates import DIFFERENT, SAME, UNKNOWN, EventTime, event_time, moment, relation
from index.article import Article

log = logging.getLogger(__name__)


def detect_conflicts(
    question: str, passages: Sequence[Passage], articles: Mapping[str, Article]
) -> list[Conflict]:
    """Disagreements between the retrieved articles of each story on what the question asks."""
    stories: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        if passage.source in articles:
            stories[articles[passage.source].story].append(passage)
    found = [c for group in stories.values() for c in _detect_in_story(question, group, articles)]
    return _distinct(sorted(found, key=lambda c: c.kind != CONTRADICTION))


def _detect_in_story(
    question: str, passages: Sequence[Passage], articles: Mapping[str, Article]
) -> list[Conflict]:
    """Disagreements between retrieved articles that all report one story."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for passage in passages:
        chunk = passage.chunk
        if chunk.article_id in articles:
            spans[chunk.article_id].append((chunk.start, chunk.end))
    keys = sentence_keys(articles[source] for source in spans)
    wanted = focus(question, keys)
    least = floors.current().claims
    found = [
        replace(f, claim=wanted.as_asked(f.claim))
        for source, ranges in spans.items()
        for f in statements(articles[source], ranges, wanted)
        if f.relevance >= least and wanted.admits(f.claim)
    ]
    values, namesakes = restated([articles[source] for source in spans], spans, wanted)
    found += [f for f in values if f.relevance >= least and wanted.admits(f.claim)]
    conflicts = _conflicts(found, articles, wanted, namesakes)
    answered = _answered(question, spans, articles, keys) + _opposed(question, wanted, spans, articles)
    conflicts = _distinct(sorted(conflicts + answered, key=lambda c: c.kind != CONTRADICTION))
    log.debug("%d claims answer %r; %d conflicts", len(found), question, len(conflicts))
    return conflicts


def corpus_conflicts(articles: Mapping[str, Article], embed: Embed | None = None) -> list[Conflict]:
    """Every disagreement within each story of the articles, without a question, sorted by topic;
    `embed` (texts to unit vectors) lets claims be aligned by the meaning of their sentences
    (pairing.py), the word rule aligns them without it."""
    found = [c for conflicts in conflicts_by_story(articles, embed).values() for c in conflicts]
    return sorted(found, key=lambda c: (c.topic, c.kind != CONTRADICTION))


def conflicts_by_story(
    articles: Mapping[str, Article], embed: Embed | None = None
) -> dict[str, list[Conflict]]:
    """Every disagreement within each story, by story id ("" for articles not placed in one)."""
    stories: dict[str, dict[str, Article]] = defaultdict(dict)
    for source, article in sorted(articles.items()):
        stories[article.story][source] = article
    return {story: _story_conflicts(members, embed) for story, members in sorted(stories.items())}


def _story_conflicts(articles: Mapping[str, Article], embed: Embed | None = None) -> list[Conflict]:
    """Every disagreement among articles that report one story, sorted by topic."""
    everything = {source: [(0, len(article.text))] for source, article in articles.items()}
    found = [f for article in articles.values() for f in statements(article, everything[article.id])]
    values, namesakes = restated(articles.values(), everything)
    same = Aligner(found, articles, embed)
    conflicts = _conflicts(found + values, articles, None, namesakes, same, same.undated)
    return sorted(conflicts, key=lambda c: (c.topic, c.kind != CONTRADICTION))


def _conflicts(
    found: list[Found],
    articles: Mapping[str, Article],
    wanted: Focus | None,
    namesakes: Namesakes,
    same: Callable[[Found, Found], bool] | None = None,
    undated: Undated | None = None,
) -> list[Conflict]:
    """Conflicts among the claims; two are compared when `same` aligns them (by default the word
    rule, alignment.aligned, reading the question when there is one). `undated` decides whether two
    aligned claims that nothing dates contradict (None from it, or without it: `_contradicts`)."""
    same = same or (lambda a, b: aligned(a, b, wanted))
    times = {s: event_time(a.text, a.published) for s, a in articles.items()}
    by_attribute: dict[str, list[Found]] = defaultdict(list)
    for f in found:
        by_attribute[f.claim.attribute].append(f)
    out: list[tuple[float, Conflict]] = []
    for group in by_attribute.values():
        edges = [
            (a, b, a.claim.disagrees(b.claim) and not _states_both(a, b, group, whole=wanted is not None))
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if a.source != b.source and same(a, b)
        ]
        for component in _components(edges):
            out.extend(_classified(component, articles, times, namesakes, undated))
    out.sort(key=lambda pair: (pair[1].kind != CONTRADICTION, -pair[0]))
    return _distinct([conflict for _, conflict in out])


def _answered(
    question: str,
    spans: Mapping[str, list[tuple[int, int]]],
    articles: Mapping[str, Article],
    keys: Sequence[frozenset[str]],
) -> list[Conflict]:
    """Articles giving different answers to the question itself (disputes.py). A year is its own
    time; names and counts stated at different moments (publication dates, lead weekdays) may both
    have been true, each in its time."""
    out = []
    for dispute in disputes(question, spans, articles, keys):
        sides = [c.source for c in dispute.sides]
        times = {s: event_time(articles[s].text, articles[s].published) for s in sides}
        related = {(i, j): relation(times[sides[i]], times[sides[j]]) for i, j in dispute.pairs}
        shown = dispute.kind != DATE  # a date answer is its own moment
        # Pairs of answers from different moments may both have been true, each in its time; the
        # other pairs contradict each other. Each set of pairs is one conflict.
        apart = [p for p, r in related.items() if r == DIFFERENT and dispute.kind != DATE]
        together = [p for p in related if p not in apart]
        for kind, pairs in ((CONTRADICTION, together), (DIFFERENT_TIME, apart)):
            if not pairs:
                continue
            members = sorted({n for pair in pairs for n in pair})
            quoted = tuple(
                replace(answer_side(c, articles[c.source]), when=moment(times[c.source]) if shown else "")
                for c in (dispute.sides[n] for n in members)
            )
            same = None if dispute.kind == DATE else SAME in {related[p] for p in pairs}
            out.append(Conflict(dispute.topic, kind, quoted, _reason(kind, quoted, same, answers=True)))
    return out


def _opposed(
    question: str, wanted: Focus, spans: Mapping[str, list[tuple[int, int]]], articles: Mapping[str, Article]
) -> list[Conflict]:
    """Articles answering a yes-or-no question opposite ways (polarity.py): a contradiction, or
    answers from different moments."""
    if not wanted.yes_no or wanted.family:
        return []
    found = stances(wanted, spans, articles)
    if len({s.answer for s in found.values()}) < 2:
        return []
    times = {s: event_time(articles[s].text, articles[s].published) for s in found}
    sides = sorted(found.values(), key=lambda s: (s.answer, s.source))
    related = {
        relation(times[a.source], times[b.source]) for a in sides for b in sides if a.answer != b.answer
    }
    kind = DIFFERENT_TIME if related == {DIFFERENT} else CONTRADICTION
    quoted = tuple(
        ConflictSide(
            s.source, (a := articles[s.source]).outlet, a.published, a.text[s.start : s.end], s.start, s.end,
            s.answer, moment(times[s.source]),
        )
        for s in sides
    )  # fmt: skip
    topic = f"the answer to “{question.strip()}”"
    return [Conflict(topic, kind, quoted, _reason(kind, quoted, SAME in related, answers=True))]


def _distinct(conflicts: list[Conflict]) -> list[Conflict]:
    """The conflicts without repeats: a figure read both as a count and as a restated value is one
    disagreement, reported once (the first, most relevant, reading is kept)."""
    kept: list[Conflict] = []
    for conflict in conflicts:
        if not any(_same_sides(conflict, earlier) for earlier in kept):
            kept.append(conflict)
    return kept


def _same_sides(a: Conflict, b: Conflict) -> bool:
    """True when every side of `a` quotes a passage of the same article as a side of `b` overlaps."""
    return all(
        any(x.source == y.source and x.start < y.end and y.start < x.end for y in b.sides) for x in a.sides
    )


_FIGURES = frozenset({"quantity", "date", "tally"})  # claim kinds that state a value of one thing
Edge = tuple[Found, Found, bool]
Undated = Callable[[Found, Found], bool | None]
Namesakes = frozenset[frozenset[str]]  # pairs of articles about two different things of one name


def _states_both(a: Found, b: Found, group: list[Found], whole: bool = False) -> bool:
    """True when either sentence also states the other's figure ("19 episodes in season 5, 22 in
    season 6"; "held between 25 October 1951 and 21 February 1952"): no disagreement there. With
    `whole`, any claim of either article that answers the question counts: an article giving both
    "$5.7 billion" (demanded) and "$1.375 billion" (granted) agrees with each report of either."""
    return any(
        f is not x
        and (f.source == x.source if whole else f.statement == x.statement)
        and not f.claim.disagrees(y.claim)
        for x, y in ((a, b), (b, a))
        for f in group
    )


def _components(edges: list[Edge]) -> list[list[Edge]]:
    """Edges grouped by the claims they connect (union-find), keeping groups with a disagreement."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b, _ in edges:
        parent[root(id(a))] = root(id(b))
    groups: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        groups[root(id(edge[0]))].append(edge)
    return [g for g in groups.values() if any(dis for _, _, dis in g)]


def _classified(
    edges: list[Edge],
    articles: Mapping[str, Article],
    times: Mapping[str, EventTime],
    namesakes: Namesakes,
    undated: Undated | None = None,
) -> Iterable[tuple[float, Conflict]]:
    relations = {(id(a), id(b)): _relation(a, b, times) for a, b, dis in edges if dis}
    same = [
        (a, b, d)
        for a, b, d in edges
        if d and _contradicts(a, b, relations[id(a), id(b)], articles, namesakes, undated)
    ]
    at_once = any(relations[id(a), id(b)] == SAME for a, b, _ in same)
    apart = [(a, b, d) for a, b, d in edges if d and relations[id(a), id(b)] == DIFFERENT]
    contradiction = _sides(same)
    # Across times, one report per moment: the disagreement within a moment is the contradiction's.
    moments: list[Found] = []
    for f in _sides(apart):
        if all(_relation(f, g, times) == DIFFERENT for g in moments):
            moments.append(f)
    for kind, sides in ((CONTRADICTION, contradiction), (DIFFERENT_TIME, moments)):
        if len(sides) >= 2 and any(x.claim.disagrees(y.claim) for x in sides for y in sides):
            score = max(f.relevance for f in sides)
            shown = tuple(_side(f, articles, times) for f in sides)
            yield score, Conflict(topic(sides), kind, shown, _reason(kind, shown, at_once))


def _relation(a: Found, b: Found, times: Mapping[str, EventTime]) -> str:
    """SAME, DIFFERENT or UNKNOWN moment: first from the years and months written next to the two
    claims ("the 2010 census"), then from the articles' publication dates and lead weekdays."""
    (ya, ma), (yb, mb) = a.when, b.when
    if ya and yb:
        return SAME if ya == yb and (not (ma and mb) or ma == mb) else DIFFERENT
    if ma and mb and ma != mb:
        return DIFFERENT
    da, db = a.claim.date, b.claim.date
    if da and db and da.year and db.year:
        return UNKNOWN  # a year of birth or founding does not change with the news cycle
    return relation(times[a.source], times[b.source])


def _contradicts(
    a: Found,
    b: Found,
    rel: str,
    articles: Mapping[str, Article],
    namesakes: Namesakes,
    undated: Undated | None = None,
) -> bool:
    """Same moment, or no evidence either way and: `undated` (the corpus report's fitted model) says
    so; or, for figures a question aligned, both articles are dated reports of one news cycle
    (`relation` places reports published further apart at different moments); or the two
    sources make the same statement about the same subject with a different value (undated documents
    such as reference pages may describe namesakes under one name, so a weaker match there may be two
    different things, and articles whose restated sentences differ in several values describe
    namesakes)."""
    if frozenset((a.source, b.source)) in namesakes:
        return False
    if rel != UNKNOWN:
        return rel == SAME
    if undated is not None:
        settled = undated(a, b)
        if settled is not None:
            return settled
    elif a.claim.kind in _FIGURES and articles[a.source].published and articles[b.source].published:
        # Contradiction is the default for two reports of one figure of a story: publication on
        # different days of one news cycle does not make a cost or a tally "different times". An
        # opposing term is not a figure of one thing: a budget "approved" and an amendment
        # "rejected" are two motions of one meeting.
        return True
    return by_rule(a, b, articles)


def by_rule(a: Found, b: Found, articles: Mapping[str, Article]) -> bool:
    """The test for two aligned claims that nothing places at one moment or apart, where neither a
    fitted model nor the dated default decides: two lengths, or two sentences restating each other,
    in articles about one subject. How long something lasted does not run on between reports as a
    toll does, so two lengths of the same thing contradict without restating each other."""
    if not (a.claim.attribute == LENGTH or restates(a, b)):
        return False
    return _article_overlap(articles[a.source], articles[b.source]) >= floors.current().same_subject


@functools.lru_cache(maxsize=4096)
def _article_keys(text: str) -> frozenset[str]:
    return frozenset(content_keys(words(text)))


def _article_overlap(a: Article, b: Article) -> float:
    ka, kb = _article_keys(a.text), _article_keys(b.text)
    return len(ka & kb) / max(1, len(ka | kb))


def _sides(edges: Sequence[Edge]) -> list[Found]:
    """One claim per article: the one in most disagreements, then the most relevant."""
    weight: dict[int, int] = defaultdict(int)
    claims: dict[int, Found] = {}
    for a, b, _ in edges:
        for f in (a, b):
            weight[id(f)] += 1
            claims[id(f)] = f
    best: dict[str, Found] = {}
    for fid, f in claims.items():
        current = best.get(f.source)
        if current is None or (weight[fid], f.relevance) > (weight[id(current)], current.relevance):
            best[f.source] = f
    return sorted(best.values(), key=lambda f: (f.source, f.claim.start))


def _side(f: Found, articles: Mapping[str, Article], times: Mapping[str, EventTime]) -> ConflictSide:
    article = articles[f.source]
    start, end = f.statement.start, f.statement.end
    year, month = f.when
    named = f"{calendar.month_name[month]} {year}" if month else str(year)
    when = named if year else moment(times[f.source])
    return ConflictSide(
        f.source, article.outlet, article.published, article.text[start:end], start, end, f.claim.value, when
    )


def _reason(kind: str, sides: Sequence[ConflictSide], same: bool | None, answers: bool = False) -> str:
    """One sentence on what the kind was told from: the moments the reports describe, or that
    nothing places them apart. `same`: whether two sides were read as describing one moment (None
    where moments do not apply, as for dates answering "when")."""
    labels = list(dict.fromkeys(s.when for s in sides if s.when))
    moments = ", ".join(x for x in labels if not any(x != y and x in y for y in labels))
    what = "answers" if answers else "values"
    if kind == DIFFERENT_TIME:
        return f"The reports describe different moments ({moments}): each may be right for its time."
    if same is None:
        return "The sources answer the question with different dates."
    if same and moments:
        return f"Both reports describe the same moment ({moments}) and give different {what}."
    return f"Nothing in the reports places them at different moments, so their {what} contradict each other."


def describe(conflict: Conflict, cite: Callable[[ConflictSide], int | str | None]) -> str:
    """The sentence an answer uses to state a disagreement. `cite` gives a side's citation number
    (or its rendered marker, or None for none), so numbering stays with the caller:
    "Sources differ on the length of the call: one reports 30 minutes [1], another about 50 minutes [2]."
    """

    def marker(side: ConflictSide) -> str:
        number = cite(side)
        return f" [{number}]" if isinstance(number, int) else (f" {number}" if number else "")

    quoted = conflict.topic.startswith("whether")
    by_value: dict[str, list[str]] = defaultdict(list)
    for side in conflict.sides:
        by_value[f"“{side.value}”" if quoted else side.value].append(marker(side))
    parts = [value + "".join(dict.fromkeys(marks)) for value, marks in by_value.items()]
    if conflict.kind == CONTRADICTION:
        head, *rest = parts
        return (
            f"Sources differ on {conflict.topic}: one reports {head}, "
            + ", ".join(f"another {p}" for p in rest)
            + "."
        )
    dated = [
        f"{side.value}{marker(side)}" + (f" (published {side.published[:10]})" if side.published else "")
        for side in conflict.sides
    ]
    listed = "; ".join(dated)
    return f"Reports give different figures for {conflict.topic}, from different times or events: {listed}."
