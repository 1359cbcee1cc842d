"""Follow-up questions ("how long was it?") rewritten into standalone ones for retrieval.

Only a question that looks like a follow-up is touched: it starts like one ("and ...", "what
about ...") or it is short, has a pronoun and names nothing. With a chat model, `prompts/rewrite.md`
asks for the standalone question and the reply is sanity-checked; without one, or when the reply is
unusable, the key words of the previous question that the follow-up lacks are carried over.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from assistant.llm.prompting import load_prompt, neutralise
from assistant.text.terms import STOP_WORDS, content_terms

log = logging.getLogger(__name__)

MAX_FOLLOW_UP_WORDS = 12
MAX_TURNS = 3  # conversation turns shown to the model
MAX_CARRIED = 8  # words carried over from the previous question
MAX_REWRITE_CHARS = 300
_ANSWER_CHARS = 300
_OPENING = re.compile(r"^\s*(?:and|also|but|so|what about|how about|what of)\b", re.IGNORECASE)
_ANAPHOR = re.compile(
    r"\b(?:it|its|they|them|their|that|this|those|these|he|him|his|she|her|there|then|the same)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=\s)(?!I\b)[A-Z][\w’'.-]*|\b[A-Z]{2,}\b|\d")
_WORD = re.compile(r"[A-Za-z0-9][\w’'.-]*[\w]|[A-Za-z0-9]")
_HOW = re.compile(r"\bhow (?:long|many|much|often|far|old|big|recently|soon)\b", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    "what when where who whom whose which why how did does do is are was were".split()
)
_LABEL = re.compile(r"^\s*(?:standalone question|rewritten question|question|rewrite)\s*:\s*", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^(?:what|when|where|who|whom|whose|which|why|how|did|does|do|is|are|was|were|has|have|had|can|could|"
    r"will|would|should)\b",
    re.IGNORECASE,
)


def rewrite_question(
    question: str, history: Sequence[tuple[str, str]], model: BaseChatModel | None = None
) -> str:
    """A standalone version of `question` given the (user, assistant) turns before it."""
    question = " ".join(question.split())
    if not history or not looks_like_follow_up(question):
        return question
    if model is not None:
        rewritten = _with_model(question, history, model)
        if rewritten:
            return rewritten
    return carry_over(question, history)


def looks_like_follow_up(question: str) -> bool:
    """Starts like a follow-up, or is short, has a pronoun and names nothing."""
    if _OPENING.match(question):
        return True
    if len(question.split()) > MAX_FOLLOW_UP_WORDS or _NAME.search(question):
        return False
    return bool(_ANAPHOR.search(question))


def carry_over(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The question with the previous question's key words it lacks appended in brackets."""
    previous = _previous_question(history)
    have = set(content_terms(question))
    carried: list[str] = []
    for word in _WORD.findall(_HOW.sub("", previous)):
        terms = content_terms(word)
        if word.lower() in STOP_WORDS or word.lower() in _QUESTION_WORDS or not terms:
            continue
        if set(terms) <= have or word in carried:
            continue
        carried.append(word)
    if not carried:
        return question
    return f"{question} ({' '.join(carried[:MAX_CARRIED])})"


def _previous_question(history: Sequence[tuple[str, str]]) -> str:
    """The last user question, itself made standalone when it was a follow-up too."""
    last = " ".join(history[-1][0].split())
    if len(history) > 1 and looks_like_follow_up(last):
        return carry_over(last, history[:-1])
    return last


def _with_model(question: str, history: Sequence[tuple[str, str]], model: BaseChatModel) -> str:
    chain = load_prompt("rewrite") | model | StrOutputParser()
    try:
        reply = chain.invoke({"history": format_history(history), "question": question})
    except Exception as err:  # a failed rewrite must not fail the question: fall back
        log.warning("follow-up rewriting failed, carrying words over instead: %s", err)
        return ""
    cleaned = clean_rewrite(reply, question)
    if not cleaned:
        log.info("unusable rewrite %r for %r; carrying words over instead", reply[:200], question)
    return cleaned


def format_history(history: Sequence[tuple[str, str]]) -> str:
    """The last turns as `User:` / `Assistant:` lines; answers shortened and made inert."""
    lines = []
    for user, assistant in history[-MAX_TURNS:]:
        answer = re.sub(r"\s*\[\d+(?:\s*,\s*\d+)*\]", "", " ".join(assistant.split()))
        if len(answer) > _ANSWER_CHARS:
            answer = answer[:_ANSWER_CHARS].rsplit(" ", 1)[0] + " ..."
        lines.append(f"User: {neutralise(' '.join(user.split()))}\nAssistant: {neutralise(answer)}")
    return "\n".join(lines)


def clean_rewrite(reply: str, question: str) -> str:
    """The model's rewrite when it is a usable question that keeps the follow-up's words, else ''."""
    line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip().strip("\"'“”‘’`*").strip()
    if not line or len(line) > MAX_REWRITE_CHARS or not re.search(r"[A-Za-z]", line):
        return ""
    if not (line.endswith("?") or _QUESTION_START.match(line)):
        return ""  # an answer, not a question
    wanted = set(content_terms(question))
    if wanted and 2 * len(wanted & set(content_terms(line))) < len(wanted):
        return ""  # the rewrite lost what the follow-up asks about
    return line
