"""`SqlOutbox`: nudges and reminders queued by turns, sent by a worker after commit; idle sides.

The reminder scan finds the sides to remind here, and notes which ones it found nothing for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update

from bot.engine.model import MAIL_CHAT
from bot.engine.records import FAILED, PENDING, SENT, OutboxRecord, ProjectRecord, SideRecord
from storage.models import OutboxMessage, Project, Side, table
from storage.repositories import rows
from storage.repositories.memo import Memo


class SqlOutbox:
    """Outbox rows: queued, claimed with a lease, settled, forgotten."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, chat: str, person_id: int | None, project_id: int | None, side_id: int | None,
            kind: str, payload: dict[str, Any], due_at: dt.datetime, at: dt.datetime,
            debounce_key: str | None = None, answer_id: int | None = None) -> OutboxRecord:
        row = OutboxMessage(chat=chat, person_id=person_id, project_id=project_id, side_id=side_id, kind=kind,
                            debounce_key=debounce_key, payload=payload, state=PENDING, due_at=due_at,
                            created_at=at, attempts=0, parts_sent=0, parts_started=0, answer_id=answer_id)
        self.memo.session.add(row)
        self.memo.session.flush()
        return rows.outbox(row)

    def has(self, key_prefix: str) -> bool:
        """Whether a message with a key starting with `key_prefix` was queued (pending, sent or failed).

        On SQLite a range on the indexed key: it scans the whole outbox for a `LIKE … ESCAPE`, and its
        binary collation sorts U+10FFFF after every other character (a locale collation need not)."""
        return self.memo.session.scalar(select(OutboxMessage.id).where(self._starts(key_prefix)).limit(1)) is not None

    def _starts(self, key_prefix: str) -> Any:
        key = OutboxMessage.debounce_key
        if self.memo.session.get_bind().dialect.name == "sqlite":
            return and_(key >= key_prefix, key < key_prefix + "\U0010ffff")
        escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return key.like(escaped + "%", escape="\\")

    def withdraw(self, key_prefix: str, kind: str) -> int:
        """Withdraw the pending messages of `kind` whose key starts with `key_prefix` (shown otherwise)."""
        return rows.affected(self.memo.session.execute(delete(OutboxMessage).where(
            self._starts(key_prefix), OutboxMessage.kind == kind, OutboxMessage.state == PENDING,
            OutboxMessage.claimed_until.is_(None))))

    def caused_by(self, answer_id: int) -> Sequence[OutboxRecord]:
        """The messages that tell of this answer revision's change, pending or settled."""
        found = self.memo.session.scalars(
            select(OutboxMessage).where(OutboxMessage.answer_id == answer_id).order_by(OutboxMessage.id))
        return [rows.outbox(row) for row in found]

    def take_back(self, outbox_id: int, now: dt.datetime) -> bool:
        """Withdraw a message not yet sent, nor being sent (claimed by a worker): whether it was."""
        return rows.affected(self.memo.session.execute(delete(OutboxMessage).where(
            OutboxMessage.id == outbox_id, OutboxMessage.state == PENDING, OutboxMessage.parts_started == 0,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)))) > 0

    def drop_pending(self, project_id: int, kinds: Sequence[str]) -> int:
        """Withdraw a project's pending messages of these kinds (they would arrive stale)."""
        return rows.affected(self.memo.session.execute(delete(OutboxMessage).where(
            OutboxMessage.project_id == project_id, OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.state == PENDING, OutboxMessage.claimed_until.is_(None))))

    def pending(self, debounce_key: str, now: dt.datetime, kind: str | None = None) -> OutboxRecord | None:
        """The newest message with this key that waits to be sent (with `kind`: of that kind, whose key
        starts with `debounce_key`), locked for this unit of work."""
        found = (self._starts(debounce_key) & (OutboxMessage.kind == kind) if kind is not None
                 else OutboxMessage.debounce_key == debounce_key)
        row = self.memo.session.scalar(
            select(OutboxMessage)
            .where(found, OutboxMessage.state == PENDING,
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .order_by(OutboxMessage.id.desc())
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return rows.outbox(row) if row else None

    def update(self, outbox_id: int, **changes: Any) -> None:
        self.memo.session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(**changes))

    def settle(self, outbox_id: int, state: str, at: dt.datetime, error: str | None = None) -> None:
        """Sent or failed for good: the row keeps what it was about, not its text (names, answers)."""
        row = self.memo.session.get(OutboxMessage, outbox_id)
        if row is None:
            return
        row.state, row.claimed_until, row.payload = state, None, rows.without_text(row.payload)
        row.sent_at = at if state == SENT else row.sent_at
        row.error = error[:200] if error else row.error

    def forget(self, before: dt.datetime, limit: int, counted_kind: str) -> int:
        """Delete up to `limit` settled rows created before `before`, except rows of `counted_kind`
        (reminders) newer than their side's latest activity; returns how many."""
        session = self.memo.session
        side_active = select(Side.last_activity_at).where(Side.id == OutboxMessage.side_id).scalar_subquery()
        oldest = (select(OutboxMessage.id)
                  .where(OutboxMessage.state.in_((SENT, FAILED)), OutboxMessage.created_at < before,
                         or_(OutboxMessage.kind != counted_kind, OutboxMessage.side_id.is_(None),
                             OutboxMessage.created_at < side_active))
                  .limit(limit))
        ids = list(session.scalars(oldest))
        if ids:
            session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
        return len(ids)

    def claim(self, now: dt.datetime, limit: int, lease_until: dt.datetime,
              mail: bool | None = None) -> Sequence[OutboxRecord]:
        session = self.memo.session
        channel = [] if mail is None else [OutboxMessage.chat.startswith(MAIL_CHAT, autoescape=True) if mail
                                           else ~OutboxMessage.chat.startswith(MAIL_CHAT, autoescape=True)]
        found = list(session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == PENDING, OutboxMessage.due_at <= now,
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now), *channel)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ))
        for row in found:
            row.claimed_until = lease_until
            row.attempts += 1
        session.flush()
        return [rows.outbox(row) for row in found]

    def for_side(self, side_id: int, kind: str, since: dt.datetime) -> Sequence[OutboxRecord]:
        found = self.memo.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.side_id == side_id, OutboxMessage.kind == kind, OutboxMessage.created_at >= since,
                   OutboxMessage.state != FAILED)
            .order_by(OutboxMessage.id)
        )
        return [rows.outbox(row) for row in found]

    def idle_sides(self, idle_since: dt.datetime,
                   active_since: dt.datetime | None = None) -> Sequence[tuple[ProjectRecord, SideRecord, dt.datetime]]:
        """Sides of open projects last active between `active_since` and `idle_since` (indexed),
        except those found with nothing to be reminded of while their project has not changed since."""
        other = table(Side).alias("other")
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
        return [(rows.project(project), rows.side(side), side.last_activity_at or idle_since)  # never None here
                for project, side in self.memo.session.execute(query.order_by(Side.id))]

    def project_changed_at(self, project_id: int) -> dt.datetime | None:
        """When the project last got an answer, a member or an agreement (None: never): the latest
        agreement, or the latest answer or new member of a side."""
        session = self.memo.session
        agreed = session.scalar(select(Project.changed_at).where(Project.id == project_id))
        active = session.scalar(select(func.max(Side.last_activity_at)).where(Side.project_id == project_id))
        return max((at for at in (agreed, active) if at is not None), default=None)

    def mark_reminders_checked(self, side_id: int, changed_at: dt.datetime) -> None:
        """The scan found nothing to remind the side of in the project as of `changed_at`:
        `idle_sides` leaves the side out until the project changes again."""
        self.memo.session.execute(update(Side).where(Side.id == side_id).values(reminders_checked_at=changed_at))
