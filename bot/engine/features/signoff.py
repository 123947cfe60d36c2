"""Signing off a phase: agreeing, or asking for changes with a note.

When both sides agree the same answers the phase is agreed; after a no-go in Tjek the project closes."""

from __future__ import annotations

from bot.engine import callbacks as cb
from bot.engine.audience import notify
from bot.engine.flow import ask_signoff, present_next, typing_scope
from bot.engine.model import Button, TextInput
from bot.engine.progress import ProjectProgress
from bot.engine.recording import stale_when_phase_done
from bot.engine.records import AGREE, CHANGES
from bot.engine.render.nudges import agreed_message, closing_message
from bot.engine.render.text import esc, phase_heading, side_display, side_reference
from bot.engine.turn import ChatState, Mode, Scope, Turn
from bot.guide.model import Phase, other_side

MAX_NOTE = 2000


def signoff_button(turn: Turn, scope: Scope, data: cb.Data) -> None:
    """"We agree" (a) or "We want changes" (c) on a phase."""
    t = turn.t
    phase_id, verdict = data.arg(0), data.arg(1)
    if phase_id is None or not turn.guide.has_phase(phase_id) or verdict not in ("a", "c"):
        turn.stale_button()
        return
    progress = turn.progress(scope.project)
    phase = turn.guide.phase(phase_id)
    if scope.project.closed_at is not None or not progress.both_finished(phase):
        turn.stale_button()
        return
    agreement = progress.agreement(phase.id)
    if agreement is not None and not progress.is_outdated(agreement):
        turn.notice = t.gettext("Fasen er allerede aftalt.")
        turn.say(turn.notice)
        return
    decisions = progress.blocking_decisions(phase, scope.role)
    if verdict == "a" and decisions:
        turn.notice = t.gettext("Før I kan godkende {phase}, skal I træffe jeres beslutning.").format(phase=phase_heading(t, phase))
        ask_signoff(turn, scope, progress, phase)
        return
    if verdict == "c":
        turn.set_state(ChatState(Mode.CHANGE_NOTE, project=scope.project.id, phase=phase.id))
        turn.say(t.gettext("Hvad ønsker I ændret? Skriv en kort note til den anden organisation."))
        return
    agree(turn, scope, progress, phase)


def agree(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase) -> None:
    """The side agrees the phase's answers as they are; with the other side's agreement, the phase is agreed."""
    t = turn.t
    revisions = progress.revision_ids(phase)
    turn.uow.signoffs.add(scope.project.id, phase.id, scope.side.id, turn.person.id, AGREE, None, revisions, turn.now)
    signoffs = list(turn.uow.signoffs.of_phase(scope.project.id, phase.id))
    other = progress.view(other_side(scope.role)).side
    own = scope.side
    project = scope.project
    if not progress.agreed_now(signoffs, phase):
        turn.say(t.gettext("✅ I har godkendt {phase}. Vi venter på {other}.").format(
            phase=phase_heading(t, phase), other=side_reference(t, other)))
        notify(turn, other, lambda tr: (tr.gettext("✅ {side} har godkendt {phase}. Nu mangler I at tage stilling.").format(
            side=side_display(tr, own), phase=phase_heading(tr, phase)),
            ((Button(tr.gettext("📄 Se opsummering"), cb.encode(cb.SUMMARY, project.id, phase.id)),),)))
        name = turn.person.name
        notify(turn, own, lambda tr: (tr.gettext("✅ {name} har godkendt {phase} for jer.").format(
            name=esc(name), phase=phase_heading(tr, phase)), ()))
        return
    latest = progress.latest_signoffs(signoffs, phase.id)
    turn.uow.signoffs.add_agreement(project.id, phase.id, revisions, tuple(s.id for s in latest.values()), turn.now)
    turn.uow.outbox.drop_pending(project.id, stale_when_phase_done(phase))
    progress = turn.refresh(project)
    if phase.id == "check" and progress.no_go():
        turn.uow.projects.update(project.id, closed_at=turn.now, closed_reason="no_go")
        progress = turn.refresh(project)
        final = list(turn.uow.signoffs.of_phase(project.id, phase.id))
        names = turn.names(final)
        for side in (own, other):
            notify(turn, side, lambda tr: closing_message(tr, progress, phase, final, names), include_self=not turn.in_group)
        if turn.in_group:
            text, _ = closing_message(t, progress, phase, final, names)
            turn.say(text)
        return
    for side in (own, other):
        notify(turn, side, lambda tr: agreed_message(tr, progress, phase), include_self=False)
    text, buttons = agreed_message(t, progress, phase)
    turn.say(text, buttons)


def change_note_typed(turn: Turn, event: TextInput) -> None:
    """The note of a side that wants changes before it agrees."""
    scope = typing_scope(turn)
    if scope is None:
        return
    progress = turn.progress(scope.project)
    t = turn.t
    note = event.text.strip()
    phase_id = turn.state.phase or ""
    if not turn.guide.has_phase(phase_id):
        turn.clear_state()
        present_next(turn, scope)
        return
    if not note:
        turn.say(t.gettext("Skriv en kort note om, hvad I ønsker ændret."))
        return
    phase = turn.guide.phase(phase_id)
    turn.clear_state()
    turn.uow.signoffs.add(scope.project.id, phase.id, scope.side.id, turn.person.id, CHANGES, note[:MAX_NOTE],
                         progress.revision_ids(phase), turn.now)
    other = progress.view(other_side(scope.role)).side
    own = scope.side
    project_id = scope.project.id
    turn.say(t.gettext("✓ Jeres ønske om ændringer er sendt. I kan rette jeres egne svar med /mine."))
    notify(turn, other, lambda tr: (tr.gettext("✏️ {side} ønsker ændringer i {phase}:\n»{note}«\nRet jeres svar med /mine, og godkend derefter igen.").format(
        side=side_display(tr, own), phase=phase_heading(tr, phase), note=esc(note[:MAX_NOTE])),
        ((Button(tr.gettext("📋 Vores svar"), cb.encode(cb.MINE, project_id)),
          Button(tr.gettext("✅ Vi er enige"), cb.encode(cb.SIGNOFF, project_id, phase.id, "a"))),)))
