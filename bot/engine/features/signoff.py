"""Signing off a phase: agreeing, or asking for changes with a note.

When both sides agree the same answers the phase is agreed; after a no-go in Tjek the project closes."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import events, intents
from bot.engine.flow import ask_signoff, present_next, typing_scope
from bot.engine.intents import Typed
from bot.engine.progress import CHECK_PHASE, ProjectProgress, agreeing_closes, agrees_to
from bot.engine.records import AGREE, CHANGES
from bot.engine.render.card import agreement_consequence, card_version
from bot.engine.render.nudges import agreed_message, closing_message
from bot.engine.render.text import esc, phase_heading, short, side_display, side_reference
from bot.engine.turn import ChatState, Mode, Scope, Turn
from bot.guide.model import Phase, other_side

MAX_NOTE = 2000


def signoff_button(turn: Turn, scope: Scope, intent: intents.SignOff) -> None:
    """"We agree" or "We want changes" on a phase (the note asked for next, unless given with it)."""
    t = turn.t
    phase_id, verdict = intent.phase, intent.verdict
    if phase_id is None or not turn.guide.has_phase(phase_id) or verdict not in (intents.AGREE, intents.CHANGES):
        turn.stale_button()
        return
    progress = turn.known.progress(scope.project)
    phase = turn.guide.phase(phase_id)
    if scope.project.closed_at is not None or not progress.both_finished(phase):
        turn.stale_button()
        return
    agreement = progress.agreement(phase.id)
    if agreement is not None and not progress.is_outdated(agreement):
        turn.notice = t.gettext("Fasen er allerede aftalt.")
        turn.say(turn.notice)
        return
    if intent.version != card_version(progress, phase):
        # Pressed on a card of answers since changed (or a button of before cards had versions).
        turn.notice = t.gettext("Svarene er ændret, siden kortet blev sendt. Her er de, som de er nu.")
        turn.say("⚠️ " + turn.notice)
        ask_signoff(turn, scope, progress, phase, fresh=True)
        return
    decisions = progress.blocking_decisions(phase, scope.role)
    if verdict == intents.AGREE and decisions:
        turn.notice = t.gettext("Før I kan godkende {phase}, skal I træffe jeres beslutning.").format(
            phase=phase_heading(t, phase)
        )
        ask_signoff(turn, scope, progress, phase)
        return
    if verdict == intents.CHANGES and intent.note is not None and intent.note.strip():
        request_changes(turn, scope, progress, phase, intent.note.strip())
        return
    if verdict == intents.CHANGES:
        turn.set_state(ChatState(Mode.CHANGE_NOTE, project=scope.project.id, phase=phase.id))
        turn.say(t.gettext("Hvad ønsker I ændret? Skriv en kort note til den anden organisation."))
        return
    agree(turn, scope, progress, phase, intent)


def agree(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase, intent: intents.SignOff) -> None:
    """The side agrees the phase's answers as they are; with the other side's agreement, the phase is agreed."""
    t = turn.t
    revisions = progress.revision_ids(phase)
    other = progress.view(other_side(scope.role)).side
    signoffs = list(turn.uow.signoffs.of_phase(scope.project.id, phase.id))
    already = progress.latest_signoffs(signoffs, phase.id).get(scope.side.id)
    if already is not None and agrees_to(already, revisions):
        # A double tap, or a teammate pressing the same card: one sign-off, and the news went out once.
        turn.notice = t.gettext("I har allerede godkendt {phase}. Vi venter på {other}.").format(
            phase=phase_heading(t, phase), other=side_reference(t, other))
        turn.say(turn.notice)
        return
    if intent.confirmed != intents.YES and agreeing_closes(progress, signoffs, phase, scope.role):
        confirm_closing(turn, scope, progress, phase, intent)
        return
    signoffs.append(turn.uow.signoffs.add(scope.project.id, phase.id, scope.side.id, turn.person.id, AGREE, None,
                                          revisions, turn.now))
    own = scope.side
    project = scope.project
    if not progress.agreed_now(signoffs, phase):
        turn.say(t.gettext("✅ I har godkendt {phase}. Vi venter på {other}.").format(
            phase=phase_heading(t, phase), other=side_reference(t, other)))
        turn.emit(events.SideAgreed(project, phase, own, other, turn.person.name))
        return
    latest = progress.latest_signoffs(signoffs, phase.id)
    turn.uow.signoffs.add_agreement(project.id, phase.id, revisions, tuple(s.id for s in latest.values()), turn.now)
    turn.emit(events.PhaseFinished(project, phase))
    progress = turn.known.refresh(project)
    if phase.id == CHECK_PHASE and progress.no_go():
        turn.uow.projects.update(project.id, closed_at=turn.now, closed_reason="no_go")
        progress = turn.known.refresh(project)
        final = list(turn.uow.signoffs.of_phase(project.id, phase.id))
        names = turn.known.names(final)
        turn.emit(
            events.ProjectClosed(progress, phase, (own, other), tuple(final), names, include_self=not turn.in_group)
        )
        if turn.in_group:
            text, _ = closing_message(t, progress, phase, final, names)
            turn.say(text)
        return
    turn.emit(events.PhaseAgreed(progress, phase, (own, other)))
    text, buttons = agreed_message(t, progress, phase)
    turn.say(text, buttons)


def confirm_closing(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase,
                    intent: intents.SignOff) -> None:
    """The last agreement after a no-go closes the project: said again, and agreed only when confirmed."""
    t = turn.t
    consequence = agreement_consequence(t, progress, phase) or ""
    turn.notice = t.gettext("Godkender I nu, afsluttes projektet.")
    turn.say("\n".join([f"<b>{esc(short(scope.project.name, 80))}</b>", consequence, "",
                        t.gettext("{other} har allerede godkendt. Når I godkender, afsluttes projektet {project}, "
                                  "og ingen af jer kan svare videre. Er I sikre?").format(
                            other=side_display(t, progress.view(other_side(scope.role)).side),
                            project=esc(scope.project.name))]),
             [[turn.button(t.gettext("🛑 Ja, godkend og afslut projektet"), replace(intent, confirmed=intents.YES))],
              [turn.button(t.gettext("📄 Hele opsummeringen"), intents.ShowSummary(scope.project.id, phase.id))]])


def change_note_typed(turn: Turn, event: Typed) -> None:
    """The note of a side that wants changes before it agrees."""
    scope = typing_scope(turn)
    if scope is None:
        return
    progress = turn.known.progress(scope.project)
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
    turn.clear_state()
    request_changes(turn, scope, progress, turn.guide.phase(phase_id), note)


def request_changes(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase, note: str) -> None:
    """The side wants changes before it agrees: its note goes to the other side."""
    t = turn.t
    turn.uow.signoffs.add(scope.project.id, phase.id, scope.side.id, turn.person.id, CHANGES, note[:MAX_NOTE],
                         progress.revision_ids(phase), turn.now)
    turn.say(t.gettext("✓ Jeres ønske om ændringer er sendt. I kan rette jeres egne svar med /mine."))
    turn.emit(events.ChangesRequested(scope.project, phase, scope.side, progress.view(other_side(scope.role)).side,
                                      note[:MAX_NOTE], card_version(progress, phase)))
