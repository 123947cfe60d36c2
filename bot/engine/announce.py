"""Events into notices: the one place that decides who is told what a turn changed.

`announce(turn, event)` is called as a feature emits the event (`Turn.emit`), so notices read the
project as it was when it happened (a deleted project's members, a card's sign-offs). Who hears
about a side is `audience.listeners`; the texts are in `render.notices` and `render.nudges`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.engine import events as ev
from bot.engine.audience import listeners, notify, notify_batched
from bot.engine.outbox import message_payload
from bot.engine.render import notices
from bot.engine.render.card import card_key, card_version
from bot.engine.render.nudges import (
    agreed_message,
    changed_after_request,
    closing_message,
    signoff_request,
    tools_done_nudge,
)
from bot.engine.turn import Turn


def joined(turn: Turn, event: ev.MemberJoined) -> None:
    for side in event.sides:
        notify(turn, side, lambda tr: notices.joined(tr, event.name, event.project, event.side))


def removed(turn: Turn, event: ev.MemberRemoved) -> None:
    person = event.person
    if person.private_chat:
        text, buttons = notices.removed_you(turn.translator_for(person), event.by, event.project)
        turn.queue(person.private_chat, person.id, event.project.id, None, "removed", message_payload(text, buttons),
                   turn.now)
    for side in event.sides:  # both sides, as they were told who joined
        notify(turn, side, lambda tr: notices.removed(tr, event.by, person.name, event.project, event.side))


def deleted(turn: Turn, event: ev.ProjectDeleted) -> None:
    for side in event.sides:
        for listener in listeners(turn.uow, side, except_person=turn.person.id, except_chat=turn.inp.chat.id):
            text, buttons = notices.deleted(listener.translator(turn.catalogs), event.by, event.project)
            # Not tied to the project: its rows leave with it.
            turn.queue(listener.chat, listener.person_id, None, None, "deleted", message_payload(text, buttons),
                       turn.now)


def decided(turn: Turn, event: ev.DecisionTaken) -> None:
    notify(turn, event.other, lambda tr: notices.decision(tr, event.own, event.project, event.question, event.option),
           kind="decision")


def tool_finished(turn: Turn, event: ev.ToolFinished) -> None:
    notify_batched(turn, event.other, "tools_done", event.tool_id,
                   lambda tr, ids: tools_done_nudge(tr, turn.guide, event.own, event.project, ids))


def changed_after(turn: Turn, event: ev.ChangedAfterRequest) -> None:
    notify_batched(turn, event.other, f"changed:{event.phase.id}", event.question_key,
                   lambda tr, keys: changed_after_request(tr, turn.guide, event.own, event.project, event.phase, keys))


def phase_finished(turn: Turn, event: ev.PhaseFinished) -> None:
    turn.uow.outbox.drop_pending(event.project.id, ("tools_done", f"changed:{event.phase.id}"))


def card_due(turn: Turn, event: ev.PhaseCardDue) -> None:
    """The phase card to everyone who hears about these sides, named so it is not sent twice."""
    progress, phase = event.progress, event.phase
    project = progress.project
    signoffs = list(turn.uow.signoffs.of_phase(project.id, phase.id))
    names = turn.known.names(signoffs)
    version = card_version(progress, phase)
    for side in event.sides:
        notify(turn, side, lambda tr: signoff_request(tr, project, progress, phase, signoffs, names, event.outdated,
                                                      turn.services.links.web_served),
               kind="card", key=lambda chat: card_key(project.id, phase.id, chat, version))


def side_agreed(turn: Turn, event: ev.SideAgreed) -> None:
    notify(turn, event.other, lambda tr: notices.other_agreed(tr, event.own, event.project, event.phase))
    notify(turn, event.own, lambda tr: notices.teammate_agreed(tr, event.name, event.phase))


def phase_agreed(turn: Turn, event: ev.PhaseAgreed) -> None:
    for side in event.sides:
        notify(turn, side, lambda tr: agreed_message(tr, event.progress, event.phase), include_self=False)


def closed(turn: Turn, event: ev.ProjectClosed) -> None:
    signoffs = list(event.signoffs)
    for side in event.sides:
        notify(turn, side, lambda tr: closing_message(tr, event.progress, event.phase, signoffs, event.names),
               include_self=event.include_self)


def changes_requested(turn: Turn, event: ev.ChangesRequested) -> None:
    notify(turn, event.other, lambda tr: notices.changes_wanted(tr, event.own, event.project, event.phase, event.note))


ANNOUNCERS: dict[type[ev.Event], Callable[[Turn, Any], None]] = {
    ev.MemberJoined: joined,
    ev.MemberRemoved: removed,
    ev.ProjectDeleted: deleted,
    ev.DecisionTaken: decided,
    ev.ToolFinished: tool_finished,
    ev.ChangedAfterRequest: changed_after,
    ev.PhaseFinished: phase_finished,
    ev.PhaseCardDue: card_due,
    ev.SideAgreed: side_agreed,
    ev.PhaseAgreed: phase_agreed,
    ev.ProjectClosed: closed,
    ev.ChangesRequested: changes_requested,
}


def announce(turn: Turn, event: ev.Event) -> None:
    """Tell whoever hears about `event` (outbox rows, or the acting chat's own reply)."""
    ANNOUNCERS[type(event)](turn, event)
