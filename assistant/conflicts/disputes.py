"""Sources that give different answers to the question itself: "Stevie Wonder" against "Rufus" for
"Who wrote the song?", 1983 against 2011 for "When did India win the World Cup?".

Each article's best answer is the candidate (candidates.py) of its sentence that shares the most of
the question's words; a sentence giving two answers gives none. Two articles disagree when both
answer in sentences that restate most of the question, their answers share no name word (allowing
a misspelling: "Leiber" and "Lieber" agree, and so do "Obama" and "Barack Obama"), years or counts
differ, neither article mentions the other's answer anywhere (a source naming both is listing or
discussing them; for a count, its answering sentence), and not both answering sentences name
something the other article never does (then they describe two things of one name: two films called
"Baby Doll").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from assistant.answer import ConflictSide
from assistant.conflicts import floors
from assistant.conflicts.alignment import sentence_keys
from assistant.conflicts.asked import COUNT, DATE, Asked, asked, same_key
from assistant.conflicts.candidates import (
    Candidate,
    Vocabulary,
    candidates,
    is_time_of_week,
    name_keys,
    relevant,
    vague,
    vocabulary,
)
from assistant.text.dates import dates_in
from assistant.text.quantities import quantities_in
from index.article import Article

_TYPO_LENGTH = 5


@dataclass(frozen=True)
class Dispute:
    """Articles answering the question differently: their answers, which pairs of them disagree
    (indices into `sides`), and how fully the weakest of the best such pair restates the question."""

    topic: str  # the question as a clause: "who wrote the song"
    kind: str  # the kind of answer: asked.NAME, DATE or COUNT
    sides: tuple[Candidate, ...]
    pairs: tuple[tuple[int, int], ...]
    score: float


def disputes(
    question: str,
    spans: Mapping[str, Sequence[tuple[int, int]]],
    articles: Mapping[str, Article],
    keys: Sequence[frozenset[str]] | None = None,
    least: float | None = None,
) -> list[Dispute]:
    """Articles whose answers to the question disagree; `spans` are the retrieved character ranges
    of each article, `keys` the content keys of their sentences (alignment.sentence_keys) when the
    caller has them, `least` the share of the question an answering sentence must restate (by
    default the fitted floor for names and years, or for counts: floors.py)."""
    sources = [s for s in spans if s in articles]
    if len(sources) < 2 or not asked(question).kind:
        return []
    wanted = asked(question, sentence_keys(articles[s] for s in sources) if keys is None else keys)
    found = _answers(wanted, spans, {s: articles[s] for s in sources}, least)
    if found is None:
        return []
    best, vocab = found
    pairs = _disagreeing(best, articles, wanted, vocab)
    if not pairs:
        return []
    order = sorted({s for pair in pairs for s in pair}, key=lambda s: (s, best[s].start))
    index = {s: n for n, s in enumerate(order)}
    shown = _shown([best[s] for s in order], wanted)
    score = max(min(best[x].relevance, best[y].relevance) for x, y in pairs)
    topic = question.strip().rstrip("?").strip()
    return [
        Dispute(
            topic[:1].lower() + topic[1:],
            wanted.kind,
            shown,
            tuple((index[x], index[y]) for x, y in pairs),
            score,
        )
    ]


def _answers(
    wanted: Asked,
    spans: Mapping[str, Sequence[tuple[int, int]]],
    articles: Mapping[str, Article],
    least: float | None = None,
) -> tuple[dict[str, Candidate], Vocabulary] | None:
    """Each article's best answer, with the sources' vocabulary; None unless two articles answer
    (most articles hold no sentence restating the question, so the vocabulary is rarely needed)."""
    # A count of the asked thing ("thirteen episodes") is specific enough with fewer of the question's
    # words than a name or a year, which needs its sentence to restate the question; a weekday or a
    # time of day, rarely stated twice in one story, with fewer still ("The attack was discovered on
    # Saturday" for "When was the ransomware attack on Tallow Water discovered?").
    fitted = floors.current()
    if least is None:
        least = fitted.counts if wanted.kind == COUNT else fitted.answers
    floor = min(least, fitted.times) if wanted.kind == DATE else least
    sentences = {s: here for s, a in articles.items() if (here := relevant(wanted, a, spans[s], floor))}
    if len(sentences) < 2:
        return None
    vocab = vocabulary(a.text for a in articles.values())
    found = {
        s: [
            c
            for c in candidates(wanted, articles[s], here, vocab)
            if c.relevance >= (fitted.times if is_time_of_week(c) else least)
        ]
        for s, here in sentences.items()
    }
    best = {s: answer for s, here in found.items() if (answer := _best(here, wanted))}
    return (best, vocab) if len(best) >= 2 else None


def _disagreeing(
    best: Mapping[str, Candidate], articles: Mapping[str, Article], wanted: Asked, vocab: Vocabulary
) -> list[tuple[str, str]]:
    """Pairs of articles whose answers disagree, neither naming the other's answer, about one thing."""
    names = {s: name_keys(articles[s].text, vocab) for s in best}
    return [
        (x, y)
        for i, x in enumerate(best)
        for y in list(best)[i + 1 :]
        if not _agree(best[x], best[y], wanted)
        and not _apart(best[x], best[y])
        and not _mentions(best[x], best[y], articles[y], names[y], wanted)
        and not _mentions(best[y], best[x], articles[x], names[x], wanted)
        and not _namesakes(best[x], best[y], articles, names, wanted, vocab)
    ]


def _shown(sides: list[Candidate], wanted: Asked) -> tuple[Candidate, ...]:
    """The sides with agreeing answers written alike ("fifteen cities" as "15 cities" where another
    source wrote that first), so that an answer states each version once."""
    out: list[Candidate] = []
    for c in sides:
        same = next((o for o in out if _agree(o, c, wanted)), None)
        out.append(replace(c, value=same.value) if same else c)
    return tuple(out)


def _best(found: list[Candidate], wanted: Asked) -> Candidate | None:
    """The answer of the sentence that holds most of the question, if it holds enough of it; a
    sentence giving several answers ("Timberlake and Pusha T") gives none."""
    if not found:
        return None
    top = max(c.relevance for c in found)
    first = [c for c in found if c.relevance == top]
    sentence = first[0].sentence
    here = [c for c in first if c.sentence == sentence]
    if any(not _agree(here[0], c, wanted) for c in here[1:]):
        return None
    return here[0]


def _agree(a: Candidate, b: Candidate, wanted: Asked) -> bool:
    if wanted.kind == DATE and a.date and b.date:
        return not a.date.disagrees(b.date)
    if wanted.kind == COUNT and a.quantity and b.quantity:
        return a.quantity.agrees(b.quantity)
    return any(x == y or _variant(x, y) for x in a.keys for y in b.keys)


def _apart(a: Candidate, b: Candidate) -> bool:
    """Two counts of one noun qualified differently answer about two things, not one."""
    return bool(a.quantity and b.quantity and a.quantity.counts_apart(b.quantity))


def _variant(a: str, b: str) -> bool:
    """Two spellings of one name: one letter changed ("McEwen"/"McEwan"), two swapped
    ("Leiber"/"Lieber") or one more ("Philips"/"Phillips")."""
    a, b = sorted((a, b), key=len)
    if len(a) < _TYPO_LENGTH or not a.isalpha() or len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return (sum(p != q for p, q in zip(a, b, strict=True)) <= 2 and sorted(a) == sorted(b)) or (
            sum(p != q for p, q in zip(a, b, strict=True)) == 1
        )
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def _mentions(
    c: Candidate, answer: Candidate, article: Article, names: frozenset[str], wanted: Asked
) -> bool:
    """True when the article names the candidate's answer anywhere; a count, only when the
    article's own answering sentence states it ("24 recovered, with 121 still missing" does not
    dispute 121 missing): elsewhere the same figure may count something else."""
    if is_time_of_week(c):  # its sentence states one weekday or time of day, compared by _agree
        return False
    if wanted.kind == DATE and c.date:
        return any(d.year and not c.date.disagrees(d) for d in dates_in(article.text))
    if wanted.kind == COUNT:
        lo, hi = answer.sentence
        return c.quantity is not None and any(
            q.dimension == c.quantity.dimension and q.agrees(c.quantity) and not vague(q)
            for q in quantities_in(article.text, lo, hi)
        )
    return any(k == n or _variant(k, n) for k in c.keys for n in names)


def _namesakes(
    a: Candidate,
    b: Candidate,
    articles: Mapping[str, Article],
    names: Mapping[str, frozenset[str]],
    wanted: Asked,
    vocab: Vocabulary,
) -> bool:
    """True when each answering sentence names something the other article never mentions ("a 1968
    Italian comedy film directed by Franco Giraldi" against "Tennessee Williams' Baby Doll"): two
    things that share the question's name, not two versions of one."""
    return bool(_own_names(a, articles[a.source], names[b.source], wanted, vocab)) and bool(
        _own_names(b, articles[b.source], names[a.source], wanted, vocab)
    )


def _own_names(
    c: Candidate, article: Article, other: frozenset[str], wanted: Asked, vocab: Vocabulary
) -> frozenset[str]:
    """Names of the answering sentence, besides the answer and the question's, that `other` lacks."""
    lo, hi = c.sentence
    here = name_keys(article.text[lo:hi], vocab) - c.keys
    return frozenset(
        k
        for k in here
        if not any(same_key(k, q) for q in wanted.keys) and not any(k == n or _variant(k, n) for n in other)
    )


def answer_side(c: Candidate, article: Article) -> ConflictSide:
    """The conflict side an answer gives: its sentence as the quote, the answer as the value."""
    lo, hi = c.sentence
    return ConflictSide(c.source, article.outlet, article.published, article.text[lo:hi], lo, hi, c.value)
