"""Who hears about a side – its members who want to and its team group – and telling them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.model import MAIL_CHAT, Button, Message
from bot.engine.outbox import message_payload
from bot.engine.ports import UnitOfWork
from bot.engine.records import BOTH as BOTH_WAYS
from bot.engine.records import MAIL, PersonRecord, SideRecord
from bot.engine.turn import Turn
from bot.i18n import Catalogs, Translator

Rendered = tuple[str, tuple[tuple[Button, ...], ...]]

# A member's choice of where to be told (None: in the group if they read it, else privately).
GROUP_ONLY, PRIVATELY, BOTH = "group", "private", "both"


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
              except_chat: str | None = None, reminders: bool = False, actor: int | None = None) -> list[Listener]:
    """Who is told about an event on a side, each person once.

    The team group is told, and a member who reads it is not told again privately (unless they chose
    "privately" or "both" in /settings); a member who does not read it is told privately. When the
    person acting (`actor`, by default `except_person`) reads the group, or acted in it, the group is
    not told about their own action; their teammates are told privately instead. `except_chat` is the
    chat the action happened in (its reply already says it). `reminders`: only members who take them.
    A member with a confirmed address who chose mail (or has no chat with the bot) is told by mail
    ("mail:<person id>"), instead of or besides the chat, as they chose with /email."""
    actor = except_person if actor is None else actor
    members = list(uow.members.of_side(side.id))
    group = side.group_chat
    acted_in_group = group is not None and group == except_chat
    actor_reads_group = any(m.person_id == actor and m.in_group for m in members)
    tell_group = group is not None and not acted_in_group and not actor_reads_group
    group_tells = tell_group or acted_in_group
    found: list[Listener] = []
    for member in members:
        if member.person_id == except_person:
            continue
        person = uow.people.get(member.person_id)
        if person is None or member.muted:
            continue
        if reminders and (member.paused or not person.reminders):
            continue
        if person.mail_address and (person.told_by in (MAIL, BOTH_WAYS) or not person.private_chat):
            found.append(Listener(MAIL_CHAT + str(person.id), person, person.locale))
        if not person.private_chat or person.unreachable or person.told_by == MAIL:
            continue
        reads_group = member.in_group or member.notify_where == GROUP_ONLY
        if group_tells and reads_group and member.notify_where not in (PRIVATELY, BOTH):
            continue
        found.append(Listener(person.private_chat, person, person.locale))
    if tell_group and group is not None:
        found.append(Listener(group, None, side.group_locale))
    return found


def notify(turn: Turn, side: SideRecord, render: Callable[[Translator], Rendered], include_self: bool = False,
           kind: str = "nudge", key: Callable[[str], str] | None = None) -> None:
    """Tell everyone who hears about a side, each in their language.

    Notifications go to the outbox in the turn's unit of work; a worker sends them after commit.
    `key(chat)` names a notification so it can be found later (e.g. the phase card a chat was sent).
    """
    for listener in listeners(turn.uow, side, except_person=None if include_self else turn.person.id,
                              except_chat=turn.inp.chat.id, actor=turn.person.id):
        text, buttons = render(listener.translator(turn.catalogs))
        if listener.chat == turn.inp.chat.id:  # the person who acted: part of the reply itself
            turn.messages.append(Message(listener.chat, text, buttons, notification=True))
            continue
        turn.queue(listener.chat, listener.person_id, side.project_id, side.id, kind, message_payload(text, buttons),
                   turn.now, key(listener.chat) if key else None)


def notify_batched(turn: Turn, side: SideRecord, kind: str, item: str,
                   render: Callable[[Translator, list[str]], Rendered]) -> None:
    """Like `notify`, but a burst of these (e.g. tools finished one after another) becomes one
    message: a pending nudge of the same kind to the same chat is rewritten to cover `item` too."""
    due = turn.now + turn.services.nudge_delay
    for listener in listeners(turn.uow, side, except_person=turn.person.id, except_chat=turn.inp.chat.id):
        key = f"{kind}:{side.project_id}:{listener.chat}"
        pending = turn.uow.outbox.pending(key, turn.now)
        items = list(pending.payload.get("items", [])) if pending else []
        if item not in items:
            items.append(item)
        text, buttons = render(listener.translator(turn.catalogs), items)
        payload = message_payload(text, buttons, items=items)
        if pending is not None:
            turn.uow.outbox.update(pending.id, payload=payload, due_at=due, answer_id=turn.cause)
        else:
            turn.queue(listener.chat, listener.person_id, side.project_id, side.id, kind, payload, due, key)
