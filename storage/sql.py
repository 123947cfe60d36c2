"""`SqlUnitOfWork`: the engine's `UnitOfWork` protocol on one SQLAlchemy session."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
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
from storage.answer_cache import AnswerCache, Version
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


_CHAT_STATE = (select(ChatState.__table__.c.pending)
               .where(ChatState.__table__.c.person_id == bindparam("person_id"),
                      ChatState.__table__.c.chat == bindparam("chat")))
_SIDE_TABLE, _ANSWER_TABLE = Side.__table__, Answer.__table__
_SIDES_WITH_VERSIONS = (
    select(*_SIDE_TABLE.c,
           select(func.max(_ANSWER_TABLE.c.id)).where(_ANSWER_TABLE.c.side_id == _SIDE_TABLE.c.id)
           .scalar_subquery().label("newest"),
           select(func.count()).select_from(_ANSWER_TABLE).where(_ANSWER_TABLE.c.side_id == _SIDE_TABLE.c.id)
           .scalar_subquery().label("answers"))
    .where(_SIDE_TABLE.c.project_id == bindparam("project_id"))
    .order_by(_SIDE_TABLE.c.id)
)

_PERSON_BY_EXTERNAL_ID = (
    select(*Person.__table__.c, ChatState.__table__.c.pending)
    .outerjoin(ChatState.__table__, and_(ChatState.__table__.c.person_id == Person.__table__.c.id,
                                         ChatState.__table__.c.chat == Person.__table__.c.private_chat))
    .where(Person.__table__.c.external_id == bindparam("external_id"))
)
_PERSON_BY_ID = select(*Person.__table__.c).where(Person.__table__.c.id == bindparam("id"))
_MEMBERS = (select(*Member.__table__.c).where(Member.__table__.c.side_id == bindparam("side_id"))
            .order_by(Member.__table__.c.joined_at))

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
    """One transaction; rolled back on exit unless `commit()` was called."""

    def __init__(self, sessions: sessionmaker[Session], writer: threading.Lock | None = None,
                 answers: AnswerCache | None = None) -> None:
        self.sessions = sessions
        self.writer = writer
        self.answers = answers
        self._read: dict[int, tuple[Version, dict[str, AnswerRecord]]] = {}  # for the cache, after commit
        self._forgot_someone = False
        self._deleted_someone = False  # a person or a project: no reply of this unit is kept
        # Chat states as read (None: no row) and as set; the set ones are written once, at commit.
        self._states: dict[tuple[int, str], dict[str, Any] | None] = {}
        self._state_writes: dict[tuple[int, str], dict[str, Any]] = {}
        # Each side's answer version (newest id, count) as read with its project's sides, until it changes.
        self._versions: dict[int, Version] = {}
        # Read once per unit of work, until written here: people by id, a side's members.
        self._persons: dict[int, PersonRecord | None] = {}
        self._members: dict[int, list[MemberRecord]] = {}
        self.session: Session

    def __enter__(self) -> SqlUnitOfWork:
        if self.writer is not None:
            self.writer.acquire()
        self.session = self.sessions()
        return self

    def __exit__(self, *exc: object) -> None:
        self._read.clear()
        self._forget_memos()
        try:
            self.session.rollback()
        finally:
            self.session.close()
            if self.writer is not None:
                self.writer.release()

    def _forget_memos(self) -> None:
        self._states.clear()
        self._state_writes.clear()
        self._versions.clear()
        self._persons.clear()
        self._members.clear()

    def commit(self) -> None:
        self._write_chat_states()
        self.session.commit()
        if self.answers is not None:
            if self._forgot_someone:  # answers lost their author: read them afresh
                self.answers.clear()
            for side_id, (version, answers) in self._read.items():
                self.answers.put(side_id, version, answers)
        self._read.clear()

    def rollback(self) -> None:
        self.session.rollback()
        self._forget_memos()

    # ---- idempotency --------------------------------------------------------------------

    def lock_chat(self, chat: str) -> None:
        """On PostgreSQL, one transaction per chat at a time across every process sharing the database
        (held until commit or rollback); SQLite has one writer anyway (`BEGIN IMMEDIATE`)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(CHAT_LOCKS, func.hashtext(chat))))

    def claim_input(self, key: str, at: dt.datetime) -> bool:
        """One statement: the key is inserted, or it was there (or another process is inserting it:
        then this waits for that transaction and finds it)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        table = ProcessedInput.__table__
        statement = insert(table).values(key=key, processed_at=at).on_conflict_do_nothing().returning(table.c.key)
        return self.session.execute(statement).scalar() is not None

    def keep_reply(self, key: str, person_id: int | None, reply: dict[str, Any]) -> None:
        if self._deleted_someone:  # the reply names who or what was deleted
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
        row = self.session.execute(_PERSON_BY_EXTERNAL_ID, {"external_id": external_id}).first()
        if row is None:
            return None
        record = self._persons[row.id] = _person(row)  # type: ignore[arg-type]
        if record.private_chat is not None and (record.id, record.private_chat) not in self._states:
            self._states[(record.id, record.private_chat)] = dict(row.pending) if row.pending is not None else None
        return record

    def person(self, person_id: int) -> PersonRecord | None:
        if person_id not in self._persons:
            row = self.session.execute(_PERSON_BY_ID, {"id": person_id}).first()
            self._persons[person_id] = _person(row) if row else None  # type: ignore[arg-type]
        return self._persons[person_id]

    def add_person(self, external_id: str, name: str, locale: str | None, private_chat: str | None,
                   at: dt.datetime) -> PersonRecord:
        row = Person(external_id=external_id, name=name, locale=locale, private_chat=private_chat,
                     unreachable=False, created_at=at, reminders=True)
        self.session.add(row)
        self.session.flush()
        return _person(row)

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
        projects = select(Side.project_id).join(Member, Member.side_id == Side.id).where(Member.person_id == person_id)
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
        self._forgot_someone = True
        for key in [key for key in self._state_writes if key[0] == person_id]:
            del self._state_writes[key]
        for key in [key for key in self._states if key[0] == person_id]:
            del self._states[key]
        self._versions.clear()  # their answers changed (the message reference went)
        self._read.clear()
        self._persons.clear()
        self._members.clear()

    # ---- projects and sides -------------------------------------------------------------

    def add_project(self, name: str, created_by: int, at: dt.datetime) -> ProjectRecord:
        row = Project(name=name, created_by=created_by, created_at=at, reminder_days=3, reminder_repeat_days=7,
                      reminder_max=3)
        self.session.add(row)
        self.session.flush()
        return _project(row)

    def project(self, project_id: int) -> ProjectRecord | None:
        row = self.session.get(Project, project_id)
        return _project(row) if row else None

    def update_project(self, project_id: int, **changes: Any) -> None:
        self.session.execute(update(Project).where(Project.id == project_id).values(**changes))

    def delete_project(self, project_id: int) -> None:
        self._persons.clear()  # their current project
        self._members.clear()
        self._forget_replies(select(Member.person_id).join(Side, Side.id == Member.side_id)
                             .where(Side.project_id == project_id))
        self.session.execute(
            update(Person).where(Person.current_project_id == project_id).values(current_project_id=None)
        )
        self.session.execute(delete(Project).where(Project.id == project_id))

    def add_side(self, project_id: int, role: str, organisation: str | None) -> SideRecord:
        row = Side(project_id=project_id, role=role, organisation=organisation,
                   last_activity_at=dt.datetime.now(dt.UTC))
        self.session.add(row)
        self.session.flush()
        return _side(row)

    def sides(self, project_id: int) -> Sequence[SideRecord]:
        """The project's sides; each side's answer version comes along (for `latest_answers`)."""
        rows = self.session.execute(_SIDES_WITH_VERSIONS, {"project_id": project_id}).all()
        for row in rows:
            self._versions[row.id] = (row.newest, row.answers)
        return [_side(row) for row in rows]

    def side(self, side_id: int) -> SideRecord | None:
        row = self.session.get(Side, side_id)
        return _side(row) if row else None

    def side_by_group_chat(self, chat: str) -> SideRecord | None:
        row = self.session.scalar(select(Side).where(Side.group_chat == chat))
        return _side(row) if row else None

    def update_side(self, side_id: int, **changes: Any) -> None:
        self.session.execute(update(Side).where(Side.id == side_id).values(**changes))

    # ---- membership ---------------------------------------------------------------------

    def add_member(self, side_id: int, person_id: int, at: dt.datetime) -> None:
        self._members.pop(side_id, None)
        if self.session.get(Member, (side_id, person_id)) is None:
            self.session.add(Member(side_id=side_id, person_id=person_id, joined_at=at, muted=False, paused=False))
            self.session.execute(update(Side).where(Side.id == side_id).values(last_activity_at=at))
            self.session.flush()

    def remove_member(self, side_id: int, person_id: int) -> None:
        self._members.pop(side_id, None)
        self.session.execute(delete(Member).where(Member.side_id == side_id, Member.person_id == person_id))

    def members(self, side_id: int) -> Sequence[MemberRecord]:
        if side_id not in self._members:
            rows = self.session.execute(_MEMBERS, {"side_id": side_id})
            self._members[side_id] = [
                MemberRecord(r.side_id, r.person_id, r.joined_at, bool(r.muted), bool(r.paused), bool(r.in_group),
                             r.notify_where) for r in rows]
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

    def update_member(self, side_id: int, person_id: int, **changes: Any) -> None:
        self._members.pop(side_id, None)
        self.session.execute(
            update(Member).where(Member.side_id == side_id, Member.person_id == person_id).values(**changes)
        )

    # ---- answers ------------------------------------------------------------------------

    def add_answer(self, side_id: int, question_key: str, status: str, value: dict[str, Any],
                   author_id: int | None, at: dt.datetime) -> AnswerRecord:
        row = Answer(side_id=side_id, question_key=question_key, status=status, value=value,
                     author_id=author_id, created_at=at)
        self.session.add(row)
        self._versions.pop(side_id, None)
        self.session.execute(update(Side).where(Side.id == side_id).values(last_activity_at=at))
        project_of_side = select(Side.project_id).where(Side.id == side_id).scalar_subquery()
        self.session.execute(update(Project).where(Project.id == project_of_side).values(changed_at=at))
        self.session.flush()
        record = _answer(row)
        read = self._read.pop(side_id, None)
        if read is not None and (read[0][0] is None or record.id > read[0][0]):
            # The side's answers as read, and this one: the next turn finds them in the cache.
            self._read[side_id] = ((record.id, read[0][1] + 1), {**read[1], record.question_key: record})
        return record

    def latest_answers(self, side_id: int) -> dict[str, AnswerRecord]:
        version = self._versions.pop(side_id, None)  # read with the sides, just before (and only once)
        if version is None:
            version = tuple(self.session.execute(  # type: ignore[assignment]
                select(func.max(Answer.id), func.count()).where(Answer.side_id == side_id)).one())
        if self.answers is not None and (cached := self.answers.get(side_id, version)) is not None:
            self._read[side_id] = (version, dict(cached))  # kept current by `add_answer`
            return cached
        answers = self._read_latest_answers(side_id)
        if self.answers is not None:
            self._read[side_id] = (version, dict(answers))
        return answers

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
        row = Signoff(project_id=project_id, phase_id=phase_id, side_id=side_id, person_id=person_id,
                      verdict=verdict, note=note, revision_ids=list(revision_ids), created_at=at)
        self.session.add(row)
        self.session.flush()
        return _signoff(row)

    def signoffs(self, project_id: int, phase_id: str) -> Sequence[SignoffRecord]:
        rows = self.session.scalars(
            select(Signoff).where(Signoff.project_id == project_id, Signoff.phase_id == phase_id).order_by(Signoff.id)
        )
        return [_signoff(row) for row in rows]

    def add_agreement(self, project_id: int, phase_id: str, revision_ids: tuple[int, ...],
                      signoff_ids: tuple[int, ...], at: dt.datetime) -> AgreementRecord:
        row = Agreement(project_id=project_id, phase_id=phase_id, revision_ids=list(revision_ids),
                        signoff_ids=list(signoff_ids), created_at=at)
        self.session.add(row)
        self.session.execute(update(Project).where(Project.id == project_id).values(changed_at=at))
        self.session.flush()
        return AgreementRecord(row.id, project_id, phase_id, tuple(revision_ids), tuple(signoff_ids), at)

    def agreements(self, project_id: int) -> Sequence[AgreementRecord]:
        rows = self.session.scalars(select(Agreement).where(Agreement.project_id == project_id).order_by(Agreement.id))
        return [AgreementRecord(r.id, r.project_id, r.phase_id, tuple(r.revision_ids), tuple(r.signoff_ids),
                                r.created_at) for r in rows]

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
        """Whether a message with a key starting with `key_prefix` was queued (pending, sent or failed)."""
        escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.debounce_key.like(escaped + "%", escape="\\")).limit(1)) is not None

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
        unchanged = and_(Side.reminders_checked_at.is_not(None), Project.changed_at.is_not(None),
                         Project.changed_at <= Side.reminders_checked_at)
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
        return self.session.scalar(select(Project.changed_at).where(Project.id == project_id))

    def mark_reminders_checked(self, side_id: int, changed_at: dt.datetime) -> None:
        self.session.execute(update(Side).where(Side.id == side_id).values(reminders_checked_at=changed_at))

    # ---- question messages ----------------------------------------------------------------

    def add_sent_questions(self, sent: Sequence[SentTopic], at: dt.datetime) -> None:
        for item in sent:
            row = self.session.get(SentQuestion, (item.chat, item.message_ref))
            if row is None:
                self.session.add(SentQuestion(chat=item.chat, message_ref=item.message_ref, project_id=item.topic.project_id,
                                              question_key=item.topic.question_key, answer_id=item.topic.answer_id, sent_at=at))
        self.session.flush()

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
        if key not in self._states:
            pending = self.session.execute(_CHAT_STATE, {"person_id": person_id, "chat": chat}).scalar()
            self._states[key] = dict(pending) if pending is not None else None
        return ChatStateRecord(person_id, chat, dict(self._states[key] or {}))

    def set_chat_state(self, person_id: int, chat: str, pending: dict[str, Any]) -> None:
        """Kept until commit: a turn that changes its state several times writes it once."""
        self._state_writes[(person_id, chat)] = dict(pending)

    def _write_chat_states(self) -> None:
        table = ChatState.__table__
        for (person_id, chat), pending in self._state_writes.items():
            key = {"person_id": person_id, "chat": chat}
            if (person_id, chat) not in self._states:
                stored = self.session.execute(_CHAT_STATE, key).scalar()
                self._states[(person_id, chat)] = dict(stored) if stored is not None else None
            before = self._states[(person_id, chat)]
            if pending == (before or {}):
                continue
            if not pending:
                self.session.execute(delete(table).where(table.c.person_id == person_id, table.c.chat == chat))
            elif before is None:
                self.session.execute(table.insert().values(**key, pending=pending))
            else:
                self.session.execute(update(table).where(table.c.person_id == person_id, table.c.chat == chat)
                                     .values(pending=pending))
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
