"""Stored answers as text: one answer, one side's answers to a tool, both sides side by side."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from bot.engine.progress import ProjectProgress
from bot.engine.records import ANSWERED, LATER, NOT_RELEVANT, AnswerRecord
from bot.engine.render.insights import tool_insights
from bot.engine.render.text import esc, g, side_display, source_note
from bot.guide.model import SIDES, Question, Side, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

ANSWER_PREVIEW = 600
HIDDEN = N_("🔒 Vises, når I er nået til dette værktøj")


def answer_value(t: Translator, question: Question | None, answer: AnswerRecord, preview: bool = False) -> str:
    """An answer as text: the choice, number, date, text and attachments."""
    if answer.status == NOT_RELEVANT:
        return t.gettext("<i>Ikke relevant for os</i>")
    if answer.status == LATER:
        return t.gettext("<i>Sprunget over – vender tilbage senere</i>")
    value = answer.value
    parts: list[str] = []
    if "choice" in value and question is not None:
        option = question.option(str(value["choice"]))
        parts.append(f"<b>{g(t, option.label) if option else esc(str(value['choice']))}</b>")
    if "scale" in value:
        parts.append(f"<b>{value['scale']}/5</b>")
    if "amount" in value:
        try:
            amount = Decimal(str(value["amount"]))
            parts.append(f"<b>{esc(t.amount(amount, str(value.get('currency', 'DKK'))))}</b>")
        except (InvalidOperation, ValueError):
            parts.append(esc(str(value["amount"])))
    if "date" in value:
        try:
            parts.append(f"<b>{esc(t.date(dt.date.fromisoformat(str(value['date']))))}</b>")
        except ValueError:
            parts.append(esc(str(value["date"])))
    text = value.get("text")
    if text:
        if preview and len(text) > ANSWER_PREVIEW:
            text = text[:ANSWER_PREVIEW].rstrip() + " …"
        parts.append(esc(text))
    attachments = value.get("attachments") or []
    if attachments:
        names = [esc(a.get("name") or t.gettext("billede")) for a in attachments]
        parts.append("📎 " + ", ".join(names))
    return " – ".join(parts) if parts else t.gettext("<i>(tomt svar)</i>")


def answers_of_tool(
    t: Translator, tool: Tool, role: Side, answers: dict[str, AnswerRecord], authors: dict[int, str]
) -> str:
    """One side's answers to a tool, question by question."""
    lines = [f"<b>{g(t, tool.title)}</b>"]
    for question in tool.questions_for(role):
        answer = answers.get(question.key)
        lines.append("")
        lines.append(f"<b>{g(t, question.text)}</b>")
        if answer is None:
            lines.append(t.gettext("<i>Ikke besvaret endnu</i>"))
            continue
        lines.append(answer_value(t, question, answer))
        if answer.status == ANSWERED and answer.author_id in authors:
            when = t.date(answer.created_at.date())
            lines.append(t.gettext("<i>– {author}, {date}</i>").format(author=esc(authors[answer.author_id]), date=when))
    return "\n".join(lines)


def compare_tool(t: Translator, progress: ProjectProgress, tool: Tool, preview: bool = True) -> str:
    """Both sides' answers to a tool, side by side (long answers trimmed when `preview`)."""
    lines = [f"<b>{g(t, tool.title)}</b>"]
    note = source_note(t, tool)
    if note:
        lines.append(f"<i>{note}</i>")
    for role in SIDES:
        view = progress.sides[role]
        own = [q for q in tool.questions_for(role) if not q.shared]
        if not own:
            continue
        lines.append("")
        lines.append(f"<u>{side_display(t, view.side)}</u>")
        if progress.hidden(role, tool):
            lines.append(f"<i>{t.gettext(HIDDEN)}</i>")
            continue
        for question in own:
            answer = view.answers.get(question.key)
            shown = answer_value(t, question, answer, preview=preview) if answer else t.gettext("<i>Ikke besvaret endnu</i>")
            lines.append(f"<b>{g(t, question.text)}</b>\n{shown}")
    shared = [q for q in tool.questions if q.shared]
    for question in shared:
        lines.append("")
        lines.append(f"<b>{g(t, question.text)}</b>")
        for role in SIDES:
            view = progress.sides[role]
            answer = view.answers.get(question.key)
            shown = answer_value(t, question, answer, preview=preview) if answer else t.gettext("<i>Ikke besvaret endnu</i>")
            if progress.hidden(role, tool):
                shown = f"<i>{t.gettext(HIDDEN)}</i>"
            lines.append(f"• {side_display(t, view.side)}: {shown}")
    extra = tool_insights(t, progress, tool)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines)
