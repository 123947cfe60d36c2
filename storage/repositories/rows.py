"""Rows as the engine's records: one small function per table, and a joined row's columns by prefix."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result, Row

from bot.engine.records import (
    AgreementRecord,
    AnswerRecord,
    InviteRecord,
    MemberRecord,
    OutboxRecord,
    PersonRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
)
from bot.guide.model import SIDES
from bot.guide.model import Side as GuideSide  # storage.models has a `Side` table
from storage.models import Agreement, Answer, Invite, OutboxMessage, Person, Project, Side, Signoff


def labelled(table: Any, prefix: str) -> list[Any]:
    return [column.label(prefix + column.name) for column in table.c]


def affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a `CursorResult`)."""
    return cast(CursorResult[Any], result).rowcount or 0


class Columns:
    """One table's columns in a joined row, by name (they were labelled `prefix` + name)."""

    def __init__(self, row: Row[Any], prefix: str) -> None:
        self._mapping, self._prefix = row._mapping, prefix

    def __getattr__(self, name: str) -> Any:
        return self._mapping[self._prefix + name]


def person(row: Person | Columns) -> PersonRecord:
    return PersonRecord(row.id, row.external_id, row.name, row.locale, row.private_chat,
                        row.current_project_id, bool(row.unreachable), row.created_at, row.timezone,
                        bool(row.reminders), row.email, row.email_confirmed_at, row.told_by)


def stored_role(stored: str) -> GuideSide:
    """A side's role as stored (the schema allows only "sharer" and "reuser")."""
    if stored not in SIDES:
        raise ValueError(f"unknown side role {stored!r}")
    return stored  # type: ignore[return-value]  # checked above


def project(row: Project | Columns) -> ProjectRecord:
    return ProjectRecord(row.id, row.name, row.created_by, row.created_at, row.closed_at, row.closed_reason,
                         row.reminder_days, row.reminder_repeat_days, row.reminder_max)


def side(row: Side | Columns) -> SideRecord:
    return SideRecord(row.id, row.project_id, stored_role(row.role), row.organisation, row.group_chat,
                      row.group_locale, row.last_activity_at, row.currency)


def answer(row: Answer | Row[Any]) -> AnswerRecord:
    return AnswerRecord(row.id, row.side_id, row.question_key, row.status, dict(row.value or {}),
                        row.author_id, row.created_at)


ANSWER_COLUMNS = (Answer.id, Answer.side_id, Answer.question_key, Answer.status, Answer.value, Answer.author_id,
                  Answer.created_at)


def signoff(row: Signoff) -> SignoffRecord:
    return SignoffRecord(row.id, row.project_id, row.phase_id, row.side_id, row.person_id, row.verdict,
                         row.note, tuple(row.revision_ids), row.created_at)


def member(row: Any) -> MemberRecord:
    return MemberRecord(row.side_id, row.person_id, row.joined_at, bool(row.muted), bool(row.paused),
                        bool(row.in_group), row.notify_where)


def agreement(row: Agreement) -> AgreementRecord:
    return AgreementRecord(row.id, row.project_id, row.phase_id, tuple(row.revision_ids), tuple(row.signoff_ids),
                           row.created_at)


def outbox(row: OutboxMessage) -> OutboxRecord:
    return OutboxRecord(row.id, row.chat, row.person_id, row.project_id, row.side_id, row.kind, row.debounce_key,
                        dict(row.payload or {}), row.state, row.due_at, row.created_at, row.claimed_until,
                        row.attempts, row.sent_at, row.error, row.parts_sent,
                        row.parts_started, row.answer_id)


def invite(row: Invite) -> InviteRecord:
    return InviteRecord(row.token, row.project_id, stored_role(row.role), row.kind, row.created_by, row.created_at,
                        row.expires_at, row.revoked_at)


def without_text(payload: dict[str, Any]) -> dict[str, Any]:
    """A settled message's payload: what it was about (e.g. a reminder's round), not what it said."""
    return {k: v for k, v in payload.items() if k not in ("text", "buttons")}
