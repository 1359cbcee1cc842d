"""Optional LLM confirmation of the disagreements the offline detector found.

Each candidate goes to a chat model as `prompts/confirm_conflict.md | model | StrOutputParser()`; the
model answers CONTRADICTION, DIFFERENT-TIME, AGREE or UNRELATED. A disagreement it confirms is kept,
with the kind it names; one it calls AGREE or UNRELATED is dropped. The offline result stands on its
own: when the model fails or its reply cannot be read, the candidate is kept as the detector made it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.answer import CONTRADICTION, DIFFERENT_TIME, Conflict, ConflictSide
from assistant.llm.prompting import escape_attribute, load_prompt, neutralise

log = logging.getLogger(__name__)

AGREE, UNRELATED = "agree", "unrelated"
_LABELS = {
    "contradiction": CONTRADICTION,
    "different-time": DIFFERENT_TIME,
    "agree": AGREE,
    "unrelated": UNRELATED,
}
# The label opens the reply, perhaps after "Label:" or Markdown emphasis: "**CONTRADICTION**: ...".
_LABEL = re.compile(
    r"\A[\s*_`\"'#>-]*(?:label\s*:\s*)?[*_`\"']*(contradiction|different[-\s]time|agree|unrelated)\b",
    re.IGNORECASE,
)


def confirm_chain(model: BaseChatModel) -> Runnable[dict[str, Any], str]:
    """`prompt | model | StrOutputParser()` for the confirmation prompt."""
    return load_prompt("confirm_conflict") | model | StrOutputParser()


def confirm_conflicts(conflicts: Sequence[Conflict], model: BaseChatModel) -> list[Conflict]:
    """The conflicts the model confirms, each with the kind it gives; unreadable verdicts keep theirs."""
    chain = confirm_chain(model) if conflicts else None
    kept = []
    for conflict in conflicts:
        verdict = _verdict(chain, conflict) if chain else None
        if verdict is None or verdict == conflict.kind:
            kept.append(conflict)
        elif verdict in (CONTRADICTION, DIFFERENT_TIME):
            reason = f"The language model read the passages as {_SAID[verdict]}, not as the detector did."
            kept.append(dataclasses.replace(conflict, kind=verdict, reason=reason))
        else:
            log.info("the model finds no disagreement on %r (%s)", conflict.topic, verdict)
    return kept


def _verdict(chain: Runnable[dict[str, Any], str], conflict: Conflict) -> str | None:
    """The model's label for one conflict; None (keep it as it is) when there is no readable one."""
    try:
        reply = chain.invoke({"topic": conflict.topic, "sides": format_sides(conflict.sides)})
    except Exception as err:  # any backend failure: the offline result stands
        log.warning("conflict confirmation failed on %r, keeping it: %s", conflict.topic, err)
        return None
    verdict = parse_verdict(reply)
    if verdict is None:
        log.warning("unreadable confirmation of %r, keeping it: %r", conflict.topic, reply[:80])
    return verdict


def parse_verdict(reply: str) -> str | None:
    """The label a reply opens with (`contradiction`, `different-time`, `agree`, `unrelated`), or None."""
    match = _LABEL.match(reply)
    if not match:
        return None
    return _LABELS[re.sub(r"[-\s]+", "-", match.group(1).lower())]


_SAID = {
    CONTRADICTION: "one moment described two ways",
    DIFFERENT_TIME: "figures from different times or events",
}


def format_sides(sides: Sequence[ConflictSide]) -> str:
    """One fenced line per side: the article, its outlet and date, the moment it describes, the value
    and the verbatim quote."""
    lines = []
    for n, side in enumerate(sides, start=1):
        attributes = {
            "n": str(n),
            "source": side.source,
            "outlet": side.outlet,
            "published": side.published,
            "describes": side.when,
            "value": side.value,
        }
        rendered = " ".join(f'{k}="{escape_attribute(v)}"' for k, v in attributes.items() if v)
        quote = neutralise(" ".join(side.quote.split()))
        lines.append(f"<passage {rendered}>{quote}</passage>")
    return "\n".join(lines)
