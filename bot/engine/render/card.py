"""The phase card: what both sides need to sign off a phase, in a message people read (≤ ~1,200 chars)."""

from __future__ import annotations

import hashlib

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Button
from bot.engine.progress import ProjectProgress, side_questions
from bot.engine.records import AGREE, ANSWERED, SignoffRecord
from bot.engine.render.insights import factor, format_totals, scale_of, totals
from bot.engine.render.summary import decision_lines
from bot.engine.render.text import esc, g, phase_heading, short, side_display
from bot.guide.model import SIDES, Phase, Question, Side
from bot.i18n import Translator

Buttons = tuple[tuple[Button, ...], ...]
MAX_DIFFERENCES = 3  # with the names and notes cut short, a card stays within about 1,200 characters


def card_version(progress: ProjectProgress, phase: Phase) -> str:
    """A short name for the answers a phase card shows (a new version is a new card)."""
    return hashlib.sha1(",".join(map(str, progress.revision_ids(phase))).encode()).hexdigest()[:8]


def card_key(project_id: int, phase_id: str, chat: str, version: str = "") -> str:
    """The key of the phase card sent to a chat (without `version`: a prefix for any version)."""
    return f"card:{project_id}:{phase_id}:{chat}:{version}"


def signoff_buttons(t: Translator, project_id: int, phase: Phase, summary: bool = True, web: bool = False) -> Buttons:
    """Agree, ask for changes; the whole summary and the answers tool by tool, to read first; and,
    when the web page is served, the button that gives the reader their personal link to it."""
    rows: list[tuple[Button, ...]] = [(
        Button(t.gettext("✅ Vi er enige"), cb.encode(intents.SignOff(project_id, phase.id, "a"))),
        Button(t.gettext("✏️ Vi ønsker ændringer"), cb.encode(intents.SignOff(project_id, phase.id, "c"))))]
    if summary:
        rows.append((Button(t.gettext("📄 Hele opsummeringen"), cb.encode(intents.ShowSummary(project_id, phase.id))),
                     Button(t.gettext("🔍 Svarene pr. værktøj"), cb.encode(intents.Compare(project_id)))))
    if web:
        rows.append((Button(t.gettext("🌐 Se det hele på nettet"), cb.encode(intents.WebLink(project_id))),))
    return tuple(rows)


def phase_card(t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord],
               names: dict[int, str], outdated: bool = False, web: bool = False) -> tuple[str, Buttons]:
    """The short summary of a phase both sides have answered, with the sign-off buttons."""
    intro = (
        t.gettext("⚠️ Et svar i {phase} er ændret, efter I havde aftalt fasen. Bekræft venligst aftalen igen.")
        if outdated
        else t.gettext("📋 Begge organisationer har svaret på alle spørgsmål i {phase}. Her er det vigtigste.")
    )
    lines = [f"<b>{esc(short(progress.project.name, 80))}</b>", intro.format(phase=phase_heading(t, phase))]
    decisions = decision_lines(t, progress, phase)
    if decisions:
        lines += ["", t.gettext("<b>Beslutninger</b>"), *decisions]
    lines += ["", t.gettext("<b>Svar</b>"), *answer_counts(t, progress, phase)]
    differences = largest_differences(t, progress, phase)
    if differences:
        lines += ["", t.gettext("<b>Største forskelle</b>"), *differences]
    if any(tool.benefits for tool in phase.tools):
        kind = "outcome" if any(tool.benefits == "outcome" for tool in phase.tools) else "plan"
        lines += ["", t.gettext("<b>Gevinster</b>")]
        lines += [f"• {side_display(t, progress.sides[role].side)}: {format_totals(t, totals(progress, role, kind))}"
                  for role in SIDES if role in progress.sides]
    lines += signoff_status(t, progress, phase, signoffs, names)
    return "\n".join(lines), signoff_buttons(t, progress.project.id, phase, web=web)


def answer_counts(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    """How many questions each side answered and how many stay open (skipped, not relevant)."""
    lines = []
    for role, view in progress.sides.items():
        asked = side_questions(phase, role, view.answers)
        answered = sum(1 for q in asked if q.key in view.answers and view.answers[q.key].status == ANSWERED)
        lines.append(t.gettext("• {side}: {answered} besvaret, {open} åbne").format(
            side=side_display(t, view.side), answered=answered, open=len(asked) - answered))
    return lines


def largest_differences(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    """Ratings two or more points apart, and different choices to the questions both sides were asked."""
    if len(progress.sides) < 2:
        return []
    found: list[tuple[int, str]] = []
    for tool in phase.tools:
        for question in tool.questions:
            if not question.shared:
                continue
            if question.kind == "scale":
                a, b = scale_of(progress, "sharer", question), scale_of(progress, "reuser", question)
                if a is not None and b is not None and abs(a - b) >= 2:
                    found.append((abs(a - b), f"• {factor(t, question)}: {a} · {b}"))
            elif question.kind in ("choice", "yes_no"):
                chosen = [chosen_label(t, progress, role, question) for role in SIDES]
                if None not in chosen and chosen[0] != chosen[1]:
                    found.append((1, f"• {short(g(t, question.text), 70)}: {chosen[0]} · {chosen[1]}"))
    found.sort(key=lambda item: -item[0])
    if not found:
        return []
    names = " · ".join(side_display(t, progress.sides[role].side) for role in SIDES)
    return [f"<i>{names}</i>", *(line for _, line in found[:MAX_DIFFERENCES])]


def chosen_label(t: Translator, progress: ProjectProgress, role: Side, question: Question) -> str | None:
    answer = progress.sides[role].answers.get(question.key)
    if answer is None or answer.status != ANSWERED:
        return None
    option = question.option(str(answer.value.get("choice")))
    return g(t, option.label) if option else None


def signoff_status(t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord],
                   names: dict[int, str]) -> list[str]:
    """Who has taken a stand on the answers as they are now (nothing when nobody has)."""
    latest = progress.latest_signoffs(signoffs, phase.id)
    current = progress.revision_ids(phase)
    lines = []
    for view in progress.sides.values():
        signoff = latest.get(view.side.id)
        if signoff is None or tuple(sorted(signoff.revision_ids)) != current:
            continue
        name = esc(names.get(signoff.person_id or -1, t.gettext("tidligere medlem")))
        if signoff.verdict == AGREE:
            lines.append(t.gettext("✅ {side} er enige ({name}).").format(side=side_display(t, view.side), name=name))
        else:
            lines.append(t.gettext("✏️ {side} ønsker ændringer ({name}): {note}").format(
                side=side_display(t, view.side), name=name, note=esc(short(signoff.note or "", 200))))
    return [""] + lines if lines else []
