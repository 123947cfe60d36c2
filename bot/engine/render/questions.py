"""A question as it is asked: the phase and tool introductions, the progress line and the hints."""

from __future__ import annotations

from bot.engine.progress import position
from bot.engine.records import AnswerRecord
from bot.engine.render.text import esc, g, phase_heading, short, source_note
from bot.guide.model import Phase, Question, Side, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

# The heading over a side's activities at the start of a phase.
ACTIVITIES = {"sharer": N_("Det skal I som den delende organisation:"),
              "reuser": N_("Det skal I som den genbrugende organisation:")}


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
        lines.append(t.gettext(ACTIVITIES[role]))
        lines.extend(f"• {g(t, a)}" for a in activities)
    return "\n".join(lines)


def question_text(
    t: Translator, phase: Phase, question: Question, role: Side, answers: dict[str, AnswerRecord], project: str = ""
) -> str:
    """A question with its hints and its progress line, headed by the project's name (a person in two
    projects sees which one asks)."""
    tool_no, tools, q_no, questions = position(phase, question, role, answers)
    tool = next(tl for tl in phase.tools if tl.id == question.tool_id)
    progress = t.gettext("{phase} · værktøj {tool_no}/{tools}: {tool} · spørgsmål {q_no}/{questions}").format(
        phase=g(t, phase.title), tool_no=tool_no, tools=tools, tool=g(t, tool.title), q_no=q_no, questions=questions
    )
    head = f"<i>{esc(short(project, 60))} · {progress}</i>" if project else f"<i>{progress}</i>"
    lines = [head, "", f"<b>{g(t, question.text)}</b>"]
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
