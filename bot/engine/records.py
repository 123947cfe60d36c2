"""The records the engine works with: plain, frozen data that storage reads and writes.

All ids are integers chosen by the store; external ids (a Telegram user or chat id, or a console
name) are strings such as ``"tg:12345"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.guide.model import Side

# Answer statuses: an answer, or one of the two ways to skip a question – or, stored by an undo of
# the first answer, none: the question is not answered (the side's latest answers leave it out).
ANSWERED = "answered"
NOT_RELEVANT = "not_relevant"
LATER = "later"
UNANSWERED = "unanswered"
UNDOES = "undoes"  # in the value of a revision an undo stored: the id of the revision it undid

# Where a person is told of what others do: in their Telegram chat, by mail, or both.
CHAT, MAIL, BOTH = "chat", "mail", "both"

# Sign-off verdicts.
AGREE = "agree"
CHANGES = "changes"


@dataclass(frozen=True)
class PersonRecord:
    id: int
    external_id: str
    name: str
    locale: str | None = None
    private_chat: str | None = None
    current_project_id: int | None = None
    unreachable: bool = False
    created_at: dt.datetime | None = None
    timezone: str | None = None
    reminders: bool = True
    email: str | None = None  # an address given to be told by mail, used once confirmed
    email_confirmed_at: dt.datetime | None = None
    told_by: str | None = None  # CHAT, MAIL or BOTH (None: in the chat, else by confirmed mail)

    @property
    def mail_address(self) -> str | None:
        """The confirmed address the person is told at, if any."""
        return self.email if self.email and self.email_confirmed_at is not None else None


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    name: str
    created_by: int | None  # None once the creator used /forget
    created_at: dt.datetime
    closed_at: dt.datetime | None = None
    closed_reason: str | None = None
    reminder_days: int = 3
    reminder_repeat_days: int = 7
    reminder_max: int = 3


@dataclass(frozen=True)
class SideRecord:
    id: int
    project_id: int
    role: Side
    organisation: str | None = None
    group_chat: str | None = None
    group_locale: str | None = None
    last_activity_at: dt.datetime | None = None
    currency: str | None = None  # what an amount typed without one is in; None until known


@dataclass(frozen=True)
class MemberRecord:
    side_id: int
    person_id: int
    joined_at: dt.datetime
    muted: bool = False
    paused: bool = False
    in_group: bool = False  # has written in the side's team group (so reads it)
    notify_where: str | None = None  # "group", "private" or "both"; None: in the group if in it, else privately


@dataclass(frozen=True)
class AnswerRecord:
    """One revision of a side's answer to a question; the newest revision counts."""

    id: int
    side_id: int
    question_key: str
    status: str  # ANSWERED | NOT_RELEVANT | LATER
    value: dict[str, Any]
    author_id: int | None
    created_at: dt.datetime


@dataclass(frozen=True)
class SignoffRecord:
    id: int
    project_id: int
    phase_id: str
    side_id: int
    person_id: int | None
    verdict: str  # AGREE | CHANGES
    note: str | None
    revision_ids: tuple[int, ...]
    created_at: dt.datetime


@dataclass(frozen=True)
class AgreementRecord:
    """Both sides agreed on a phase, covering exactly `revision_ids`."""

    id: int
    project_id: int
    phase_id: str
    revision_ids: tuple[int, ...]
    signoff_ids: tuple[int, ...]
    created_at: dt.datetime


@dataclass(frozen=True)
class InviteRecord:
    token: str
    project_id: int
    role: Side  # side joined with it
    kind: str  # "partner" (the other organisation) | "team" (teammates)
    created_by: int | None  # None once the creator used /forget
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True)
class ChatStateRecord:
    """What a person is in the middle of in one chat (e.g. typing a project name)."""

    person_id: int
    chat: str
    pending: dict[str, Any] = field(default_factory=dict)


# Outbox states.
PENDING = "pending"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class OutboxRecord:
    """A nudge or reminder to send; `payload` holds the rendered message and what it is about."""

    id: int
    chat: str
    person_id: int | None
    project_id: int | None
    side_id: int | None
    kind: str
    debounce_key: str | None
    payload: dict[str, Any]
    state: str
    due_at: dt.datetime
    created_at: dt.datetime
    claimed_until: dt.datetime | None = None
    attempts: int = 0
    sent_at: dt.datetime | None = None
    error: str | None = None
    parts_sent: int = 0
    parts_started: int = 0
    answer_id: int | None = None  # the answer revision whose change this tells of (an undo withdraws it)


@dataclass(frozen=True)
class UploadRecord:
    """A file given with an answer on the web page; answers refer to it as ``upload:<id>``."""

    id: int
    project_id: int
    name: str
    mime: str
    data: bytes
