"""Changed answers in a line each: »question«: before → after (who), for a card re-issued after an edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from bot.engine.changes import Change
from bot.engine.records import LATER, NOT_RELEVANT, AnswerRecord
from bot.engine.render.text import esc, g, quoted, short
from bot.guide.model import Question
from bot.i18n import Translator

MAX_CHANGES = 5  # lines on a card; the rest are counted
BRIEF = 80  # characters of an answer's text in a line


def answer_brief(t: Translator, question: Question, answer: AnswerRecord | None) -> str:
    """An answer in a few words: its choice, rating, amount, date, or the start of its text."""
    if answer is None:
        return t.gettext("<i>ikke besvaret</i>")
    if answer.status == NOT_RELEVANT:
        return t.gettext("<i>ikke relevant</i>")
    if answer.status == LATER:
        return t.gettext("<i>sprunget over</i>")
    value = answer.value
    if "choice" in value:
        option = question.option(str(value["choice"]))
        return g(t, option.label) if option else esc(str(value["choice"]))
    if "scale" in value:
        return f"{value['scale']}/5"
    try:
        if "amount" in value:
            return esc(t.amount(Decimal(str(value["amount"])), str(value.get("currency", "DKK"))))
        if "date" in value:
            return esc(t.date(dt.date.fromisoformat(str(value["date"]))))
    except (InvalidOperation, ValueError):
        pass
    if value.get("text"):
        return quoted(t, esc(short(" ".join(str(value["text"]).split()), BRIEF)))
    if value.get("attachments"):
        return "📎 " + esc(short(", ".join(str(a.get("name") or "") for a in value["attachments"]), BRIEF))
    return t.gettext("<i>(tomt svar)</i>")


def change_lines(t: Translator, changes: Sequence[Change], names: dict[int, str]) -> list[str]:
    """A line per changed answer (the first `MAX_CHANGES`), and how many more."""
    lines = []
    for change in changes[:MAX_CHANGES]:
        who = names.get(change.after.author_id or -1)
        line = t.gettext("• {question}: {before} → {after}").format(
            question=quoted(t, esc(short(t.gettext(change.question.text), 70))),
            before=answer_brief(t, change.question, change.before),
            after=answer_brief(t, change.question, change.after))
        lines.append(line + (f" ({esc(who)})" if who else ""))
    if len(changes) > MAX_CHANGES:
        more = len(changes) - MAX_CHANGES
        lines.append(t.ngettext("… og {count} svar mere", "… og {count} svar mere", more).format(count=more))
    return lines
