"""What a button means to a simulated person: the intent it carries, read with the bot's own decoder.

People choose buttons by intent (`intents.SignOff`, a predicate on the intent) or by label, never by
the wire format of the data; a question's kind comes from the guide, never from the wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from types import UnionType

from bot.engine import callbacks, intents
from bot.engine.intents import Intent
from bot.guide.loader import load_guide
from bot.guide.model import Guide, Question

Meaning = type[Intent] | UnionType | Callable[[Intent], bool]
Press = str | Meaning
"""Which button to press: one whose label contains the text, or whose intent is of the type (or one
of the types, `intents.Choose | intents.SkipFollowUp`) or satisfies the predicate."""

TYPED = {"amount": "250000 DKK", "date": "31-12-2026"}  # a valid answer for the kinds that parse typed text


def typed_value(kind: str | None, otherwise: str) -> str:
    """What a person types for a question of `kind`: a valid amount or date, else `otherwise`."""
    return TYPED.get(kind or "", otherwise)


def means(what: Meaning, data: str) -> bool:
    """Whether button `data` carries the intent `what` names."""
    intent = callbacks.decode(data)
    if intent is None:
        return False
    return isinstance(intent, what) if isinstance(what, type | UnionType) else what(intent)


def agreeing(intent: Intent) -> bool:
    """"We agree" on a phase."""
    return isinstance(intent, intents.SignOff) and intent.verdict == intents.AGREE


def closing_confirmed(intent: Intent) -> bool:
    """"Yes, agree and close the project": the last agreement after a no-go, confirmed."""
    return isinstance(intent, intents.SignOff) and intent.verdict == intents.AGREE and intent.confirmed == intents.YES


def wanting_changes(intent: Intent) -> bool:
    """"We want changes" on a phase."""
    return isinstance(intent, intents.SignOff) and intent.verdict == intents.CHANGES


def putting_off(intent: Intent) -> bool:
    """"Later": skipping a question, which stays an open point."""
    return isinstance(intent, intents.Skip) and intent.how == intents.LATER


def not_relevant(intent: Intent) -> bool:
    """"Not relevant for us": an answer that the question does not apply."""
    return isinstance(intent, intents.Skip) and intent.how == intents.NOT_RELEVANT


def adapting(intent: Intent) -> bool:
    """The choice to adapt the innovation rather than adopt it as it is (`adopt_or_adapt`)."""
    return isinstance(intent, intents.Choose) and intent.option == "adapt"


def answer_button(data: Iterable[str]) -> str | None:
    """The button that answers what is asked: the first option of a choice, else skipping a follow-up."""
    decoded = [(d, callbacks.decode(d)) for d in data]
    for kind in (intents.Choose, intents.SkipFollowUp):
        found = next((d for d, intent in decoded if isinstance(intent, kind)), None)
        if found is not None:
            return found
    return None


def skippable_question(data: Iterable[str]) -> str | None:
    """The reference of the question the buttons offer to skip: a question waiting for typed text
    when nothing else answers it (None: no question is open)."""
    return next((i.question or "" for i in map(callbacks.decode, data) if isinstance(i, intents.Skip)), None)


def question_by_ref(guide: Guide, ref: str | None) -> Question | None:
    """The question a button's reference (`callbacks.question_ref`) names."""
    return _by_ref(guide).get(ref or "")


def kind_of(guide: Guide, key: str | None) -> str | None:
    """The kind of the question with `key` ("text", "amount", …), None for no (or no guide) question."""
    return guide.question(key).kind if key is not None and guide.has_question(key) else None


_REFS: dict[int, tuple[Guide, dict[str, Question]]] = {}  # id(guide) -> the guide (kept alive) and its refs


def _by_ref(guide: Guide) -> dict[str, Question]:
    if id(guide) not in _REFS:
        _REFS[id(guide)] = (guide, {callbacks.question_ref(q.key): q for q in guide.all_questions()})
    return _REFS[id(guide)][1]


@cache
def default_guide() -> Guide:
    """The guide as `dialogs/` has it, loaded once."""
    return load_guide()
