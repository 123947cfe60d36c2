"""Who hears about a side – its members who want to and its team group – and telling them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.model import Button, Message
from bot.engine.outbox import message_payload
from bot.engine.ports import UnitOfWork
from bot.engine.records import PersonRecord, SideRecord
from bot.engine.turn import Turn
from bot.i18n import Catalogs, Translator

Rendered = tuple[str, tuple[tuple[Button, ...], ...]]


@dataclass(frozen=True)
class Listener:
    """A chat that hears about a side: a member's private chat, or the side's team group."""

    chat: str
    person: PersonRecord | None  # None: the team group
    locale: str | None

    @property
    def person_id(self) -> int | None:
        return self.person.id if self.person is not None else None

    def translator(self, catalogs: Catalogs) -> Translator:
        t = catalogs.translator(self.locale)
        return t.in_zone(self.person.timezone) if self.person is not None else t


def listeners(uow: UnitOfWork, side: SideRecord, *, except_person: int | None = None,
              except_chat: str | None = None, reminders: bool = False) -> list[Listener]:
    """Members who want to hear (not muted, reachable in a private chat) and then the team group.

    `reminders`: only members who also take reminders (not paused, reminders on)."""
    found: list[Listener] = []
    for member in uow.members(side.id):
        if member.person_id == except_person:
            continue
        person = uow.person(member.person_id)
        if person is None or not person.private_chat or person.unreachable or member.muted:
            continue
        if reminders and (member.paused or not person.reminders):
            continue
        found.append(Listener(person.private_chat, person, person.locale))
    if side.group_chat and side.group_chat != except_chat:
        found.append(Listener(side.group_chat, None, side.group_locale))
    return found


def notify(turn: Turn, side: SideRecord, render: Callable[[Translator], Rendered], include_self: bool = False,
           kind: str = "nudge") -> None:
    """Tell everyone who hears about a side, each in their language.

    Notifications go to the outbox in the turn's unit of work; a worker sends them after commit.
    """
    for listener in listeners(turn.uow, side, except_person=None if include_self else turn.person.id,
                              except_chat=turn.inp.chat.id):
        text, buttons = render(listener.translator(turn.catalogs))
        if listener.chat == turn.inp.chat.id:  # the person who acted: part of the reply itself
            turn.messages.append(Message(listener.chat, text, buttons, notification=True))
            continue
        turn.queue(listener.chat, listener.person_id, side.project_id, side.id, kind, message_payload(text, buttons),
                   turn.now)


def notify_batched(turn: Turn, side: SideRecord, kind: str, item: str,
                   render: Callable[[Translator, list[str]], Rendered]) -> None:
    """Like `notify`, but a burst of these (e.g. tools finished one after another) becomes one
    message: a pending nudge of the same kind to the same chat is rewritten to cover `item` too."""
    due = turn.now + turn.services.nudge_delay
    for listener in listeners(turn.uow, side, except_person=turn.person.id, except_chat=turn.inp.chat.id):
        key = f"{kind}:{side.project_id}:{listener.chat}"
        pending = turn.uow.pending_outbox(key, turn.now)
        items = list(pending.payload.get("items", [])) if pending else []
        if item not in items:
            items.append(item)
        text, buttons = render(listener.translator(turn.catalogs), items)
        payload = message_payload(text, buttons, items=items)
        if pending is not None:
            turn.uow.update_outbox(pending.id, payload=payload, due_at=due)
        else:
            turn.queue(listener.chat, listener.person_id, side.project_id, side.id, kind, payload, due, key)
