"""What the engine needs from storage: plain records and a unit-of-work protocol.

The engine never imports SQLAlchemy; `storage.sql` implements `UnitOfWork` on a database.
All ids are integers chosen by the store; external ids (a Telegram user or chat id, or a console
name) are strings such as ``"tg:12345"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# Answer statuses: an answer, or one of the two ways to skip a question.
ANSWERED = "answered"
NOT_RELEVANT = "not_relevant"
LATER = "later"

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


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    name: str
    created_by: int
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
    role: str  # "sharer" | "reuser"
    organisation: str | None = None
    group_chat: str | None = None
    group_locale: str | None = None
    last_activity_at: dt.datetime | None = None


@dataclass(frozen=True)
class MemberRecord:
    side_id: int
    person_id: int
    joined_at: dt.datetime
    muted: bool = False
    paused: bool = False


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
    role: str  # side joined with it
    kind: str  # "partner" (the other organisation) | "team" (teammates)
    created_by: int
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


class UnitOfWork(Protocol):
    """One transaction: everything is rolled back unless `commit()` is called."""

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

    # Idempotency: False when this input key was already processed.
    def claim_input(self, key: str, at: dt.datetime) -> bool: ...
    def forget_inputs(self, before: dt.datetime, limit: int) -> int:
        """Delete up to `limit` input keys claimed before `before`; returns how many."""

    # People
    def person_by_external_id(self, external_id: str) -> PersonRecord | None: ...
    def person(self, person_id: int) -> PersonRecord | None: ...
    def add_person(self, external_id: str, name: str, locale: str | None, private_chat: str | None, at: dt.datetime) -> PersonRecord: ...
    def update_person(self, person_id: int, **changes: Any) -> None: ...
    def delete_person(self, person_id: int) -> None: ...

    # Projects and sides
    def add_project(self, name: str, created_by: int, at: dt.datetime) -> ProjectRecord: ...
    def project(self, project_id: int) -> ProjectRecord | None: ...
    def update_project(self, project_id: int, **changes: Any) -> None: ...
    def delete_project(self, project_id: int) -> None: ...
    def add_side(self, project_id: int, role: str, organisation: str | None) -> SideRecord: ...
    def sides(self, project_id: int) -> Sequence[SideRecord]: ...
    def side(self, side_id: int) -> SideRecord | None: ...
    def side_by_group_chat(self, chat: str) -> SideRecord | None: ...
    def update_side(self, side_id: int, **changes: Any) -> None: ...

    # Membership
    def add_member(self, side_id: int, person_id: int, at: dt.datetime) -> None: ...
    def remove_member(self, side_id: int, person_id: int) -> None: ...
    def members(self, side_id: int) -> Sequence[MemberRecord]: ...
    def memberships(self, person_id: int) -> Sequence[tuple[ProjectRecord, SideRecord]]: ...
    def update_member(self, side_id: int, person_id: int, **changes: Any) -> None: ...

    # Answers: revisions are only ever added
    def add_answer(self, side_id: int, question_key: str, status: str, value: dict[str, Any], author_id: int | None, at: dt.datetime) -> AnswerRecord: ...
    def latest_answers(self, side_id: int) -> dict[str, AnswerRecord]: ...
    def answer_history(self, side_id: int, question_key: str) -> Sequence[AnswerRecord]: ...
    def last_activity(self, side_id: int) -> dt.datetime | None: ...

    # Sign-offs and agreements
    def add_signoff(self, project_id: int, phase_id: str, side_id: int, person_id: int, verdict: str, note: str | None, revision_ids: tuple[int, ...], at: dt.datetime) -> SignoffRecord: ...
    def signoffs(self, project_id: int, phase_id: str) -> Sequence[SignoffRecord]: ...
    def add_agreement(self, project_id: int, phase_id: str, revision_ids: tuple[int, ...], signoff_ids: tuple[int, ...], at: dt.datetime) -> AgreementRecord: ...
    def agreements(self, project_id: int) -> Sequence[AgreementRecord]: ...

    # Invites
    def add_invite(self, invite: InviteRecord) -> None: ...
    def invite(self, token: str) -> InviteRecord | None: ...
    def invites(self, project_id: int) -> Sequence[InviteRecord]: ...
    def revoke_invite(self, token: str, at: dt.datetime) -> None: ...

    # Outbox: nudges and reminders, sent by a worker after commit
    def add_outbox(self, chat: str, person_id: int | None, project_id: int | None, side_id: int | None, kind: str, payload: dict[str, Any], due_at: dt.datetime, at: dt.datetime, debounce_key: str | None = None) -> OutboxRecord: ...
    def pending_outbox(self, debounce_key: str, now: dt.datetime) -> OutboxRecord | None: ...
    def update_outbox(self, outbox_id: int, **changes: Any) -> None: ...
    def claim_outbox(self, now: dt.datetime, limit: int, lease_until: dt.datetime) -> Sequence[OutboxRecord]: ...
    def outbox_for_side(self, side_id: int, kind: str, since: dt.datetime) -> Sequence[OutboxRecord]: ...
    def idle_sides(self, idle_since: dt.datetime, active_since: dt.datetime | None = None) -> Sequence[tuple[ProjectRecord, SideRecord, dt.datetime]]: ...
    def project_changed_at(self, project_id: int) -> dt.datetime | None:
        """When the project last got an answer or an agreement (None: never)."""
    def mark_reminders_checked(self, side_id: int, changed_at: dt.datetime) -> None:
        """The scan found nothing to remind the side of in the project as of `changed_at`:
        `idle_sides` leaves the side out until the project changes again."""

    # Per-chat conversation state
    def chat_state(self, person_id: int, chat: str) -> ChatStateRecord: ...
    def set_chat_state(self, person_id: int, chat: str, pending: dict[str, Any]) -> None: ...
