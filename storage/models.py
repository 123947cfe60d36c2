"""The database schema as SQLAlchemy 2 typed models.

The models describe tables for the ORM; Alembic migrations (`storage/migrations`) create them.
Answers, sign-offs and agreements are only ever added: a new revision never overwrites an old one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false, true

EXTERNAL_ID = 64  # "tg:<64-bit id>" or a console name


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    type_annotation_map = {dt.datetime: UtcDateTime, dict[str, Any]: JSON, list[int]: JSON}


def table(model: type[Base]) -> Table:
    """A model's table, for Core statements (typed as the `Table` it is)."""
    return cast(Table, model.__table__)


# Integer primary keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(EXTERNAL_ID), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    locale: Mapped[str | None] = mapped_column(String(16))
    private_chat: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    # No foreign key (persons and projects refer to each other); cleared when a project is deleted.
    current_project_id: Mapped[int | None] = mapped_column(Id)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime]
    timezone: Mapped[str | None] = mapped_column(String(64))
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    email: Mapped[str | None] = mapped_column(String(254))  # told there once confirmed (see SECURITY.md)
    email_confirmed_at: Mapped[dt.datetime | None]
    told_by: Mapped[str | None] = mapped_column(String(8))  # chat | mail | both


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(String(32))
    # Reminders: first after this many idle days, then every `reminder_repeat_days`, at most `reminder_max`.
    reminder_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    reminder_repeat_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    reminder_max: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # The latest agreement (and, before revision 0011, answer): what may give a side new questions
    # to be reminded of; a side's `last_activity_at` counts as well.
    changed_at: Mapped[dt.datetime | None]
    # Counts changes of the project, its sides, members, sign-offs and agreements (not answers).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Side(Base):
    __tablename__ = "sides"
    __table_args__ = (UniqueConstraint("project_id", "role"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(200))
    group_chat: Mapped[str | None] = mapped_column(String(EXTERNAL_ID), unique=True)
    group_locale: Mapped[str | None] = mapped_column(String(16))
    # What an amount typed without a currency is in (ISO 4217); None until known.
    currency: Mapped[str | None] = mapped_column(String(3))
    # The side's latest answer or newest member: what reminders count idle days from.
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    # When the reminder scan last found nothing to remind this side of (its project unchanged since).
    reminders_checked_at: Mapped[dt.datetime | None]
    # Counts writes of the side's answers: the latest answers read at one revision stay valid.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Member(Base):
    __tablename__ = "members"

    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime]
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    in_group: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notify_where: Mapped[str | None] = mapped_column(String(16))


class Answer(Base):
    """One revision of a side's answer; the highest id per question is the current one."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_side_question", "side_id", "question_key", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    value: Mapped[dict[str, Any]]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]


class Signoff(Base):
    __tablename__ = "signoffs"
    __table_args__ = (Index("ix_signoffs_project_phase", "project_id", "phase_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    phase_id: Mapped[str] = mapped_column(String(32))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    revision_ids: Mapped[list[int]]
    created_at: Mapped[dt.datetime]


class Agreement(Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    phase_id: Mapped[str] = mapped_column(String(32))
    revision_ids: Mapped[list[int]]
    signoff_ids: Mapped[list[int]]
    created_at: Mapped[dt.datetime]


class Invite(Base):
    __tablename__ = "invites"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class InviteFailure(Base):
    """An invite code that did not work for this person: too many within an hour, and they wait."""

    __tablename__ = "invite_failures"
    __table_args__ = (Index("ix_invite_failures_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]


class ChatState(Base):
    """What a person is in the middle of in one chat."""

    __tablename__ = "chat_states"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    chat: Mapped[str] = mapped_column(String(EXTERNAL_ID), primary_key=True)
    pending: Mapped[dict[str, Any]]


class WebVisit(Base):
    """When a member last opened a project's web page: what changed since is marked on the page."""

    __tablename__ = "web_visits"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[dt.datetime]


class Upload(Base):
    """A file given as part of an answer on the web page (Telegram keeps its own files; these we keep)."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime]


class SentQuestion(Base):
    """A question message the bot sent, so a reply to it is filed under that question."""

    __tablename__ = "sent_questions"

    chat: Mapped[str] = mapped_column(String(EXTERNAL_ID), primary_key=True)
    message_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(128))
    answer_id: Mapped[int | None]  # the question's answer revision when it was shown (None: unanswered)
    sent_at: Mapped[dt.datetime] = mapped_column(index=True)


class ProcessedInput(Base):
    """Keys of inputs already handled, so a redelivered update is answered once."""

    __tablename__ = "processed_inputs"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(index=True)
    # Who sent it (no foreign key: forgetting someone clears their replies) and what the bot
    # replied, sent again when the same update is delivered again.
    person_id: Mapped[int | None] = mapped_column(Id, index=True)
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxMessage(Base):
    """A nudge or reminder waiting to be sent, written in the transaction of the change behind it.

    `state` is pending → sent, or failed (recipient unreachable). A worker claims pending rows
    (`claimed_until`) before sending, so several workers never send one row twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_due", "state", "due_at"),
        Index("ix_outbox_debounce", "debounce_key", "state"),
        Index("ix_outbox_side_kind", "side_id", "kind", "created_at"),
        Index("ix_outbox_project_state", "project_id", "state"),
        Index("ix_outbox_answer", "answer_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    chat: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    side_id: Mapped[int | None] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    debounce_key: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    claimed_until: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))
    # How many parts (chunks of a long text, then files) Telegram accepted: a retry starts after them.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How many parts a worker began to send: a part begun and not recorded as sent (the worker was
    # killed) may have arrived, and is not sent again.
    parts_started: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The answer revision whose change the message tells of: an undo of it withdraws the message or,
    # once sent, tells its chat that the answer was taken back.
    answer_id: Mapped[int | None] = mapped_column(Integer)
