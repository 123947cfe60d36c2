"""Stored answers as text: one answer, one side's answers to a tool, both sides side by side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from bot.engine.authorship import authors_of, named_parts
from bot.engine.progress import ProjectProgress, applies
from bot.engine.records import ANSWERED, LATER, NOT_RELEVANT, AnswerRecord
from bot.engine.render.insights import tool_insights
from bot.engine.render.text import esc, g, quoted, side_display, source_note
from bot.guide.model import SIDES, Guide, Option, Question, Side, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

ANSWER_PREVIEW = 600
HIDDEN = N_("🔒 Vises, når I er nået til dette værktøj")


def answer_value(t: Translator, question: Question | None, answer: AnswerRecord, preview: bool = False,
                 authors: Mapping[int, str] | None = None) -> str:
    """An answer as text: the choice, number, date, text and attachments; with `authors`, a text
    several people wrote shows each part with its author."""
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
    written = named_parts(answer, authors, t.gettext("et teammedlem")) if authors is not None else []
    if text and written and not (preview and len(text) > ANSWER_PREVIEW):
        parts.append("\n\n".join(f"{esc(part)}\n<i>({esc(name)})</i>" for name, part in written))
    elif text:
        if preview and len(text) > ANSWER_PREVIEW:
            text = text[:ANSWER_PREVIEW].rstrip() + " …"
        parts.append(esc(text))
    attachments = value.get("attachments") or []
    if attachments:
        names = [esc(a.get("name") or t.gettext("billede")) for a in attachments]
        parts.append("📎 " + ", ".join(names))
    return " – ".join(parts) if parts else t.gettext("<i>(tomt svar)</i>")


def answers_of_tool(
    t: Translator, guide: Guide, tool: Tool, role: Side, answers: dict[str, AnswerRecord], authors: dict[int, str]
) -> str:
    """One side's answers to a tool, question by question."""
    lines = [f"<b>{g(t, tool.title)}</b>"]
    skipped = not_asked(tool, answers)
    for question in tool.questions_for(role):
        if question.key in skipped:
            continue
        answer = answers.get(question.key)
        lines.append("")
        lines.append(f"<b>{g(t, question.text)}</b>")
        if answer is None:
            lines.append(t.gettext("<i>Ikke besvaret endnu</i>"))
            continue
        lines.append(answer_value(t, question, answer, authors=authors))
        who = [authors[i] for i in authors_of(answer) if i in authors]
        if answer.status == ANSWERED and who:
            when = t.date(answer.created_at.date())
            lines.append(t.gettext("<i>– {author}, {date}</i>").format(author=esc(t.join(who)), date=when))
    if skipped:
        lines += ["", not_asked_line(t, guide, tool, answers, len(skipped))]
    return "\n".join(lines)


def not_asked(tool: Tool, answers: dict[str, AnswerRecord]) -> set[str]:
    """The tool's questions a side is not asked because of an earlier answer (e.g. the benefits plan
    that a side makes in Høst instead)."""
    return {q.key for q in tool.questions
            if q.when is not None and q.key not in answers and q.when.question in answers
            and answers[q.when.question].status == ANSWERED and not applies(q, answers)}


def open_keys(tool: Tool, role: Side, answers: dict[str, AnswerRecord]) -> set[str]:
    """The tool's questions to `role` without an answer yet (put off, or not reached)."""
    return {q.key for q in tool.questions_for(role) if q.key not in answers or answers[q.key].status == LATER}


def not_asked_after(guide: Guide, tool: Tool, answers: dict[str, AnswerRecord]) -> tuple[str, Option | None]:
    """The earlier answer that leaves the tool's remaining questions unasked: its choice, and that
    choice's option (its question may be in another tool, as the Høst plan's draft is)."""
    key = next(q.when.question for q in tool.questions if q.when is not None and q.key not in answers)
    record = answers.get(key)
    choice = str(record.value.get("choice", "")) if record is not None else ""
    earlier = guide.question(key) if guide.has_question(key) else None
    return choice, earlier.option(choice) if earlier is not None else None


def not_asked_line(t: Translator, guide: Guide, tool: Tool, answers: dict[str, AnswerRecord], count: int) -> str:
    """One line instead of a "not answered yet" per question a side was not asked, quoting the
    earlier answer by its option's label."""
    choice, option = not_asked_after(guide, tool, answers)
    label = g(t, option.label) if option else esc(choice)
    return t.ngettext("<i>{count} spørgsmål stilles ikke efter svaret {answer}.</i>",
                      "<i>{count} spørgsmål stilles ikke efter svaret {answer}.</i>", count).format(
        count=count, answer=quoted(t, label))


def compare_tool(t: Translator, progress: ProjectProgress, tool: Tool, preview: bool = True,
                 without_open: bool = False) -> str:
    """Both sides' answers to a tool, side by side (long answers trimmed when `preview`; questions still
    open left out when `without_open`, as a summary lists them once, under open points)."""
    lines = [f"<b>{g(t, tool.title)}</b>"]
    unasked = {role: not_asked(tool, progress.sides[role].answers) for role in SIDES}
    skipped = {role: unasked[role] | (open_keys(tool, role, progress.sides[role].answers)
                                      if without_open and not progress.hidden(role, tool) else set())
               for role in SIDES}
    note = source_note(t, tool)
    if note:
        lines.append(f"<i>{note}</i>")
    for role in SIDES:
        view = progress.sides[role]
        own = [q for q in tool.questions_for(role) if not q.shared and q.key not in skipped[role]]
        if not own:
            continue
        lines.append("")
        lines.append(f"<u>{side_display(t, view.side)}</u>")
        if progress.hidden(role, tool):
            lines.append(f"<i>{t.gettext(HIDDEN)}</i>")
            continue
        for question in own:
            answer = view.answers.get(question.key)
            shown = (
                answer_value(t, question, answer, preview=preview)
                if answer
                else t.gettext("<i>Ikke besvaret endnu</i>")
            )
            lines.append(f"<b>{g(t, question.text)}</b>\n{shown}")
    shared = [q for q in tool.questions if q.shared]
    for question in shared:
        asked = [role for role in SIDES if question.key not in skipped[role]]
        if not asked:
            continue
        lines.append("")
        lines.append(f"<b>{g(t, question.text)}</b>")
        for role in asked:
            view = progress.sides[role]
            answer = view.answers.get(question.key)
            shown = (
                answer_value(t, question, answer, preview=preview)
                if answer
                else t.gettext("<i>Ikke besvaret endnu</i>")
            )
            if progress.hidden(role, tool):
                shown = f"<i>{t.gettext(HIDDEN)}</i>"
            lines.append(f"• {side_display(t, view.side)}: {shown}")
    for role in SIDES:
        if unasked[role]:
            view = progress.sides[role]
            line = not_asked_line(t, progress.guide, tool, view.answers, len(unasked[role]))
            lines += ["", f"{side_display(t, view.side)}: " + line]
    extra = tool_insights(t, progress, tool)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines)
