"""Phase summaries: both sides' answers tool by tool, open points, decisions and sign-offs."""

from __future__ import annotations

from bot.engine.progress import ProjectProgress, open_questions
from bot.engine.records import AGREE, LATER, SignoffRecord
from bot.engine.render.answers import compare_tool
from bot.engine.render.text import esc, g, phase_heading, side_display
from bot.guide.model import Phase
from bot.i18n import Translator


def phase_summary(
    t: Translator,
    progress: ProjectProgress,
    phase: Phase,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
) -> str:
    """The complete summary of one phase for a reader in `t`'s language."""
    lines = [
        t.gettext("<b>Opsummering · {phase}</b>").format(phase=phase_heading(t, phase)),
        t.gettext("Projekt: {name}").format(name=esc(progress.project.name)),
    ]
    for tool in phase.tools:
        lines.append("")
        lines.append(compare_tool(t, progress, tool, without_open=True))
    lines.append("")
    lines.append(t.gettext("<b>Åbne punkter</b>"))
    open_points = []
    for role, view in progress.sides.items():
        for question in open_questions(phase, role, view.answers):
            if progress.hidden(role, question):
                continue
            open_points.append(
                t.gettext("{side}: {question} (ikke besvaret)").format(
                    side=side_display(t, view.side), question=g(t, question.text)
                )
            )
        for tool in phase.tools:
            for question in tool.questions_for(role):
                answer = view.answers.get(question.key)
                if answer is not None and answer.status == LATER:  # "not relevant" is an answer, not open
                    open_points.append(
                        t.gettext("{side}: {question} (sprunget over til senere)").format(
                            side=side_display(t, view.side), question=g(t, question.text)
                        )
                    )
    if open_points:
        lines.extend(f"• {point}" for point in open_points)
    else:
        lines.append(t.gettext("Ingen."))
    decisions = decision_lines(t, progress, phase)
    if decisions:
        lines.append("")
        lines.append(t.gettext("<b>Beslutninger</b>"))
        lines.extend(decisions)
    lines.append("")
    lines.append(t.gettext("<b>Godkendelse</b>"))
    lines.extend(signoff_lines(t, progress, phase, signoffs, names))
    return "\n".join(lines)


def decision_lines(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    lines = []
    for tool in phase.tools:
        for question in tool.questions:
            if not question.decision:
                continue
            for role, view in progress.sides.items():
                if progress.hidden(role, tool):
                    continue
                answer = view.answers.get(question.key)
                option = question.option(str(answer.value.get("choice"))) if answer else None
                chosen = g(t, option.label) if option else t.gettext("ikke besluttet endnu")
                lines.append(f"• {side_display(t, view.side)}: {chosen}")
    return lines


def signoff_lines(
    t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord], names: dict[int, str]
) -> list[str]:
    """Who agreed when, who asked for changes, and whether an agreement is outdated."""
    lines = []
    agreement = progress.agreement(phase.id)
    if agreement is not None:
        when = t.datetime(agreement.created_at)
        if progress.is_outdated(agreement):
            lines.append(
                t.gettext("⚠️ Aftalt {when}, men svar er ændret siden – skal bekræftes igen.").format(when=when)
            )
        else:
            lines.append(t.gettext("✅ Aftalt af begge organisationer {when}.").format(when=when))
    latest = progress.latest_signoffs(signoffs, phase.id)
    for view in progress.sides.values():
        signoff = latest.get(view.side.id)
        who = side_display(t, view.side)
        if signoff is None:
            lines.append(t.gettext("• {side}: har ikke taget stilling endnu").format(side=who))
            continue
        name = esc(names.get(signoff.person_id or -1, t.gettext("tidligere medlem")))
        when = t.datetime(signoff.created_at)
        if signoff.verdict == AGREE:
            lines.append(t.gettext("• {side}: enig – {name}, {when}").format(side=who, name=name, when=when))
        else:
            lines.append(
                t.gettext("• {side}: ønsker ændringer – {name}, {when}: {note}").format(
                    side=who, name=name, when=when, note=esc(signoff.note or "")
                )
            )
    return lines
