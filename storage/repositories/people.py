"""`SqlPeople`: people, read once per unit of work, and deleted with everything that identifies them."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, update

from bot.engine.records import PENDING, PersonRecord
from storage.models import Answer, ChatState, Member, OutboxMessage, Person, SentQuestion, Side, table
from storage.repositories import rows
from storage.repositories.memo import PROJECTS, SIDES, Memo

_PERSONS, _CHAT_STATES = table(Person), table(ChatState)
_PERSON_BY_EXTERNAL_ID = (
    select(*_PERSONS.c, _CHAT_STATES.c.pending)
    .outerjoin(_CHAT_STATES, and_(_CHAT_STATES.c.person_id == _PERSONS.c.id,
                                  _CHAT_STATES.c.chat == _PERSONS.c.private_chat))
    .where(_PERSONS.c.external_id == bindparam("external_id"))
)
_PERSON_BY_ID = select(*_PERSONS.c).where(_PERSONS.c.id == bindparam("id"))


class SqlPeople:
    """People by id and by external id (a transport's id for them)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def by_external_id(self, external_id: str) -> PersonRecord | None:
        """The person, and with them the state of their private chat (the next thing a turn reads)."""
        memo = self.memo
        if external_id in memo.senders:
            known = memo.senders[external_id]
            return None if known is None else self.get(known)
        row = memo.run(_PERSON_BY_EXTERNAL_ID, {"external_id": external_id}).first()
        if row is None:
            return None
        record = memo.persons[row.id] = rows.person(row)  # type: ignore[arg-type]
        if record.private_chat is not None and (record.id, record.private_chat) not in memo.states:
            memo.states[(record.id, record.private_chat)] = dict(row.pending) if row.pending is not None else None
        return record

    def get(self, person_id: int) -> PersonRecord | None:
        memo = self.memo
        if person_id not in memo.persons:
            row = memo.run(_PERSON_BY_ID, {"id": person_id}).first()
            memo.persons[person_id] = rows.person(row) if row else None  # type: ignore[arg-type]
        return memo.persons[person_id]

    def add(self, external_id: str, name: str, locale: str | None, private_chat: str | None,
            at: dt.datetime) -> PersonRecord:
        row = Person(external_id=external_id, name=name, locale=locale, private_chat=private_chat,
                     unreachable=False, created_at=at, reminders=True)
        self.memo.session.add(row)
        self.memo.session.flush()
        self.memo.senders[external_id] = row.id
        self.memo.persons[row.id] = record = rows.person(row)
        return record

    def update(self, person_id: int, **changes: Any) -> None:
        self.memo.persons.pop(person_id, None)
        self.memo.session.execute(update(Person).where(Person.id == person_id).values(**changes))

    def delete(self, person_id: int) -> None:
        """The person and everything that identifies them. Their answers stay with their side, without
        their author and without the reference to the message they came in (chat and message id);
        messages to others that name them are withdrawn if pending, and emptied if sent."""
        memo, session = self.memo, self.memo.session
        person = session.get(Person, person_id)
        if person is None:
            return
        for answer_id, value in session.execute(
                select(Answer.id, Answer.value).where(Answer.author_id == person_id)).all():
            if isinstance(value, dict) and "ref" in value:
                kept = {k: v for k, v in value.items() if k != "ref"}
                session.execute(update(Answer).where(Answer.id == answer_id).values(value=kept))
        # Their answers change (author and message reference go), and so do their sides' members:
        # what other processes keep of them is read afresh.
        memo.count_up(SIDES, select(Answer.side_id).where(Answer.author_id == person_id).distinct())
        projects = select(Side.project_id).join(Member, Member.side_id == Side.id).where(Member.person_id == person_id)
        memo.count_up(PROJECTS, projects)
        named = re.compile(rf"(?<!\w)(?:{re.escape(person.name)}|{re.escape(html.escape(person.name))})(?!\w)")
        for row in session.scalars(select(OutboxMessage).where(
                OutboxMessage.person_id.is_distinct_from(person_id),
                or_(OutboxMessage.project_id.in_(projects), OutboxMessage.project_id.is_(None)))):
            if not named.search(str(row.payload.get("text", ""))):
                continue
            if row.state == PENDING:
                session.delete(row)
            else:
                row.payload = rows.without_text(row.payload)
        memo.forget_replies([person_id])
        if person.private_chat:  # the questions asked in their private chat name it
            session.execute(delete(SentQuestion).where(SentQuestion.chat == person.private_chat))
        session.execute(delete(Person).where(Person.id == person_id))
        memo.state_writes = {key: value for key, value in memo.state_writes.items() if key[0] != person_id}
        memo.forget_reads()  # their answers, memberships and sign-offs changed
        memo.writes += 1
