"""Events into notices: the one place that decides who is told what a turn changed.

`announce(turn, event)` is called as a feature emits the event (`Turn.emit`), so notices read the
project as it was when it happened (a deleted project's members, a card's sign-offs). Who hears
about a side is `audience.listeners`; the texts are in `render.notices` and `render.nudges`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.engine import events as ev
from bot.engine.audience import Listener, listeners, notify, notify_batched
from bot.engine.changes import changes_since
from bot.engine.outbox import message_payload
from bot.engine.records import CHANGES, FAILED, PENDING, OutboxRecord
from bot.engine.render import notices
from bot.engine.render.answers import answer_value
from bot.engine.render.card import card_key, card_version, recard_kind
from bot.engine.render.changes import change_lines
from bot.engine.render.nudges import (
    agreed_message,
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


def answers_changed(turn: Turn, event: ev.AnswersChanged) -> None:
    """The card again, headed with what changed since the card each chat has. A burst of edits is one
    card: one waiting to be sent is rewritten (from the first edit's revision on) and waits on; its key
    names the newest version, as a card's does, so it counts as that card seen (`flow.card_seen`)."""
    progress, phase = event.progress, event.phase
    project = progress.project
    signoffs = list(turn.uow.signoffs.of_phase(project.id, phase.id))
    latest = progress.latest_signoffs(signoffs, phase.id)
    names = turn.known.names(signoffs)
    version = card_version(progress, phase)
    kind = recard_kind(phase)
    due = turn.now + turn.services.nudge_delay
    for side in event.sides:
        asked = side.id in latest and latest[side.id].verdict == CHANGES
        for listener in listeners(turn.uow, side, except_person=turn.person.id, except_chat=turn.inp.chat.id):
            pending = turn.uow.outbox.pending(card_key(project.id, phase.id, listener.chat), turn.now, kind)
            since = int(pending.payload.get("since", event.since)) if pending else event.since
            changes = changes_since(turn.uow, progress, phase, since)
            authors = {**names, **turn.known.names_of(c.after.author_id for c in changes)}
            tr = listener.translator(turn.catalogs)
            text, buttons = signoff_request(tr, project, progress, phase, signoffs, names, event.outdated,
                                            turn.services.links.web_served, change_lines(tr, changes, authors), asked)
            payload = message_payload(text, buttons, since=since)
            key = card_key(project.id, phase.id, listener.chat, version)
            if pending is not None:
                turn.uow.outbox.update(pending.id, payload=payload, due_at=due, debounce_key=key, answer_id=turn.cause)
            else:
                turn.queue(listener.chat, listener.person_id, project.id, side.id, kind, payload, due, key)


def taken_back(turn: Turn, event: ev.AnswerTakenBack) -> None:
    """An answer was undone: what it queued and is still waiting is withdrawn (a batch of finished
    tools loses that tool); each chat that already got something it caused is told once."""
    told: dict[str, OutboxRecord] = {}
    for row in turn.uow.outbox.caused_by(event.answer.id):
        items = [str(i) for i in row.payload.get("items", [])]
        rest = [i for i in items if i != event.question.tool_id]
        if row.state == PENDING and row.kind == "tools_done" and rest and len(rest) < len(items):
            tr = reader_of(turn, row).translator(turn.catalogs)
            text, buttons = tools_done_nudge(tr, turn.guide, event.own, event.project, rest)
            turn.uow.outbox.update(row.id, payload=message_payload(text, buttons, items=rest))
            continue
        if row.state == PENDING and turn.uow.outbox.take_back(row.id, turn.now):
            continue
        if row.state != FAILED:
            told.setdefault(row.chat, row)
    for chat, row in told.items():
        tr = reader_of(turn, row).translator(turn.catalogs)
        restored = answer_value(tr, event.question, event.restored, preview=True) if event.restored else None
        text, buttons = notices.taken_back(tr, event.name, event.project, event.question, restored)
        turn.queue(chat, row.person_id, event.project.id, row.side_id, "taken_back", message_payload(text, buttons),
                   turn.now)


def reader_of(turn: Turn, row: OutboxRecord) -> Listener:
    """Who reads the chat a message went to: its person, or the team group of its side."""
    person = turn.uow.people.get(row.person_id) if row.person_id is not None else None
    if person is not None:
        return Listener(row.chat, person, person.locale)
    side = turn.uow.projects.side(row.side_id) if row.side_id is not None else None
    return Listener(row.chat, None, side.group_locale if side else None)


def phase_finished(turn: Turn, event: ev.PhaseFinished) -> None:
    turn.uow.outbox.drop_pending(event.project.id, ("tools_done", recard_kind(event.phase)))


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
    notify(turn, event.own, lambda tr: notices.teammate_agreed(tr, event.name, event.project, event.phase))


def phase_agreed(turn: Turn, event: ev.PhaseAgreed) -> None:
    for side in event.sides:
        notify(turn, side, lambda tr: agreed_message(tr, event.progress, event.phase), include_self=False)


def closed(turn: Turn, event: ev.ProjectClosed) -> None:
    signoffs = list(event.signoffs)
    for side in event.sides:
        notify(turn, side, lambda tr: closing_message(tr, event.progress, event.phase, signoffs, event.names),
               include_self=event.include_self)


def changes_requested(turn: Turn, event: ev.ChangesRequested) -> None:
    notify(turn, event.other, lambda tr: notices.changes_wanted(tr, event.own, event.project, event.phase, event.note,
                                                                 event.version))


ANNOUNCERS: dict[type[ev.Event], Callable[[Turn, Any], None]] = {
    ev.MemberJoined: joined,
    ev.MemberRemoved: removed,
    ev.ProjectDeleted: deleted,
    ev.DecisionTaken: decided,
    ev.ToolFinished: tool_finished,
    ev.AnswersChanged: answers_changed,
    ev.PhaseFinished: phase_finished,
    ev.PhaseCardDue: card_due,
    ev.SideAgreed: side_agreed,
    ev.PhaseAgreed: phase_agreed,
    ev.ProjectClosed: closed,
    ev.ChangesRequested: changes_requested,
    ev.AnswerTakenBack: taken_back,
}


def announce(turn: Turn, event: ev.Event) -> None:
    """Tell whoever hears about `event` (outbox rows, or the acting chat's own reply)."""
    ANNOUNCERS[type(event)](turn, event)
