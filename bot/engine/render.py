"""Turn guide content and stored answers into message text (HTML, user text escaped)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from html import escape

from bot.engine.ports import ANSWERED, LATER, NOT_RELEVANT, AnswerRecord, SideRecord
from bot.engine.progress import ProjectProgress, position
from bot.guide.model import Phase, Question, Side, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

SIDE_LABELS = {"sharer": N_("Vi vil dele"), "reuser": N_("Vi vil genbruge")}
SIDE_NAMES = {"sharer": N_("den delende organisation"), "reuser": N_("den genbrugende organisation")}

ANSWER_PREVIEW = 600


def esc(text: str) -> str:
    """Escape text for Telegram HTML."""
    return escape(text, quote=False)


def side_label(t: Translator, role: str) -> str:
    return t.gettext(SIDE_LABELS[role])


def side_display(t: Translator, side: SideRecord) -> str:
    """The organisation's name with its side, e.g. "Aarhus Kommune (Vi vil genbruge)"."""
    label = side_label(t, side.role)
    if side.organisation:
        return t.gettext("{organisation} ({side})").format(organisation=esc(side.organisation), side=label)
    return label


def side_reference(t: Translator, side: SideRecord) -> str:
    """A side as it reads inside a sentence: its organisation, or "the reusing organisation"."""
    return esc(side.organisation) if side.organisation else t.gettext(SIDE_NAMES[side.role])


def g(t: Translator, text: str) -> str:
    """A guide text in the reader's language, escaped."""
    return esc(t.gettext(text))


def phase_heading(t: Translator, phase: Phase) -> str:
    return t.gettext("Fase {number}: {title}").format(number=phase.number, title=g(t, phase.title))


def source_note(t: Translator, tool: Tool) -> str | None:
    """The mark on tools that come from the Norwegian white paper, not from Spredningsguiden."""
    if tool.from_guide:
        return None
    return t.gettext("📘 Tilføjelse fra Meld. St. 30 (2019–2020), kap. 13 – ikke en del af Spredningsguiden.")


def tool_intro(t: Translator, phase: Phase, tool: Tool, role: Side) -> str:
    """A tool's title, lead text and the side's guidance lines."""
    lines = [f"<b>{g(t, tool.title)}</b> · {phase_heading(t, phase)}", "", g(t, tool.intro)]
    note = source_note(t, tool)
    if note:
        lines += ["", note]
    guidance = tool.guidance.get(role, ())
    if guidance:
        lines.append("")
        lines.extend(f"👉 {g(t, line)}" for line in guidance)
    return "\n".join(lines)


def phase_intro(t: Translator, phase: Phase, role: Side) -> str:
    lines = [f"<b>{phase_heading(t, phase)}</b>", f"<i>{g(t, phase.purpose)}</i>"]
    activities = phase.activities.get(role, ())
    if activities:
        lines.append("")
        lines.append(t.gettext("Det skal I som {side}:").format(side=side_label(t, role).lower()))
        lines.extend(f"• {g(t, a)}" for a in activities)
    return "\n".join(lines)


def question_text(
    t: Translator, phase: Phase, question: Question, role: Side, answers: dict[str, AnswerRecord]
) -> str:
    """A question with its hints, its progress line and, when editing, the current answer."""
    tool_no, tools, q_no, questions = position(phase, question, role, answers)
    tool = next(tl for tl in phase.tools if tl.id == question.tool_id)
    progress = t.gettext("{phase} · værktøj {tool_no}/{tools}: {tool} · spørgsmål {q_no}/{questions}").format(
        phase=g(t, phase.title), tool_no=tool_no, tools=tools, tool=g(t, tool.title), q_no=q_no, questions=questions
    )
    lines = [f"<i>{progress}</i>", "", f"<b>{g(t, question.text)}</b>"]
    lines.extend(f"• {g(t, hint)}" for hint in question.hints)
    if question.shared:
        lines.append("")
        lines.append(t.gettext("<i>Begge organisationer svarer på dette spørgsmål, så I kan sammenligne.</i>"))
    hint = kind_hint(t, question)
    if hint:
        lines.append("")
        lines.append(f"<i>{hint}</i>")
    return "\n".join(lines)


def kind_hint(t: Translator, question: Question) -> str | None:
    if question.kind == "text":
        return t.gettext("Skriv jeres svar. I kan også sende dokumenter eller billeder.")
    if question.kind == "scale":
        low = g(t, question.low) if question.low else "1"
        high = g(t, question.high) if question.high else "5"
        return t.gettext("Vælg fra 1 ({low}) til 5 ({high}).").format(low=low, high=high)
    if question.kind == "amount":
        return t.gettext("Skriv et beløb med valuta, fx 250.000 DKK.")
    if question.kind == "date":
        return t.gettext("Skriv en dato, fx 31-12-2026.")
    return t.gettext("Vælg med knapperne.")


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
    for role in ("sharer", "reuser"):
        view = progress.sides[role]
        own = [q for q in tool.questions_for(role) if not q.shared]  # type: ignore[arg-type]
        if not own:
            continue
        lines.append("")
        lines.append(f"<u>{side_display(t, view.side)}</u>")
        for question in own:
            answer = view.answers.get(question.key)
            shown = answer_value(t, question, answer, preview=preview) if answer else t.gettext("<i>Ikke besvaret endnu</i>")
            lines.append(f"<b>{g(t, question.text)}</b>\n{shown}")
    shared = [q for q in tool.questions if q.shared]
    for question in shared:
        lines.append("")
        lines.append(f"<b>{g(t, question.text)}</b>")
        for role in ("sharer", "reuser"):
            view = progress.sides[role]
            answer = view.answers.get(question.key)
            shown = answer_value(t, question, answer, preview=preview) if answer else t.gettext("<i>Ikke besvaret endnu</i>")
            lines.append(f"• {side_display(t, view.side)}: {shown}")
    from bot.engine.insights import tool_insights  # insights build on this module

    extra = tool_insights(t, progress, tool)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines)
