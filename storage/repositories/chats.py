"""`SqlChats`: each person's state in each chat, and the questions the bot asked in which message.

A chat's state is written once, at commit; a reply to a message that asked a question answers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.engine.model import SentTopic, Topic
from bot.engine.records import ChatStateRecord
from storage.models import ChatState, SentQuestion, table
from storage.repositories import rows
from storage.repositories.memo import Memo

_CHAT_STATES = table(ChatState)
_STATE_WHERE = and_(_CHAT_STATES.c.person_id == bindparam("b_person"), _CHAT_STATES.c.chat == bindparam("b_chat"))
_CHAT_STATE = select(_CHAT_STATES.c.pending).where(_STATE_WHERE)
_STATE_ADD = _CHAT_STATES.insert()
_STATE_SET = update(_CHAT_STATES).where(_STATE_WHERE).values(pending=bindparam("b_pending"))
_STATE_DROP = delete(_CHAT_STATES).where(_STATE_WHERE)


class SqlChats:
    """Chat states by person and chat; sent questions by chat and message."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def state(self, person_id: int, chat: str) -> ChatStateRecord:
        key = (person_id, chat)
        if key in self.memo.state_writes:
            return ChatStateRecord(person_id, chat, dict(self.memo.state_writes[key]))
        return ChatStateRecord(person_id, chat, dict(self._stored_state(person_id, chat) or {}))

    def _stored_state(self, person_id: int, chat: str) -> dict[str, Any] | None:
        """The chat's state as stored (None: no row), read once per unit of work."""
        states = self.memo.states
        if (person_id, chat) not in states:
            pending = self.memo.run(_CHAT_STATE, {"b_person": person_id, "b_chat": chat}).scalar()
            states[(person_id, chat)] = dict(pending) if pending is not None else None
        return states[(person_id, chat)]

    def set_state(self, person_id: int, chat: str, pending: dict[str, Any]) -> None:
        """Kept until commit: a turn that changes its state several times writes it once."""
        self.memo.state_writes[(person_id, chat)] = dict(pending)

    def write_states(self) -> None:
        """At commit: each state set here that differs from the one stored."""
        memo = self.memo
        for (person_id, chat), pending in memo.state_writes.items():
            before = self._stored_state(person_id, chat)
            if pending == (before or {}):
                continue
            if not pending:
                memo.run(_STATE_DROP, {"b_person": person_id, "b_chat": chat})
            elif before is None:
                memo.run(_STATE_ADD, {"person_id": person_id, "chat": chat, "pending": pending})
            else:
                memo.run(_STATE_SET, {"b_person": person_id, "b_chat": chat, "b_pending": pending})
            memo.states[(person_id, chat)] = pending or None
        memo.state_writes.clear()

    def add_sent_questions(self, sent: Sequence[SentTopic], at: dt.datetime) -> None:
        """One statement: a message already recorded (a redelivered reply) is left as it was."""
        if not sent:
            return
        session = self.memo.session
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        found = [{"chat": item.chat, "message_ref": item.message_ref, "project_id": item.topic.project_id,
                  "question_key": item.topic.question_key, "answer_id": item.topic.answer_id, "sent_at": at}
                 for item in sent]
        session.execute(insert(table(SentQuestion)).values(found).on_conflict_do_nothing())

    def sent_question(self, chat: str, message_ref: str) -> Topic | None:
        row = self.memo.session.get(SentQuestion, (chat, message_ref))
        return Topic(row.project_id, row.question_key, row.answer_id) if row else None

    def forget_sent_questions(self, before: dt.datetime) -> int:
        return rows.affected(self.memo.session.execute(delete(SentQuestion).where(SentQuestion.sent_at < before)))
