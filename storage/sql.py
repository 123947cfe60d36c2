"""`SqlUnitOfWork`: the engine's `UnitOfWork` protocol on one SQLAlchemy session."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import String, and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.model import SentTopic, Topic
from bot.engine.records import (
    FAILED,
    PENDING,
    SENT,
    AgreementRecord,
    AnswerRecord,
    ChatStateRecord,
    InviteRecord,
    MemberRecord,
    OutboxRecord,
    PersonRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
    UploadRecord,
)
from bot.guide.model import SIDES
from bot.guide.model import Side as GuideSide  # storage.models has a `Side` table
from storage.models import (
    Agreement,
    Answer,
    ChatState,
    Invite,
    InviteFailure,
    Member,
    OutboxMessage,
    Person,
    ProcessedInput,
    Project,
    SentQuestion,
    Side,
    Signoff,
    Upload,
    WebVisit,
)
from storage.read_cache import ProjectParts, ReadCache

_PERSONS, _CHAT_STATES, _PROJECTS = Person.__table__, ChatState.__table__, Project.__table__
_SIDES, _MEMBERS_T, _ANSWERS, _INPUTS = Side.__table__, Member.__table__, Answer.__table__, ProcessedInput.__table__

_STATE_WHERE = and_(_CHAT_STATES.c.person_id == bindparam("b_person"), _CHAT_STATES.c.chat == bindparam("b_chat"))
_CHAT_STATE = select(_CHAT_STATES.c.pending).where(_STATE_WHERE)


def _labelled(table: Any, prefix: str) -> list[Any]:
    return [column.label(prefix + column.name) for column in table.c]


# A turn's first statement: whether its input was handled before, who sent it, their state in the
# chat, and the project the chat is about (a team group's, else the person's current one) with its
# sides and their revisions – one row per side.
_INPUT = select(sql_cast(bindparam("key", type_=String), String).label("key")).subquery("input")
_GROUP_PROJECT = select(_SIDES.c.project_id).where(_SIDES.c.group_chat == bindparam("chat")).scalar_subquery()
_START = (
    select(_INPUTS.c.key.label("done"), *_labelled(_PERSONS, "p_"), _CHAT_STATES.c.pending.label("pending"),
           *_labelled(_PROJECTS, "j_"), *_labelled(_SIDES, "s_"))
    .select_from(
        _INPUT.outerjoin(_INPUTS, _INPUTS.c.key == _INPUT.c.key)
        .outerjoin(_PERSONS, _PERSONS.c.external_id == bindparam("sender"))
        .outerjoin(_CHAT_STATES, and_(_CHAT_STATES.c.person_id == _PERSONS.c.id,
                                      _CHAT_STATES.c.chat == bindparam("chat")))
        .outerjoin(_PROJECTS, _PROJECTS.c.id == func.coalesce(_GROUP_PROJECT, _PERSONS.c.current_project_id))
        .outerjoin(_SIDES, _SIDES.c.project_id == _PROJECTS.c.id))
    .order_by(_SIDES.c.id)
)
_SIDES_OF_PROJECT = select(*_SIDES.c).where(_SIDES.c.project_id == bindparam("project_id")).order_by(_SIDES.c.id)
_PROJECT_BY_ID = select(*_PROJECTS.c).where(_PROJECTS.c.id == bindparam("id"))
_PERSON_BY_EXTERNAL_ID = (
    select(*_PERSONS.c, _CHAT_STATES.c.pending)
    .outerjoin(_CHAT_STATES, and_(_CHAT_STATES.c.person_id == _PERSONS.c.id,
                                  _CHAT_STATES.c.chat == _PERSONS.c.private_chat))
    .where(_PERSONS.c.external_id == bindparam("external_id"))
)
_PERSON_BY_ID = select(*_PERSONS.c).where(_PERSONS.c.id == bindparam("id"))
_MEMBERS = select(*_MEMBERS_T.c).where(_MEMBERS_T.c.side_id == bindparam("side_id")).order_by(_MEMBERS_T.c.joined_at)
_MEMBERS_OF_PROJECT = (
    select(*_MEMBERS_T.c).join(_SIDES, _SIDES.c.id == _MEMBERS_T.c.side_id)
    .where(_SIDES.c.project_id == bindparam("project_id")).order_by(_MEMBERS_T.c.joined_at)
)
_SIDE_REVISION = select(_SIDES.c.revision).where(_SIDES.c.id == bindparam("side_id"))
_ADD_ANSWER = _ANSWERS.insert().returning(_ANSWERS.c.id)
_ANSWERED = (update(_SIDES).where(_SIDES.c.id == bindparam("side_id"))
             .values(last_activity_at=bindparam("at"), revision=_SIDES.c.revision + 1).returning(_SIDES.c.revision))


_CLAIM = _INPUTS.insert()
_STATE_ADD = _CHAT_STATES.insert()
_STATE_SET = update(_CHAT_STATES).where(_STATE_WHERE).values(pending=bindparam("b_pending"))
_STATE_DROP = delete(_CHAT_STATES).where(_STATE_WHERE)


class _Columns:
    """One table's columns in a joined row, by name (they were labelled `prefix` + name)."""

    def __init__(self, row: Row[Any], prefix: str) -> None:
        self._mapping, self._prefix = row._mapping, prefix

    def __getattr__(self, name: str) -> Any:
        return self._mapping[self._prefix + name]


CHAT_LOCKS = 0x5350  # the first key of our per-chat advisory locks ("SP"), the second is the chat's hash


def _person(row: Person) -> PersonRecord:
    return PersonRecord(row.id, row.external_id, row.name, row.locale, row.private_chat,
                        row.current_project_id, bool(row.unreachable), row.created_at, row.timezone,
                        bool(row.reminders))


def stored_role(stored: str) -> GuideSide:
    """A side's role as stored (the schema allows only "sharer" and "reuser")."""
    if stored not in SIDES:
        raise ValueError(f"unknown side role {stored!r}")
    return cast(GuideSide, stored)


def _project(row: Project) -> ProjectRecord:
    return ProjectRecord(row.id, row.name, row.created_by, row.created_at, row.closed_at, row.closed_reason,
                         row.reminder_days, row.reminder_repeat_days, row.reminder_max)


def _side(row: Side) -> SideRecord:
    return SideRecord(row.id, row.project_id, stored_role(row.role), row.organisation, row.group_chat,
                      row.group_locale, row.last_activity_at)


def _answer(row: Answer | Row[Any]) -> AnswerRecord:
    return AnswerRecord(row.id, row.side_id, row.question_key, row.status, dict(row.value or {}),
                        row.author_id, row.created_at)


_ANSWER_COLUMNS = (Answer.id, Answer.side_id, Answer.question_key, Answer.status, Answer.value, Answer.author_id,
                   Answer.created_at)


def _signoff(row: Signoff) -> SignoffRecord:
    return SignoffRecord(row.id, row.project_id, row.phase_id, row.side_id, row.person_id, row.verdict,
                         row.note, tuple(row.revision_ids), row.created_at)


def _member(row: Any) -> MemberRecord:
    return MemberRecord(row.side_id, row.person_id, row.joined_at, bool(row.muted), bool(row.paused),
                        bool(row.in_group), row.notify_where)


def _agreement(row: Agreement) -> AgreementRecord:
    return AgreementRecord(row.id, row.project_id, row.phase_id, tuple(row.revision_ids), tuple(row.signoff_ids),
                           row.created_at)


def _outbox(row: OutboxMessage) -> OutboxRecord:
    return OutboxRecord(row.id, row.chat, row.person_id, row.project_id, row.side_id, row.kind, row.debounce_key,
                        dict(row.payload or {}), row.state, row.due_at, row.created_at, row.claimed_until,
                        row.attempts, row.sent_at, row.error, row.parts_sent,
                        row.parts_started)


def _invite(row: Invite) -> InviteRecord:
    return InviteRecord(row.token, row.project_id, stored_role(row.role), row.kind, row.created_by, row.created_at,
                        row.expires_at, row.revoked_at)


def _without_text(payload: dict[str, Any]) -> dict[str, Any]:
    """A settled message's payload: what it was about (e.g. a reminder's round), not what it said."""
    return {k: v for k, v in payload.items() if k not in ("text", "buttons")}


class SqlUnitOfWork:
    """One transaction; rolled back on exit unless `commit()` was called.

    What a turn reads is read once per unit of work and kept here until written here (people,
    chat states, projects, sides, members, sign-offs, agreements, answers); a project's parts and a
    side's answers also come from the database's `ReadCache` when their revision is unchanged.
    Writes that change a project count up its revision at commit.
    """

    def __init__(self, sessions: sessionmaker[Session], writer: threading.Lock | None = None,
                 cache: ReadCache | None = None) -> None:
        self.sessions = sessions
        self.writer = writer
        self.cache = cache or ReadCache(capacity=0)
        self.session: Session
        self._claim: tuple[str, dt.datetime] | None = None  # the input key, inserted at commit
        self._reply: tuple[int | None, dict[str, Any]] | None = None  # kept with it
        self._deleted_someone = False  # a person or a project: no reply of this unit is kept
        self._deleted_projects: set[int] = set()
        self._touched_projects: set[int] = set()  # their revision counts up at commit
        self._touched_sides: set[int] = set()  # … their project's revision
        # Chat states as set here: written once, at commit.
        self._state_writes: dict[tuple[int, str], dict[str, Any]] = {}
        self._forget_reads()

    def _forget_reads(self) -> None:
        self._states: dict[tuple[int, str], dict[str, Any] | None] = {}  # as read (None: no row)
        self._persons: dict[int, PersonRecord | None] = {}
        self._senders: dict[str, int | None] = {}  # external id -> person id (None: no such person)
        self._projects: dict[int, tuple[ProjectRecord, int] | None] = {}  # with the project's revision
        self._sides: dict[int, list[SideRecord]] = {}  # by project
        self._side_revisions: dict[int, int] = {}
        self._side_projects: dict[int, int] = {}
        self._group: tuple[str, SideRecord | None] | None = None  # a group chat and its side, as read
        self._parts: dict[int, ProjectParts] = {}
        self._members: dict[int, list[MemberRecord]] = {}  # sides of projects not read here
        # Read here and unchanged since: into the cache after commit.
        self._parts_read: dict[int, tuple[int, ProjectParts]] = {}
        self._answers_read: dict[int, tuple[int, dict[str, AnswerRecord]]] = {}

    def __enter__(self) -> SqlUnitOfWork:
        if self.writer is not None:
            self.writer.acquire()
        self.session = self.sessions()
        return self

    def __exit__(self, *exc: object) -> None:
        self._state_writes.clear()
        self._forget_reads()
        try:
            self.session.rollback()
        finally:
            self.session.close()
            if self.writer is not None:
                self.writer.release()

    def commit(self) -> None:
        self._write_chat_states()
        self._write_claim()
        self._count_revisions()
        self.session.commit()
        for project_id, (revision, parts) in self._parts_read.items():
            self.cache.projects.put(project_id, revision, parts)
        for side_id, (revision, answers) in self._answers_read.items():
            self.cache.answers.put(side_id, revision, answers)
        for project_id in self._deleted_projects:  # SQLite may give a deleted row's id to a new one
            self.cache.projects.discard(project_id)
        if self._deleted_projects:  # … and to a new side
            self.cache.answers.clear()
        self._parts_read.clear()
        self._answers_read.clear()
        self._deleted_projects.clear()

    def rollback(self) -> None:
        self.session.rollback()
        self._claim = self._reply = None
        self._touched_projects.clear()
        self._touched_sides.clear()
        self._deleted_projects.clear()
        self._state_writes.clear()
        self._forget_reads()

    def _run(self, statement: Any, parameters: dict[str, Any]) -> Any:
        """A prebuilt Core statement on the session's connection (without the ORM's execution path)."""
        return self.session.connection().execute(statement, parameters)

    def _touch(self, project_id: int | None = None, side_id: int | None = None) -> None:
        """The project (or the side's project) changed here: read it afresh, count its revision up."""
        if side_id is not None:
            project_id = self._side_projects.get(side_id)
            if project_id is None:  # some project: read every one afresh in this unit of work
                self._touched_sides.add(side_id)
                self._parts.clear()
                self._parts_read.clear()
        if project_id is not None:
            self._touched_projects.add(project_id)
            self._parts.pop(project_id, None)
            self._parts_read.pop(project_id, None)
        self._members.clear()

    def _count_revisions(self) -> None:
        """Count up the revision of each project this unit changed (most units change none)."""
        if self._touched_projects - self._deleted_projects:
            self._count_up(_PROJECTS, self._touched_projects - self._deleted_projects)
        if self._touched_sides:  # sides whose project was not read here
            self._count_up(_PROJECTS, select(_SIDES.c.project_id).where(_SIDES.c.id.in_(self._touched_sides)))
        self._touched_projects.clear()
        self._touched_sides.clear()

    def _count_up(self, table: Any, ids: Any) -> None:
        """`revision + 1` for the rows of `table` (projects or sides) with these ids (or a query of ids)."""
        self.session.execute(update(table).where(table.c.id.in_(ids)).values(revision=table.c.revision + 1))

    # ---- idempotency --------------------------------------------------------------------

    def lock_chat(self, chat: str) -> None:
        """On PostgreSQL, one transaction per chat at a time across every process sharing the database
        (held until commit or rollback); SQLite has one writer anyway (`BEGIN IMMEDIATE`)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(CHAT_LOCKS, func.hashtext(chat))))

    def begin_input(self, key: str | None, chat: str, sender: str, at: dt.datetime) -> bool:
        """One statement: whether the key is new, and what the turn reads next (see `_START`).

        The key is inserted at commit; the chat's lock (`lock_chat`, taken before) keeps another
        transaction from claiming it meanwhile, and its primary key refuses a second commit."""
        rows = self._run(_START, {"key": key, "sender": sender, "chat": chat}).all()
        first = rows[0]
        if key is not None and first.done is not None:
            return False
        self._claim = (key, at) if key is not None else None
        self._reply = None
        sides: list[SideRecord] = []
        if first.j_id is not None:
            self._projects[first.j_id] = (_project(_Columns(first, "j_")), first.j_revision)
            sides = self._remember_sides(first.j_id, [_Columns(row, "s_") for row in rows if row.s_id is not None])
        # A team group's project is the one read: if no side here has this chat, no side has it.
        self._group = (chat, next((side for side in sides if side.group_chat == chat), None))
        if first.p_id is None:
            self._senders[sender] = None
            return True
        person = _person(_Columns(first, "p_"))
        self._persons[person.id] = person
        self._senders[sender] = person.id
        self._states[(person.id, chat)] = dict(first.pending) if first.pending is not None else None
        return True

    def _write_claim(self) -> None:
        if self._claim is None:
            return
        key, at = self._claim
        person_id, reply = self._reply if self._reply is not None and not self._deleted_someone else (None, None)
        self._run(_CLAIM, {"key": key, "processed_at": at, "person_id": person_id, "reply": reply})
        self._claim = self._reply = None

    def keep_reply(self, key: str, person_id: int | None, reply: dict[str, Any]) -> None:
        if self._deleted_someone:  # the reply names who or what was deleted
            return
        if self._claim is not None and self._claim[0] == key:
            self._reply = (person_id, reply)
            return
        self.session.execute(update(ProcessedInput).where(ProcessedInput.key == key)
                             .values(person_id=person_id, reply=reply))

    def kept_reply(self, key: str) -> dict[str, Any] | None:
        return self.session.scalar(select(ProcessedInput.reply).where(ProcessedInput.key == key))

    def _forget_replies(self, person_ids: Any) -> None:
        self.session.execute(update(ProcessedInput).where(ProcessedInput.person_id.in_(person_ids))
                             .values(person_id=None, reply=None))
        self._deleted_someone = True

    def forget_inputs(self, before: dt.datetime, limit: int) -> int:
        oldest = select(ProcessedInput.key).where(ProcessedInput.processed_at < before).limit(limit)
        keys = list(self.session.scalars(oldest))
        if keys:
            self.session.execute(delete(ProcessedInput).where(ProcessedInput.key.in_(keys)))
        return len(keys)

    # ---- people -------------------------------------------------------------------------

    def person_by_external_id(self, external_id: str) -> PersonRecord | None:
        """The person, and with them the state of their private chat (the next thing a turn reads)."""
        if external_id in self._senders:
            known = self._senders[external_id]
            return None if known is None else self.person(known)
        row = self._run(_PERSON_BY_EXTERNAL_ID, {"external_id": external_id}).first()
        if row is None:
            return None
        record = self._persons[row.id] = _person(row)  # type: ignore[arg-type]
        if record.private_chat is not None and (record.id, record.private_chat) not in self._states:
            self._states[(record.id, record.private_chat)] = dict(row.pending) if row.pending is not None else None
        return record

    def person(self, person_id: int) -> PersonRecord | None:
        if person_id not in self._persons:
            row = self._run(_PERSON_BY_ID, {"id": person_id}).first()
            self._persons[person_id] = _person(row) if row else None  # type: ignore[arg-type]
        return self._persons[person_id]

    def add_person(self, external_id: str, name: str, locale: str | None, private_chat: str | None,
                   at: dt.datetime) -> PersonRecord:
        row = Person(external_id=external_id, name=name, locale=locale, private_chat=private_chat,
                     unreachable=False, created_at=at, reminders=True)
        self.session.add(row)
        self.session.flush()
        self._senders[external_id] = row.id
        self._persons[row.id] = record = _person(row)
        return record

    def update_person(self, person_id: int, **changes: Any) -> None:
        self._persons.pop(person_id, None)
        self.session.execute(update(Person).where(Person.id == person_id).values(**changes))

    def delete_person(self, person_id: int) -> None:
        """The person and everything that identifies them. Their answers stay with their side, without
        their author and without the reference to the message they came in (chat and message id);
        messages to others that name them are withdrawn if pending, and emptied if sent."""
        person = self.session.get(Person, person_id)
        if person is None:
            return
        for answer_id, value in self.session.execute(
                select(Answer.id, Answer.value).where(Answer.author_id == person_id)).all():
            if isinstance(value, dict) and "ref" in value:
                kept = {k: v for k, v in value.items() if k != "ref"}
                self.session.execute(update(Answer).where(Answer.id == answer_id).values(value=kept))
        # Their answers change (author and message reference go), and so do their sides' members:
        # what other processes keep of them is read afresh.
        self._count_up(_SIDES, select(Answer.side_id).where(Answer.author_id == person_id).distinct())
        projects = select(Side.project_id).join(Member, Member.side_id == Side.id).where(Member.person_id == person_id)
        self._count_up(_PROJECTS, projects)
        named = re.compile(rf"(?<!\w)(?:{re.escape(person.name)}|{re.escape(html.escape(person.name))})(?!\w)")
        for row in self.session.scalars(select(OutboxMessage).where(
                OutboxMessage.person_id.is_distinct_from(person_id),
                or_(OutboxMessage.project_id.in_(projects), OutboxMessage.project_id.is_(None)))):
            if not named.search(str(row.payload.get("text", ""))):
                continue
            if row.state == PENDING:
                self.session.delete(row)
            else:
                row.payload = _without_text(row.payload)
        self._forget_replies([person_id])
        if person.private_chat:  # the questions asked in their private chat name it
            self.session.execute(delete(SentQuestion).where(SentQuestion.chat == person.private_chat))
        self.session.execute(delete(Person).where(Person.id == person_id))
        self._state_writes = {key: value for key, value in self._state_writes.items() if key[0] != person_id}
        self._forget_reads()  # their answers, memberships and sign-offs changed

    # ---- projects and sides -------------------------------------------------------------

    def add_project(self, name: str, created_by: int, at: dt.datetime) -> ProjectRecord:
        row = Project(name=name, created_by=created_by, created_at=at, reminder_days=3, reminder_repeat_days=7,
                      reminder_max=3, revision=0)
        self.session.add(row)
        self.session.flush()
        return _project(row)

    def project(self, project_id: int) -> ProjectRecord | None:
        if project_id not in self._projects:
            row = self._run(_PROJECT_BY_ID, {"id": project_id}).first()
            self._projects[project_id] = (_project(row), row.revision) if row else None  # type: ignore[arg-type]
        known = self._projects[project_id]
        return known[0] if known else None

    def update_project(self, project_id: int, **changes: Any) -> None:
        self._projects.pop(project_id, None)
        self._touch(project_id)
        self.session.execute(update(Project).where(Project.id == project_id).values(**changes))

    def delete_project(self, project_id: int) -> None:
        self._forget_replies(select(Member.person_id).join(Side, Side.id == Member.side_id)
                             .where(Side.project_id == project_id))
        self.session.execute(
            update(Person).where(Person.current_project_id == project_id).values(current_project_id=None)
        )
        self.session.execute(delete(Project).where(Project.id == project_id))
        self._deleted_projects.add(project_id)
        self._forget_reads()  # their current project, its sides and members

    def add_side(self, project_id: int, role: str, organisation: str | None) -> SideRecord:
        row = Side(project_id=project_id, role=role, organisation=organisation,
                   last_activity_at=dt.datetime.now(dt.UTC), revision=0)
        self.session.add(row)
        self.session.flush()
        self._sides.pop(project_id, None)
        self._group = None
        self._touch(project_id)
        return _side(row)

    def _remember_sides(self, project_id: int, rows: Sequence[Any]) -> list[SideRecord]:
        sides = self._sides[project_id] = [_side(row) for row in rows]
        for row in rows:
            self._side_revisions[row.id] = row.revision
            self._side_projects[row.id] = project_id
        return sides

    def sides(self, project_id: int) -> Sequence[SideRecord]:
        if project_id not in self._sides:
            self._remember_sides(project_id, self._run(_SIDES_OF_PROJECT, {"project_id": project_id}).all())
        return list(self._sides[project_id])

    def side(self, side_id: int) -> SideRecord | None:
        project_id = self._side_projects.get(side_id)
        if project_id is not None and project_id in self._sides:
            return next((s for s in self._sides[project_id] if s.id == side_id), None)
        row = self.session.get(Side, side_id)
        return _side(row) if row else None

    def side_by_group_chat(self, chat: str) -> SideRecord | None:
        if self._group is not None and self._group[0] == chat:
            return self._group[1]
        row = self.session.scalar(select(Side).where(Side.group_chat == chat))
        return _side(row) if row else None

    def update_side(self, side_id: int, **changes: Any) -> None:
        self._sides.clear()
        self._group = None
        self._touch(side_id=side_id)
        self.session.execute(update(Side).where(Side.id == side_id).values(**changes))

    # ---- membership ---------------------------------------------------------------------

    def add_member(self, side_id: int, person_id: int, at: dt.datetime) -> None:
        self._touch(side_id=side_id)
        if self.session.get(Member, (side_id, person_id)) is None:
            self.session.add(Member(side_id=side_id, person_id=person_id, joined_at=at, muted=False, paused=False))
            self.session.execute(update(Side).where(Side.id == side_id).values(last_activity_at=at))
            self.session.flush()

    def remove_member(self, side_id: int, person_id: int) -> None:
        self._touch(side_id=side_id)
        self.session.execute(delete(Member).where(Member.side_id == side_id, Member.person_id == person_id))

    def _project_parts(self, project_id: int) -> ProjectParts:
        """The project's members, sign-offs and agreements: from the cache at its revision, or read."""
        if project_id in self._parts:
            return self._parts[project_id]
        known = self._projects.get(project_id)
        changed_here = project_id in self._touched_projects or self._touched_sides
        revision = known[1] if known is not None and not changed_here else None
        parts = self.cache.projects.get(project_id, revision) if revision is not None else None
        if parts is None:
            members: dict[int, list[MemberRecord]] = {}
            for r in self._run(_MEMBERS_OF_PROJECT, {"project_id": project_id}):
                members.setdefault(r.side_id, []).append(_member(r))
            parts = ProjectParts(
                {side_id: tuple(found) for side_id, found in members.items()},
                tuple(_signoff(r) for r in self.session.scalars(
                    select(Signoff).where(Signoff.project_id == project_id).order_by(Signoff.id))),
                tuple(_agreement(r) for r in self.session.scalars(
                    select(Agreement).where(Agreement.project_id == project_id).order_by(Agreement.id))))
            if revision is not None:
                self._parts_read[project_id] = (revision, parts)
        self._parts[project_id] = parts
        return parts

    def members(self, side_id: int) -> Sequence[MemberRecord]:
        project_id = self._side_projects.get(side_id)
        if project_id is not None:
            return list(self._project_parts(project_id).members.get(side_id, ()))
        if side_id not in self._members:
            self._members[side_id] = [_member(r) for r in self._run(_MEMBERS, {"side_id": side_id})]
        return list(self._members[side_id])

    def memberships(self, person_id: int) -> Sequence[tuple[ProjectRecord, SideRecord]]:
        rows = self.session.execute(
            select(Project, Side)
            .join(Side, Side.project_id == Project.id)
            .join(Member, Member.side_id == Side.id)
            .where(Member.person_id == person_id)
            .order_by(Project.id)
        )
        return [(_project(project), _side(side)) for project, side in rows]

    def membership(self, person_id: int, project_id: int) -> tuple[ProjectRecord, SideRecord] | None:
        project = self.project(project_id)
        if project is None:
            return None
        for side in self.sides(project_id):
            if any(m.person_id == person_id for m in self.members(side.id)):
                return project, side
        return None

    def update_member(self, side_id: int, person_id: int, **changes: Any) -> None:
        self._touch(side_id=side_id)
        self.session.execute(
            update(Member).where(Member.side_id == side_id, Member.person_id == person_id).values(**changes)
        )

    # ---- answers ------------------------------------------------------------------------

    def add_answer(self, side_id: int, question_key: str, status: str, value: dict[str, Any],
                   author_id: int | None, at: dt.datetime) -> AnswerRecord:
        """Two statements: the answer, and the side's last activity and answer revision."""
        answer_id = self._run(_ADD_ANSWER, {
            "side_id": side_id, "question_key": question_key, "status": status, "value": value,
            "author_id": author_id, "created_at": at}).scalar_one()
        revision = self._run(_ANSWERED, {"side_id": side_id, "at": at}).scalar_one()
        record = AnswerRecord(answer_id, side_id, question_key, status, dict(value), author_id, at)
        before = self._side_revisions.get(side_id)
        self._side_revisions[side_id] = revision
        project_id = self._side_projects.get(side_id)
        if project_id is not None and project_id in self._sides:
            self._sides[project_id] = [replace(s, last_activity_at=at) if s.id == side_id else s
                                       for s in self._sides[project_id]]
        read = self._answers_read.pop(side_id, None)
        if read is not None and before is not None and read[0] == before and revision == before + 1:
            # The side's answers as read, and this one: the next turn finds them in the cache.
            self._answers_read[side_id] = (revision, {**read[1], question_key: record})
        return record

    def latest_answers(self, side_id: int) -> dict[str, AnswerRecord]:
        revision = self._side_revisions.get(side_id)
        if revision is None:
            revision = self._run(_SIDE_REVISION, {"side_id": side_id}).scalar()
            if revision is None:
                return {}
            self._side_revisions[side_id] = revision
        read = self._answers_read.get(side_id)
        if read is not None and read[0] == revision:
            return dict(read[1])
        answers = self.cache.answers.get(side_id, revision)
        if answers is None:
            answers = self._read_latest_answers(side_id)
        self._answers_read[side_id] = (revision, answers)
        return dict(answers)

    def _read_latest_answers(self, side_id: int) -> dict[str, AnswerRecord]:
        newest = (
            select(func.max(Answer.id)).where(Answer.side_id == side_id).group_by(Answer.question_key)
        ).scalar_subquery()
        # Columns, not entities: a project's answers are read on every turn, and rows are cheaper.
        rows = self.session.execute(select(*_ANSWER_COLUMNS).where(Answer.id.in_(newest)))
        return {row.question_key: _answer(row) for row in rows}

    def answer_history(self, side_id: int, question_key: str) -> Sequence[AnswerRecord]:
        rows = self.session.scalars(
            select(Answer).where(Answer.side_id == side_id, Answer.question_key == question_key).order_by(Answer.id)
        )
        return [_answer(row) for row in rows]

    def last_activity(self, side_id: int) -> dt.datetime | None:
        return self.session.scalar(select(func.max(Answer.created_at)).where(Answer.side_id == side_id))

    # ---- sign-offs and agreements -------------------------------------------------------

    def add_signoff(self, project_id: int, phase_id: str, side_id: int, person_id: int, verdict: str,
                    note: str | None, revision_ids: tuple[int, ...], at: dt.datetime) -> SignoffRecord:
        self._touch(project_id)
        row = Signoff(project_id=project_id, phase_id=phase_id, side_id=side_id, person_id=person_id,
                      verdict=verdict, note=note, revision_ids=list(revision_ids), created_at=at)
        self.session.add(row)
        self.session.flush()
        return _signoff(row)

    def signoffs(self, project_id: int, phase_id: str) -> Sequence[SignoffRecord]:
        return [s for s in self._project_parts(project_id).signoffs if s.phase_id == phase_id]

    def add_agreement(self, project_id: int, phase_id: str, revision_ids: tuple[int, ...],
                      signoff_ids: tuple[int, ...], at: dt.datetime) -> AgreementRecord:
        self._touch(project_id)
        row = Agreement(project_id=project_id, phase_id=phase_id, revision_ids=list(revision_ids),
                        signoff_ids=list(signoff_ids), created_at=at)
        self.session.add(row)
        self.session.execute(update(Project).where(Project.id == project_id).values(changed_at=at))
        self.session.flush()
        return AgreementRecord(row.id, project_id, phase_id, tuple(revision_ids), tuple(signoff_ids), at)

    def agreements(self, project_id: int) -> Sequence[AgreementRecord]:
        return list(self._project_parts(project_id).agreements)

    # ---- invites ------------------------------------------------------------------------

    def add_invite(self, invite: InviteRecord) -> None:
        self.session.add(Invite(token=invite.token, project_id=invite.project_id, role=invite.role,
                                kind=invite.kind, created_by=invite.created_by, created_at=invite.created_at,
                                expires_at=invite.expires_at, revoked_at=invite.revoked_at))
        self.session.flush()

    def invite(self, token: str) -> InviteRecord | None:
        row = self.session.get(Invite, token)
        return _invite(row) if row else None

    def invites(self, project_id: int) -> Sequence[InviteRecord]:
        rows = self.session.scalars(select(Invite).where(Invite.project_id == project_id).order_by(Invite.created_at))
        return [_invite(row) for row in rows]

    def revoke_invite(self, token: str, at: dt.datetime) -> None:
        self.session.execute(
            update(Invite).where(Invite.token == token, Invite.revoked_at.is_(None)).values(revoked_at=at)
        )

    def add_invite_failure(self, person_id: int, at: dt.datetime, forget_before: dt.datetime) -> None:
        self.session.execute(delete(InviteFailure).where(InviteFailure.person_id == person_id,
                                                         InviteFailure.at < forget_before))
        self.session.add(InviteFailure(person_id=person_id, at=at))
        self.session.flush()

    def invite_failures(self, person_id: int, since: dt.datetime) -> list[dt.datetime]:
        return list(self.session.scalars(select(InviteFailure.at).where(
            InviteFailure.person_id == person_id, InviteFailure.at >= since).order_by(InviteFailure.at)))

    def forget_invite_failures(self, before: dt.datetime) -> int:
        return self.session.execute(delete(InviteFailure).where(InviteFailure.at < before)).rowcount or 0

    # ---- outbox -------------------------------------------------------------------------

    def add_outbox(self, chat: str, person_id: int | None, project_id: int | None, side_id: int | None,
                   kind: str, payload: dict[str, Any], due_at: dt.datetime, at: dt.datetime,
                   debounce_key: str | None = None) -> OutboxRecord:
        row = OutboxMessage(chat=chat, person_id=person_id, project_id=project_id, side_id=side_id, kind=kind,
                            debounce_key=debounce_key, payload=payload, state=PENDING, due_at=due_at,
                            created_at=at, attempts=0, parts_sent=0, parts_started=0)
        self.session.add(row)
        self.session.flush()
        return _outbox(row)

    def outbox_has(self, key_prefix: str) -> bool:
        """Whether a message with a key starting with `key_prefix` was queued (pending, sent or failed).

        On SQLite a range on the indexed key: it scans the whole outbox for a `LIKE … ESCAPE`, and its
        binary collation sorts U+10FFFF after every other character (a locale collation need not)."""
        key = OutboxMessage.debounce_key
        if self.session.get_bind().dialect.name == "sqlite":
            starts = and_(key >= key_prefix, key < key_prefix + "\U0010ffff")
        else:
            escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            starts = key.like(escaped + "%", escape="\\")
        return self.session.scalar(select(OutboxMessage.id).where(starts).limit(1)) is not None

    def drop_pending_outbox(self, project_id: int, kinds: Sequence[str]) -> int:
        """Withdraw a project's pending messages of these kinds (they would arrive stale)."""
        return self.session.execute(delete(OutboxMessage).where(
            OutboxMessage.project_id == project_id, OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.state == PENDING, OutboxMessage.claimed_until.is_(None))).rowcount or 0

    def pending_outbox(self, debounce_key: str, now: dt.datetime) -> OutboxRecord | None:
        row = self.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.debounce_key == debounce_key, OutboxMessage.state == PENDING,
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .order_by(OutboxMessage.id.desc())
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return _outbox(row) if row else None

    def update_outbox(self, outbox_id: int, **changes: Any) -> None:
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(**changes))

    def settle_outbox(self, outbox_id: int, state: str, at: dt.datetime, error: str | None = None) -> None:
        row = self.session.get(OutboxMessage, outbox_id)
        if row is None:
            return
        row.state, row.claimed_until, row.payload = state, None, _without_text(row.payload)
        row.sent_at = at if state == SENT else row.sent_at
        row.error = error[:200] if error else row.error

    def forget_outbox(self, before: dt.datetime, limit: int, counted_kind: str) -> int:
        side_active = select(Side.last_activity_at).where(Side.id == OutboxMessage.side_id).scalar_subquery()
        oldest = (select(OutboxMessage.id)
                  .where(OutboxMessage.state.in_((SENT, FAILED)), OutboxMessage.created_at < before,
                         or_(OutboxMessage.kind != counted_kind, OutboxMessage.side_id.is_(None),
                             OutboxMessage.created_at < side_active))
                  .limit(limit))
        ids = list(self.session.scalars(oldest))
        if ids:
            self.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
        return len(ids)

    def claim_outbox(self, now: dt.datetime, limit: int, lease_until: dt.datetime) -> Sequence[OutboxRecord]:
        rows = list(self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == PENDING, OutboxMessage.due_at <= now,
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ))
        for row in rows:
            row.claimed_until = lease_until
            row.attempts += 1
        self.session.flush()
        return [_outbox(row) for row in rows]

    def outbox_for_side(self, side_id: int, kind: str, since: dt.datetime) -> Sequence[OutboxRecord]:
        rows = self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.side_id == side_id, OutboxMessage.kind == kind, OutboxMessage.created_at >= since,
                   OutboxMessage.state != FAILED)
            .order_by(OutboxMessage.id)
        )
        return [_outbox(row) for row in rows]

    def idle_sides(self, idle_since: dt.datetime,
                   active_since: dt.datetime | None = None) -> Sequence[tuple[ProjectRecord, SideRecord, dt.datetime]]:
        """Sides of open projects last active between `active_since` and `idle_since` (indexed),
        except those found with nothing to be reminded of while their project has not changed since."""
        other = Side.__table__.alias("other")
        answered_since = exists().where(other.c.project_id == Project.id,
                                        other.c.last_activity_at > Side.reminders_checked_at)
        unchanged = and_(Side.reminders_checked_at.is_not(None),
                         or_(Project.changed_at.is_(None), Project.changed_at <= Side.reminders_checked_at),
                         ~answered_since)
        query = (
            select(Project, Side)
            .join(Side, Side.project_id == Project.id)
            .where(Project.closed_at.is_(None), Side.last_activity_at < idle_since, ~unchanged)
        )
        if active_since is not None:
            query = query.where(Side.last_activity_at >= active_since)
        return [(_project(project), _side(side), side.last_activity_at)
                for project, side in self.session.execute(query.order_by(Side.id))]

    def project_changed_at(self, project_id: int) -> dt.datetime | None:
        """The latest agreement, or the latest answer or new member of a side."""
        agreed = self.session.scalar(select(Project.changed_at).where(Project.id == project_id))
        active = self.session.scalar(select(func.max(Side.last_activity_at)).where(Side.project_id == project_id))
        return max((at for at in (agreed, active) if at is not None), default=None)

    def mark_reminders_checked(self, side_id: int, changed_at: dt.datetime) -> None:
        self.session.execute(update(Side).where(Side.id == side_id).values(reminders_checked_at=changed_at))

    # ---- question messages ----------------------------------------------------------------

    def add_sent_questions(self, sent: Sequence[SentTopic], at: dt.datetime) -> None:
        """One statement: a message already recorded (a redelivered reply) is left as it was."""
        if not sent:
            return
        insert = postgresql_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        rows = [{"chat": item.chat, "message_ref": item.message_ref, "project_id": item.topic.project_id,
                 "question_key": item.topic.question_key, "answer_id": item.topic.answer_id, "sent_at": at}
                for item in sent]
        self.session.execute(insert(SentQuestion.__table__).values(rows).on_conflict_do_nothing())

    def sent_question(self, chat: str, message_ref: str) -> Topic | None:
        row = self.session.get(SentQuestion, (chat, message_ref))
        return Topic(row.project_id, row.question_key, row.answer_id) if row else None

    def forget_sent_questions(self, before: dt.datetime) -> int:
        return self.session.execute(delete(SentQuestion).where(SentQuestion.sent_at < before)).rowcount or 0

    # ---- per-chat state -----------------------------------------------------------------

    def chat_state(self, person_id: int, chat: str) -> ChatStateRecord:
        key = (person_id, chat)
        if key in self._state_writes:
            return ChatStateRecord(person_id, chat, dict(self._state_writes[key]))
        return ChatStateRecord(person_id, chat, dict(self._stored_state(person_id, chat) or {}))

    def _stored_state(self, person_id: int, chat: str) -> dict[str, Any] | None:
        """The chat's state as stored (None: no row), read once per unit of work."""
        if (person_id, chat) not in self._states:
            pending = self._run(_CHAT_STATE, {"b_person": person_id, "b_chat": chat}).scalar()
            self._states[(person_id, chat)] = dict(pending) if pending is not None else None
        return self._states[(person_id, chat)]

    def set_chat_state(self, person_id: int, chat: str, pending: dict[str, Any]) -> None:
        """Kept until commit: a turn that changes its state several times writes it once."""
        self._state_writes[(person_id, chat)] = dict(pending)

    def _write_chat_states(self) -> None:
        for (person_id, chat), pending in self._state_writes.items():
            before = self._stored_state(person_id, chat)
            if pending == (before or {}):
                continue
            if not pending:
                self._run(_STATE_DROP, {"b_person": person_id, "b_chat": chat})
            elif before is None:
                self._run(_STATE_ADD, {"person_id": person_id, "chat": chat, "pending": pending})
            else:
                self._run(_STATE_SET, {"b_person": person_id, "b_chat": chat, "b_pending": pending})
            self._states[(person_id, chat)] = pending or None
        self._state_writes.clear()

    # ---- the web page ---------------------------------------------------------------------

    def web_visit(self, person_id: int, project_id: int, at: dt.datetime) -> dt.datetime | None:
        """When the person last opened the project's page (None: never); now `at` is the last visit."""
        row = self.session.get(WebVisit, (person_id, project_id))
        before = row.seen_at if row else None
        if row is None:
            self.session.add(WebVisit(person_id=person_id, project_id=project_id, seen_at=at))
        else:
            row.seen_at = at
        self.session.flush()
        return before

    # ---- files given on the web page -------------------------------------------------------

    def add_upload(self, project_id: int, name: str, mime: str, data: bytes, at: dt.datetime) -> int:
        row = Upload(project_id=project_id, name=name[:200], mime=mime[:100], size=len(data), data=data, created_at=at)
        self.session.add(row)
        self.session.flush()
        return row.id

    def upload(self, upload_id: int) -> UploadRecord | None:
        row = self.session.get(Upload, upload_id)
        return UploadRecord(row.id, row.project_id, row.name, row.mime, row.data) if row else None
