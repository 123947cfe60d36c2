"""/todo: what waits on me across my projects – questions, decisions, sign-offs – one tap to each."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.progress import ProjectProgress, later_questions, open_questions
from bot.engine.records import CHANGES, SideRecord
from bot.engine.render.text import esc, fit_button, g, phase_heading, short, side_reference
from bot.engine.turn import Turn
from bot.guide.model import other_side
from bot.i18n import Translator

MAX_PROJECTS = 20


def cmd_todo(turn: Turn) -> None:
    """What waits on this person's side in each open project, with a button to go on there."""
    t = turn.t
    if turn.in_group:
        scope = turn.scope_or_explain()
        memberships = [(scope.project, scope.side)] if scope is not None else []
    else:
        memberships = list(turn.uow.members.memberships(turn.person.id))
    if not memberships:
        if not turn.in_group:
            turn.no_project()
        return
    lines = [t.gettext("<b>Det venter på jer</b>")]
    rows = []
    for project, side in [(p, s) for p, s in memberships if p.closed_at is None][:MAX_PROJECTS]:
        items = waiting_on(t, turn.known.progress(project), side, turn)
        if items:
            lines.append(f"\n<b>{esc(project.name)}</b>")
            lines += [f"• {item}" for item in items]
            rows.append(
                [
                    turn.button(
                        fit_button(t.gettext("▶ {project}").format(project=project.name)), intents.Continue(project.id)
                    )
                ]
            )
    if not rows:
        turn.say(t.gettext("✅ Intet venter på jer lige nu. Jeg giver besked, når der sker noget."))
        return
    turn.say("\n".join(lines), rows)


def waiting_on(t: Translator, progress: ProjectProgress, side: SideRecord, turn: Turn) -> list[str]:
    """What a side has to do in a project now (nothing when it waits for the other side)."""
    items = [
        t.gettext("Bekræft {phase} igen: et svar er ændret, efter I aftalte fasen.").format(phase=phase_heading(t, p))
        for p in progress.outdated_phases()
    ]
    phase = progress.current_phase()
    if phase is None:
        return items
    role = side.role
    answers = progress.view(role).answers
    remaining = open_questions(phase, role, answers)
    if remaining:
        items.append(t.ngettext("{count} spørgsmål i {phase}, det næste: »{question}«",
                                "{count} spørgsmål i {phase}, det næste: »{question}«", len(remaining)).format(
            count=len(remaining), phase=phase_heading(t, phase), question=short(g(t, remaining[0].text), 80)))
    later = later_questions(phase, role, answers)
    if later:
        items.append(
            t.ngettext(
                "{count} spørgsmål sprunget over til senere", "{count} spørgsmål sprunget over til senere", len(later)
            ).format(count=len(later))
        )
    for decision in progress.blocking_decisions(phase, role):
        if not remaining or decision.key != remaining[0].key:
            items.append(t.gettext("Jeres beslutning mangler: »{question}«").format(question=g(t, decision.text)))
    if remaining or not progress.both_finished(phase):
        return items
    signoffs = list(turn.uow.signoffs.of_phase(progress.project.id, phase.id))
    latest = progress.latest_signoffs(signoffs, phase.id)
    other = progress.view(other_side(role)).side
    theirs = latest.get(other.id)
    if theirs is not None and theirs.verdict == CHANGES:
        items.append(t.gettext("{other} har bedt om ændringer: »{note}«").format(
            other=side_reference(t, other), note=esc(short(theirs.note or "", 200))))
    ours = latest.get(side.id)
    current = progress.revision_ids(phase)
    if ours is None or tuple(sorted(ours.revision_ids)) != current:  # not signed off, or answers changed since
        items.append(t.gettext("Godkend {phase}, eller bed om ændringer").format(phase=phase_heading(t, phase)))
    return items
