"""HTML rendering of answers, sources, conflicts, articles and the corpus: links, highlights, escaping."""

import re
from dataclasses import replace

import pytest

from assistant.answer import Answer, Citation, Conflict, ConflictSide
from assistant.web.render import (
    CiteKey,
    Span,
    answer_html,
    article_html,
    conflicts_html,
    example_questions,
    locate,
    parse_key,
    report_html,
    sources_html,
    status_html,
)
from index.article import Article
from index.build import BuildReport
from index.store import ArticleRecord

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def _citation(
    n: int, source: str = "a.txt", quote: str = "The call lasted 30 minutes.", **kw: str
) -> Citation:
    fields = {"title": "Leaders talk", "outlet": "Wire", "published": "2024-10-09T10:00:00"} | kw
    return Citation(
        n, source, fields["title"], fields["outlet"], fields["published"], quote, 10, 10 + len(quote)
    )


def _side(source: str, value: str, quote: str) -> ConflictSide:
    return ConflictSide(source, "Wire", "2024-10-09", quote, 5, 5 + len(quote), value)


def _answer(**kw: object) -> Answer:
    fields: dict = {
        "question": "How long was the call?",
        "answer": "It lasted 30 minutes [1] or 50 minutes [2].",
        "citations": (_citation(1), _citation(2, "b.txt", "It ended after about 50 minutes.")),
        "conflicts": (
            Conflict(
                "the length of the call",
                "contradiction",
                (
                    _side("a.txt", "30 minutes", "It lasted 30 minutes."),
                    _side("b.txt", "50 minutes", "About 50."),
                ),
            ),
        ),
    } | kw
    return Answer(**fields)


def _no_raw_tags(html: str) -> bool:
    return (
        "<script" not in html and "<img" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    )


# --- keys ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", [CiteKey(0, "c", 1), CiteKey(3, "r", 0), CiteKey(2, "x", 1, 0), CiteKey(12, "x", 0, 3)]
)
def test_keys_round_trip_through_their_anchor(key: CiteKey) -> None:
    assert parse_key(key.anchor()) == key
    assert parse_key("http://127.0.0.1:7860/" + key.anchor()) == key


@pytest.mark.parametrize("value", ["", "#cite-", "#cite-a-c-1", "#cite-1-z-1", "#other", "cite-1-c-"])
def test_other_values_are_not_keys(value: str) -> None:
    assert parse_key(value) is None


def test_locate_finds_citations_related_passages_and_conflict_sides() -> None:
    related = _citation(7, "r.txt", "Related text.")
    answers = [_answer(), _answer(related=(related,))]
    assert locate(answers, CiteKey(0, "c", 2)) == Span(
        "b.txt", 10, 10 + len("It ended after about 50 minutes.")
    )
    assert locate(answers, CiteKey(1, "r", 0)) == Span("r.txt", related.start, related.end)
    assert locate(answers, CiteKey(0, "x", 0, 1)) == Span("b.txt", 5, 5 + len("About 50."))


@pytest.mark.parametrize(
    "key",
    [
        CiteKey(2, "c", 1),
        CiteKey(0, "c", 9),
        CiteKey(0, "r", 0),
        CiteKey(0, "x", 1, 0),
        CiteKey(0, "x", 0, 5),
    ],
)
def test_locate_returns_none_for_what_does_not_exist(key: CiteKey) -> None:
    assert locate([_answer(), _answer()], key) is None


# --- the answer ----------------------------------------------------------------------------------


def test_markers_of_known_citations_become_links_to_their_turn() -> None:
    html = answer_html("It lasted 30 minutes [1] or 50 [2].", 3, _answer())
    assert re.findall(r'href="([^"]+)"', html) == ["#cite-3-c-1", "#cite-3-c-2"]
    assert ">[1]</a>" in html and ">[2]</a>" in html


def test_grouped_markers_become_one_link_each() -> None:
    html = answer_html("Both said so [1, 2].", 0, _answer())
    assert re.findall(r'href="([^"]+)"', html) == ["#cite-0-c-1", "#cite-0-c-2"]


def test_markers_without_a_citation_are_not_links() -> None:
    assert "href" not in answer_html("Streaming text [1] so far", 0)
    assert "href" not in answer_html("Unknown number [9].", 0, _answer())
    assert "[9]" in answer_html("Unknown number [9].", 0, _answer())


def test_answer_text_and_notes_are_escaped() -> None:
    answer = _answer(notes=(f"backend failed {SCRIPT}",))
    html = answer_html(f"Quote {SCRIPT} and {IMG} [1].", 0, answer)
    assert _no_raw_tags(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Note: backend failed &lt;script&gt;" in html


def test_abstentions_are_marked() -> None:
    html = answer_html("The articles do not say.", 0, _answer(abstained=True, citations=()))
    assert 'class="abstained"' in html


# --- sources and conflicts -----------------------------------------------------------------------


def test_one_card_per_citation_with_outlet_date_title_and_quote() -> None:
    html = sources_html(_answer(), 1)
    cards = re.findall(r'<a class="card" href="([^"]+)"', html)
    assert cards == ["#cite-1-c-1", "#cite-1-c-2"]
    for text in (
        "Wire",
        "2024-10-09",
        "Leaders talk",
        "The call lasted 30 minutes.",
        "It ended after about 50",
    ):
        assert text in html
    assert "T10:00" not in html


def test_card_fields_are_escaped() -> None:
    hostile = _citation(1, "x.txt", f"quote {IMG}", title=f"title {SCRIPT}", outlet=f"<b>{IMG}</b>")
    html = sources_html(_answer(citations=(hostile,)), 0)
    assert _no_raw_tags(html) and "<b>" not in html
    assert "title &lt;script&gt;" in html


def test_related_reading_gets_its_own_links() -> None:
    html = sources_html(_answer(abstained=True, citations=(), related=(_citation(1, "r.txt"),)), 0)
    assert "Related reading" in html and 'href="#cite-0-r-0"' in html


def test_sources_placeholder_before_any_answer() -> None:
    assert "card" not in sources_html(None, 0)


def test_conflict_sides_are_labelled_linked_and_laid_side_by_side() -> None:
    html = conflicts_html(_answer(), 2)
    assert 'class="conflict kind-contradiction"' in html and "Contradiction" in html
    assert re.findall(r'<a class="side" href="([^"]+)"', html) == ["#cite-2-x-0-0", "#cite-2-x-0-1"]
    assert html.index('class="sides"') < html.index("30 minutes") < html.index("50 minutes")


def test_different_time_conflicts_are_labelled_as_such() -> None:
    conflict = Conflict("the count", "different-time", (_side("a", "3", "three"), _side("b", "4", "four")))
    html = conflicts_html(_answer(conflicts=(conflict,)), 0)
    assert "kind-different-time" in html and "Different times" in html and "Contradiction" not in html


def test_each_conflict_shows_why_it_is_of_its_kind_and_each_side_its_moment() -> None:
    sides = (
        replace(_side("a", "3", "three"), when="Tuesday 2030-05-07"),
        replace(_side("b", "4", "four"), when="Tuesday 2030-06-18"),
    )
    reason = "The reports describe different moments (Tuesday 2030-05-07, Tuesday 2030-06-18)."
    html = conflicts_html(_answer(conflicts=(Conflict("the count", "different-time", sides, reason),)), 0)
    assert f'<p class="explain">{reason}</p>' in html
    assert html.count('<span class="when">describes Tuesday 2030-') == 2
    shown = html[html.index('class="sides"') :]
    assert shown.index("three") < shown.index("2030-05-07") < shown.index("four") < shown.index("2030-06-18")
    # without a reason, the kind's general explanation; without a moment, no line for it
    html = conflicts_html(
        _answer(conflicts=(Conflict("the count", "different-time", _answer().conflicts[0].sides),)), 0
    )
    assert "may describe different moments or events" in html and 'class="when"' not in html


def test_no_conflict_reads_as_agreement() -> None:
    html = conflicts_html(_answer(conflicts=()), 0)
    assert 'class="agree"' in html and "conflict kind" not in html


def test_conflict_text_is_escaped() -> None:
    conflict = Conflict(
        f"topic {SCRIPT}",
        "contradiction",
        (replace(_side("a", IMG, f"q {IMG}"), when=SCRIPT), _side("b", "1", "x")),
        f"reason {IMG}",
    )
    assert _no_raw_tags(conflicts_html(_answer(conflicts=(conflict,)), 0))


# --- the article view ----------------------------------------------------------------------------


def _article(text: str, **kw: str) -> Article:
    return Article("a.txt", text, **({"title": "T", "outlet": "Wire", "published": "2024-10-09"} | kw))


def test_article_highlights_exactly_the_quoted_span() -> None:
    text = "First sentence. The call lasted 30 minutes. Last sentence."
    start = text.index("The call")
    end = start + len("The call lasted 30 minutes.")
    html = article_html(_article(text), start, end)
    assert re.findall(r'<mark class="quoted">(.*?)</mark>', html) == ["The call lasted 30 minutes."]
    assert "First sentence. <mark" in html and "</mark> Last sentence." in html


def test_article_text_and_metadata_are_escaped_inside_and_outside_the_highlight() -> None:
    text = f"Before {SCRIPT}. Quoted {IMG} here. After {IMG}."
    start, end = text.index("Quoted"), text.index(" After")
    html = article_html(_article(text, title=SCRIPT, outlet=IMG), start, end)
    assert _no_raw_tags(html)
    assert re.search(
        r'<mark class="quoted">Quoted &lt;img src=x onerror=&quot;alert\(2\)&quot;&gt; here\.</mark>', html
    )


@pytest.mark.parametrize(("start", "end"), [(0, 0), (50, 40), (-5, -1)])
def test_empty_or_invalid_spans_show_the_article_without_a_highlight(start: int, end: int) -> None:
    html = article_html(_article("Some text here."), start, end)
    assert "<mark" not in html and "Some text here." in html


def test_span_past_the_end_is_clamped() -> None:
    html = article_html(_article("Short text."), 6, 999)
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", html) == ["text."]


@pytest.mark.parametrize(("url", "linked"), [("https://example.org/a", True), ("javascript:alert(1)", False)])
def test_only_web_addresses_are_linked(url: str, linked: bool) -> None:
    html = article_html(_article("Text.", url=url))
    assert ("href=" in html) is linked and "javascript:" not in html


# --- the corpus ----------------------------------------------------------------------------------


def _record(article_id: str, indexed_at: float, outlet: str = "") -> ArticleRecord:
    return ArticleRecord(article_id, "", outlet, "", "", "h", 3, indexed_at)


def test_status_counts_articles_and_chunks_and_shows_the_last_build() -> None:
    records = {r.id: r for r in (_record("a", 1_700_000_000.0), _record("b", 1_728_470_400.0))}
    html = status_html(records, 1234, "none")
    assert "<b>2</b> articles" in html and "<b>1,234</b> chunks" in html
    assert "2024-10-09 10:40 UTC" in html and "extractive" in html


def test_status_of_an_empty_store_and_a_model_backend() -> None:
    html = status_html({}, 0, "llamacpp")
    assert "never" in html and "llamacpp" in html


def test_upload_report_lists_skipped_files_with_reasons_escaped() -> None:
    report = BuildReport(added=["new.txt"], skipped=[("empty.txt", "empty file")], chunks=4, seconds=1.25)
    html = report_html(report, [(f"{SCRIPT}.exe", "unsupported file type .exe")])
    assert "1 added" in html and "4 chunks" in html
    assert "<b>empty.txt</b>: empty file" in html and "unsupported file type .exe" in html
    assert _no_raw_tags(html)


# --- example questions ---------------------------------------------------------------------------


def test_questions_come_from_opening_sentences() -> None:
    articles = [
        Article("a", "Mayor Ida Brenn opened the new Lorrin footbridge on Monday, after two years of work."),
        Article(
            "b",
            "The Orchard Cooperative recorded its largest apple harvest as prices fell across the region.",
        ),
    ]
    assert example_questions(articles) == [
        "Who opened the new Lorrin footbridge on Monday?",
        "Who recorded its largest apple harvest?",
    ]


def test_titles_stand_in_when_no_sentence_makes_a_question() -> None:
    article = Article("a", "rain fell all day in the valley.", title="Floods close valley road")
    assert example_questions([article]) == ["What do the articles report about “Floods close valley road”?"]


def test_reporting_verbs_and_untitled_plain_text_give_no_question() -> None:
    articles = [
        Article("a", "The Harbour Office said the pier would reopen soon."),
        Article("b", "no capitals here."),
    ]
    assert example_questions(articles) == []


def test_questions_are_unique_and_limited() -> None:
    text = "Mayor Ida Brenn opened the footbridge on Monday."
    articles = [
        Article(str(i), text if i < 2 else f"Mayor Ida Brenn closed road {i} on Monday.") for i in range(9)
    ]
    found = example_questions(articles, limit=3)
    assert len(found) == 3 and len(set(found)) == 3


def test_story_view_lists_articles_by_outlet_and_escapes_them() -> None:
    from assistant.answer import CONTRADICTION, Conflict, ConflictSide
    from assistant.stories import StoryArticle, StorySummary
    from assistant.web.story_view import stories_html, story_html

    side = ConflictSide("a.txt", "Wire <b>", "2024-10-09", "It took <30> minutes.", 0, 20, "30 minutes")
    other = ConflictSide("b.txt", "Herald", "2024-10-09", "It took 50 minutes.", 0, 19, "50 minutes")
    story = StorySummary(
        "story-1",
        "Call <script>",
        (StoryArticle("a.txt", "Call", "Wire <b>", "2024-10-09"), StoryArticle("b.txt", "", "", "")),
        ("Wire <b>",),
        "2024-10-09",
        "2024-10-09",
        (Conflict("the length", CONTRADICTION, (side, other)),),
    )
    shown = story_html(story)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "Wire &lt;b&gt;" in shown and "Outlet not stated" in shown
    assert shown.count('class="side"') == 2 and "href" not in shown
    assert "1 disagreement" in stories_html([story])
