"""The REST API's request and response bodies, as the OpenAPI page documents them.

Requests forbid unknown fields, so a misspelt `filtres` is an error rather than silently ignored.
Responses mirror `Answer.to_json()`, the object the CLI's `--json` prints.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_DAY = r"^\d{4}-\d{2}-\d{2}$"


class Strict(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Turn(Strict):
    """An earlier question of the conversation and the answer it got."""

    question: str = Field(max_length=100_000)
    answer: str = Field(max_length=100_000)


class AskFilters(Strict):
    """Which articles may answer: outlets (any of them), stories (any of them) and a publication-date
    range."""

    outlets: list[str] = Field(default_factory=list, max_length=100)
    stories: list[str] = Field(
        default_factory=list, max_length=100, description="Story ids (any of them), from `/api/v1/stories`."
    )
    since: str = Field("", pattern=f"({_DAY})|^$", description="Earliest publication date, YYYY-MM-DD.")
    until: str = Field("", pattern=f"({_DAY})|^$", description="Latest publication date, YYYY-MM-DD.")


class AskRequest(Strict):
    """A question, with the conversation so far for follow-ups."""

    question: str = Field(max_length=100_000, examples=["How long did the phone call last?"])
    history: list[Turn] = Field(default_factory=list, max_length=50)
    filters: AskFilters | None = None


class CitationOut(BaseModel):
    """A verbatim quote: `quote == article_text[start:end]`; `id` is the `[n]` of the answer."""

    id: int
    source: str
    title: str
    outlet: str
    published: str
    quote: str
    start: int
    end: int


class ConflictSideOut(BaseModel):
    """One article's version of a disputed point; `value` is the normalised claim."""

    source: str
    outlet: str
    published: str
    quote: str
    start: int
    end: int
    value: str
    when: str = Field(description='the moment the report describes, as read from it ("" when unknown)')


class ConflictOut(BaseModel):
    """Articles that disagree: `kind` is `contradiction` or `different-time`; `reason` says what the
    kind was told from."""

    topic: str
    kind: str
    reason: str
    sides: list[ConflictSideOut]


class AnswerOut(BaseModel):
    """An answer: plain text with `[n]` markers, its citations, and where the sources disagree."""

    question: str
    answer: str
    abstained: bool
    citations: list[CitationOut]
    conflicts: list[ConflictOut]
    notes: list[str]
    related: list[CitationOut]


class ArticleOut(BaseModel):
    """An indexed article, without its text."""

    id: str
    title: str
    outlet: str
    published: str
    url: str
    chunks: int
    indexed_at: float
    story: str = Field("", description="The story (event) the article reports; see `/api/v1/stories`.")
    story_label: str = Field("", description="The story's short label.")


class ArticleTextOut(ArticleOut):
    """An indexed article with its cleaned text, the text citation offsets point into."""

    text: str


class StoryArticleOut(BaseModel):
    """An article of a story, as listed under it."""

    id: str
    title: str
    outlet: str
    published: str


class StoryOut(BaseModel):
    """A story: the articles that report one event (oldest first), their outlets and date range, and
    how many disagreements there are between them."""

    id: str
    label: str
    articles: list[StoryArticleOut]
    outlets: list[str]
    first_published: str
    last_published: str
    conflict_count: int


class StoryDetailOut(StoryOut):
    """A story with its disagreements; both sides of each come from the story's articles."""

    conflicts: list[ConflictOut]


class SkippedOut(BaseModel):
    """A file that was not indexed, and why."""

    name: str
    reason: str


class UploadOut(BaseModel):
    """What indexing the uploaded files did."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    skipped: list[SkippedOut]
    chunks: int


class HealthOut(BaseModel):
    """Whether the app can answer: the store is reachable, and what it holds."""

    status: str
    articles: int
    chunks: int
    backend: str
    read_only: bool


class ErrorBody(BaseModel):
    """What went wrong, in one line."""

    status: int
    message: str


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody
