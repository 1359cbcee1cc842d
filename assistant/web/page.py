"""The Gradio page over one `Assistant`: streaming chat, sources, conflicts, article view, filters,
uploads, articles added from URLs or feeds, and the Stories view (each story's articles by outlet and
date, its conflicts side by side).

The handlers only translate between widgets and the assistant; the HTML comes from `render`, and every
error is caught here and shown as a short message.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer import Answer
from assistant.core import Assistant, clean_question
from assistant.errors import AssistantError, InvalidQuestion
from assistant.retrieve import Filters
from assistant.stories import StorySummary
from assistant.web import render, story_view
from assistant.web.uploads import UPLOAD_TYPES, copy_uploads
from index.errors import IndexingError

log = logging.getLogger(__name__)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNEXPECTED = "Something went wrong on our side (details are in the server log). Please try again."
_SEARCHING = '<span class="searching">Searching the articles…</span>'

# Clicks on any `#cite-…` link (chat markers, source cards, conflict sides) open the article view;
# after the view re-renders, its highlighted span is scrolled into view: inside the side panel where
# that scrolls on its own (wide screens), else by scrolling the page to the article.
_ARTICLE_JS = """
if (!window.__citeClicks) {
  window.__citeClicks = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    trigger('click', {cite: link.getAttribute('href')});
  }, true);
}
watch('value', () => {
  const mark = element.querySelector('mark.quoted');
  const text = element.querySelector('.article-text');
  if (!mark || !text) return;
  const offset = (box, target) => target.getBoundingClientRect().top - box.getBoundingClientRect().top;
  text.scrollTo({top: text.scrollTop + offset(text, mark) - (text.clientHeight - mark.offsetHeight) / 2});
  const panel = element.closest('#side-panel');
  if (panel && getComputedStyle(panel).overflowY === 'auto') {
    panel.scrollTo({top: panel.scrollTop + offset(panel, element), behavior: 'smooth'});
  } else {
    element.scrollIntoView({block: 'start', behavior: 'smooth'});
  }
});
"""

CSS_PATH = Path(__file__).with_name("page.css")
# Gradio scopes the page CSS inside its container, so the rule for the container itself goes in the
# head: its hidden overflow would stop the side panel from sticking while the page scrolls.
_HEAD = "<style>@media (min-width: 1000px) { .gradio-container { overflow: visible !important; } }</style>"
_PROGRESS = gr.Progress()  # a handler's default of this type is how Gradio shows its progress bar


class WebChat:
    """The page's event handlers, bound to one assistant."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._examples: tuple[str, list[str]] = ("", [])

    def respond(
        self,
        question: str,
        chat: list[dict[str, Any]],
        answers: list[Answer],
        outlets: Sequence[str] | None,
        date_from: str,
        date_to: str,
        stories: Sequence[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat, then fill the sources and conflicts panels."""
        try:
            asked = clean_question(question)
            filters = _filters(outlets, date_from, date_to, stories)
        except InvalidQuestion as err:
            gr.Warning(str(err))
            return
        turn, history = len(answers), [(a.question, a.answer) for a in answers]
        asked_chat = [*chat, _message("user", render.question_html(asked))]

        def showing(html: str) -> list[dict[str, Any]]:
            return [*asked_chat, _message("assistant", html)]

        yield "", showing(_SEARCHING), gr.skip(), render.sources_html(None, 0), render.conflicts_html(None, 0)
        text = ""
        try:
            for event in self.assistant.stream(asked, history, filters):
                if isinstance(event, Answer):
                    sources, conflicts = render.sources_html(event, turn), render.conflicts_html(event, turn)
                    shown = showing(render.answer_html(event.answer, turn, event))
                    yield gr.skip(), shown, [*answers, event], sources, conflicts
                else:
                    text += event
                    yield gr.skip(), showing(render.answer_html(text, turn)), gr.skip(), gr.skip(), gr.skip()
        except (AssistantError, IndexingError) as err:
            log.warning("question failed: %s", err)
            failed = render.message_html(f"Sorry, I could not answer: {err}")
            yield gr.skip(), showing(failed), gr.skip(), gr.skip(), gr.skip()
        except Exception:
            log.exception("answering %r failed", asked)
            yield gr.skip(), showing(render.message_html(_UNEXPECTED)), gr.skip(), gr.skip(), gr.skip()

    def open_article(self, answers: list[Answer], evt: gr.EventData) -> str:
        """The article a clicked marker, card or conflict side points at, its quote highlighted."""
        key = render.parse_key(str(getattr(evt, "cite", "")))  # sent by the click handler in _ARTICLE_JS
        span = render.locate(answers, key) if key else None
        if span is None:
            return render.message_html("That source belongs to an answer this page no longer has.")
        try:
            article = self.assistant.article(span.source)
        except IndexingError as err:
            log.warning("cannot open %s: %s", span.source, err)
            return render.message_html("That article is no longer in the index.")
        except Exception:
            log.exception("opening %s failed", span.source)
            return render.message_html(_UNEXPECTED)
        # The comment changes on every click, so re-opening the same passage scrolls to it again.
        return render.article_html(article, span.start, span.end) + f"<!-- {time.monotonic_ns()} -->"

    def upload(self, files: list[str] | None, progress: gr.Progress = _PROGRESS) -> tuple[Any, ...]:
        """Copy uploaded files into the store's uploads folder and index them."""
        from index.build import Builder, BuildReport

        if not files:
            return (render.message_html("Choose one or more article files first."), *self.refresh(), None)
        try:
            paths, refused = copy_uploads(files, self.assistant.settings.store.path / "uploads")
            progress(0, desc="Reading files")
            builder = Builder(self.assistant.store, self.assistant.embedder, self.assistant.settings.index)  # type: ignore[arg-type]
            report = BuildReport()
            if paths:
                with self.assistant.write_lock:
                    report = builder.build(
                        paths, add_only=True, progress=lambda d, t: progress((d, t), desc="Indexing")
                    )
            shown = render.report_html(report, refused)
        except (IndexingError, AssistantError, OSError) as err:
            log.warning("upload failed: %s", err)
            shown = render.message_html(f"Indexing failed: {err}")
        except Exception:
            log.exception("upload failed")
            shown = render.message_html(_UNEXPECTED)
        return (shown, *self.refresh(), None)

    def add_urls(self, text: str, progress: gr.Progress = _PROGRESS) -> tuple[Any, ...]:
        """Fetch the pages and feeds pasted in the box (one address per line) and index them."""
        from assistant.web.library import Library

        cleared: Any = gr.skip()
        try:
            progress(0, desc="Fetching")
            report = Library(self.assistant).add_urls(
                (text or "").split(), progress=lambda d, t: progress((d, t), desc="Indexing")
            )
            shown, cleared = render.report_html(report), ""
        except (IndexingError, AssistantError) as err:
            shown = render.message_html(str(err))
        except Exception:
            log.exception("adding from URLs failed")
            shown = render.message_html(_UNEXPECTED)
        return (shown, *self.refresh(), cleared)

    def refresh(self) -> tuple[Any, ...]:
        """Corpus status, example questions, outlet and story choices and the stories overview,
        read from the store now."""
        try:
            records = self.assistant.store.records()
            status = render.status_html(records, self.assistant.store.chunk_count(), self.assistant.backend)
            outlets = sorted({r.outlet for r in records.values() if r.outlet})
            examples = self._example_questions(records)
            stories = self._story_report()
        except Exception:
            log.exception("reading the store failed")
            unreadable = _topbar(render.message_html("The article index cannot be read right now."))
            return (unreadable, *[gr.skip()] * 5)
        samples = [[q] for q in examples]
        choices = story_view.story_choices(stories)
        return (
            _topbar(status),
            gr.Dataset(samples=samples, visible=bool(samples)),
            gr.Dropdown(choices=outlets),
            gr.Dropdown(choices=choices),
            gr.Dropdown(choices=choices, value=None),
            story_view.stories_html(stories),
        )

    def show_story(self, story_id: str | None) -> str:
        """The chosen story's articles and conflicts; the overview of all stories when none is chosen."""
        try:
            stories = self._story_report()
        except Exception:
            log.exception("reading the stories failed")
            return render.message_html(_UNEXPECTED)
        if not story_id:
            return story_view.stories_html(stories)
        return story_view.story_html(next((s for s in stories if s.id == story_id), None))

    def _story_report(self) -> list[StorySummary]:
        return self.assistant.stories()

    def _example_questions(self, records: dict[str, Any]) -> list[str]:
        generation = self.assistant.store.generation()
        if self._examples[0] != generation:
            newest = sorted(records.values(), key=lambda r: (-r.indexed_at, r.id))[:12]
            articles = [self.assistant.article(r.id) for r in newest]
            self._examples = (generation, render.example_questions(articles))
        return self._examples[1]


def _filters(
    outlets: Sequence[str] | None, date_from: str, date_to: str, stories: Sequence[str] | None = None
) -> Filters:
    dates = [(date_from or "").strip(), (date_to or "").strip()]
    if any(d and not _DATE.fullmatch(d) for d in dates):
        raise InvalidQuestion("Write dates as YYYY-MM-DD, for example 2024-10-09.")
    if all(dates) and dates[0] > dates[1]:
        raise InvalidQuestion("The 'from' date is after the 'to' date.")
    return Filters(tuple(outlets or ()), dates[0], dates[1], tuple(stories or ()))


def _cleared() -> tuple[list[Answer], str, str, str]:
    return [], render.sources_html(None, 0), render.conflicts_html(None, 0), render.article_placeholder()


def _topbar(status: str) -> str:
    return f'<div class="topbar"><h1>News assistant</h1>{status}</div>'


def _message(role: str, html: str) -> dict[str, Any]:
    return {"role": role, "content": html}


def build_page(assistant: Assistant, compact: bool = False) -> gr.Blocks:
    """The whole page, wired to the assistant; `compact` is the one-column page for iframes (`/embed`),
    with the conflicts, sources and article view under the chat and no upload panel."""
    web = WebChat(assistant)
    uploads = not compact and not assistant.settings.server.read_only
    title = "News assistant" + (" (embedded)" if compact else "")
    with gr.Blocks(title=title, analytics_enabled=False) as page:
        answers = gr.State([])
        status = gr.HTML(_topbar(render.message_html("Reading the index…")), elem_id="status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=280 if compact else 320):
                chat = gr.Chatbot(
                    elem_id="chat",
                    label="Chat",
                    height=360 if compact else 440,
                    render_markdown=False,  # answers arrive as escaped HTML from `render`
                    sanitize_html=True,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=[],
                    placeholder="Ask about the articles in the index. Answers cite their sources [n].",
                )
                question = gr.Textbox(
                    elem_id="question",
                    show_label=False,
                    placeholder="Ask a question and press Enter",
                    submit_btn=True,
                    max_length=2000,
                )
                examples = gr.Dataset(
                    label="Example questions",
                    components=[question],
                    samples=[],
                    samples_per_page=2 if compact else 4,
                    visible=False,
                )
                with gr.Accordion("Filters", open=False):
                    outlets = gr.Dropdown(label="Outlets", multiselect=True, choices=[], elem_id="outlets")
                    with gr.Row():
                        date_from = gr.Textbox(
                            label="Published from", placeholder="YYYY-MM-DD", elem_id="from"
                        )
                        date_to = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD", elem_id="to")
                    story_filter = gr.Dropdown(
                        label="Stories", multiselect=True, choices=[], elem_id="story-filter"
                    )
                with gr.Accordion("Stories", open=False, elem_id="stories-panel"):
                    story_pick = gr.Dropdown(
                        label="Story", choices=[], elem_id="story-pick", info="Its articles and conflicts"
                    )
                    story_html = gr.HTML(story_view.stories_html([]), elem_id="story-view")
                with gr.Accordion("Add articles", open=False, elem_id="upload-panel", visible=uploads):
                    files = gr.File(
                        label="Articles", file_count="multiple", file_types=UPLOAD_TYPES, elem_id="files"
                    )
                    index_button = gr.Button("Index these files", elem_id="index-button")
                    urls = gr.Textbox(
                        label="Add from URL or feed",
                        placeholder="https://… a news page or an RSS/Atom feed, one per line",
                        lines=2,
                        elem_id="urls",
                    )
                    fetch_button = gr.Button("Add from URL or feed", elem_id="fetch-button")
                    report = gr.HTML(elem_id="upload-report")
                if compact:
                    conflicts, sources, article = _side_panels()
            if not compact:
                with gr.Column(scale=2, min_width=320, elem_id="side-panel"):
                    conflicts, sources, article = _side_panels()
        ask = (
            web.respond,
            [question, chat, answers, outlets, date_from, date_to, story_filter],
            [question, chat, answers, sources, conflicts],
        )
        question.submit(*ask)
        chat.clear(_cleared, None, [answers, sources, conflicts, article])
        examples.click(lambda sample: sample[0], examples, question).then(*ask)
        article.click(web.open_article, answers, article)
        story_pick.change(web.show_story, story_pick, story_html)
        refreshed = [status, examples, outlets, story_filter, story_pick, story_html]
        if uploads:
            index_button.click(web.upload, files, [report, *refreshed, files])
            fetch_button.click(web.add_urls, urls, [report, *refreshed, urls])
        page.load(web.refresh, None, refreshed)
    return page


def _side_panels() -> tuple[gr.HTML, gr.HTML, gr.HTML]:
    """The conflicts, sources and article panels, in that order."""
    conflicts = gr.HTML(render.conflicts_html(None, 0), elem_id="conflicts")
    sources = gr.HTML(render.sources_html(None, 0), elem_id="sources")
    article = gr.HTML(render.article_placeholder(), elem_id="article", js_on_load=_ARTICLE_JS)
    return conflicts, sources, article


def warm_up(assistant: Assistant) -> None:
    """Load the embedding model, the retrieval index and spaCy's pipeline now, so the first question
    is not the slow one."""
    from index.nlp import pipeline

    try:
        assistant.embedder.embed_query("warm up")
        assistant.retriever.snapshot()
        pipeline()
    except Exception as err:  # the page still starts; the first question will report the problem
        log.warning("warm-up failed: %s", err)


def launch_options(assistant: Assistant) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch` that belong to the page (style, upload limit)."""
    return {
        "css_paths": [CSS_PATH],
        "head": _HEAD,
        "max_file_size": assistant.settings.index.max_file_bytes,
        "footer_links": ["gradio"],
    }
