"""`SqlInputs`: claimed input keys and the replies kept with them (a redelivered input is answered again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, and_, bindparam, delete, func, select, update
from sqlalchemy import cast as sql_cast

from bot.engine.records import SideRecord
from storage.models import ChatState, Person, ProcessedInput, Project, Side, table
from storage.repositories import rows
from storage.repositories.memo import Memo

_PERSONS, _CHAT_STATES, _PROJECTS = table(Person), table(ChatState), table(Project)
_SIDES, _INPUTS = table(Side), table(ProcessedInput)

# A turn's first statement: whether its input was handled before, who sent it, their state in the
# chat, and the project the chat is about (a team group's, else the person's current one) with its
# sides and their revisions – one row per side.
_INPUT = select(sql_cast(bindparam("key", type_=String), String).label("key")).subquery("input")
_GROUP_PROJECT = select(_SIDES.c.project_id).where(_SIDES.c.group_chat == bindparam("chat")).scalar_subquery()
_START = (
    select(_INPUTS.c.key.label("done"), *rows.labelled(_PERSONS, "p_"), _CHAT_STATES.c.pending.label("pending"),
           *rows.labelled(_PROJECTS, "j_"), *rows.labelled(_SIDES, "s_"))
    .select_from(
        _INPUT.outerjoin(_INPUTS, _INPUTS.c.key == _INPUT.c.key)
        .outerjoin(_PERSONS, _PERSONS.c.external_id == bindparam("sender"))
        .outerjoin(_CHAT_STATES, and_(_CHAT_STATES.c.person_id == _PERSONS.c.id,
                                      _CHAT_STATES.c.chat == bindparam("chat")))
        .outerjoin(_PROJECTS, _PROJECTS.c.id == func.coalesce(_GROUP_PROJECT, _PERSONS.c.current_project_id))
        .outerjoin(_SIDES, _SIDES.c.project_id == _PROJECTS.c.id))
    .order_by(_SIDES.c.id)
)
_CLAIM = _INPUTS.insert()


class SqlInputs:
    """The unit's claim of its input (inserted at commit, with the reply kept for it)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self._claim: tuple[str, dt.datetime] | None = None  # the input key, inserted at commit
        self._reply: tuple[int | None, dict[str, Any]] | None = None  # kept with it

    def claim(self, key: str | None, chat: str, sender: str, at: dt.datetime) -> bool:
        """One statement: whether the key is new, and what the turn reads next (see `_START`).

        The key is inserted at commit; the chat's lock (`lock_chat`, taken before) keeps another
        transaction from claiming it meanwhile, and its primary key refuses a second commit."""
        memo = self.memo
        found = memo.run(_START, {"key": key, "sender": sender, "chat": chat}).all()
        first = found[0]
        if key is not None and first.done is not None:
            return False
        self._claim = (key, at) if key is not None else None
        self._reply = None
        sides: list[SideRecord] = []
        if first.j_id is not None:
            memo.projects[first.j_id] = (rows.project(rows.Columns(first, "j_")), first.j_revision)
            sides = memo.remember_sides(first.j_id, [rows.Columns(row, "s_") for row in found if row.s_id is not None])
        # A team group's project is the one read: if no side here has this chat, no side has it.
        memo.group = (chat, next((side for side in sides if side.group_chat == chat), None))
        if first.p_id is None:
            memo.senders[sender] = None
            return True
        person = rows.person(rows.Columns(first, "p_"))
        memo.persons[person.id] = person
        memo.senders[sender] = person.id
        memo.states[(person.id, chat)] = dict(first.pending) if first.pending is not None else None
        return True

    def write_claim(self) -> None:
        """At commit: the claimed key, with the reply kept for it."""
        if self._claim is None:
            return
        key, at = self._claim
        person_id, reply = self._reply if self._reply is not None and not self.memo.deleted_someone else (None, None)
        self.memo.run(_CLAIM, {"key": key, "processed_at": at, "person_id": person_id, "reply": reply})
        self._claim = self._reply = None

    def drop_claim(self) -> None:
        self._claim = self._reply = None

    def keep_reply(self, key: str, person_id: int | None, reply: dict[str, Any]) -> None:
        """Keep the reply to a claimed input with its key (not in a unit of work that deleted a
        person or a project: its reply names them)."""
        if self.memo.deleted_someone:  # the reply names who or what was deleted
            return
        if self._claim is not None and self._claim[0] == key:
            self._reply = (person_id, reply)
            return
        self.memo.session.execute(update(ProcessedInput).where(ProcessedInput.key == key)
                                  .values(person_id=person_id, reply=reply))

    def kept_reply(self, key: str) -> dict[str, Any] | None:
        return self.memo.session.scalar(select(ProcessedInput.reply).where(ProcessedInput.key == key))

    def forget(self, before: dt.datetime, limit: int) -> int:
        """Delete up to `limit` input keys claimed before `before`; returns how many."""
        oldest = select(ProcessedInput.key).where(ProcessedInput.processed_at < before).limit(limit)
        keys = list(self.memo.session.scalars(oldest))
        if keys:
            self.memo.session.execute(delete(ProcessedInput).where(ProcessedInput.key.in_(keys)))
        return len(keys)
