"""The engine's side of the outbox: nudges and reminders are rows first, messages later.

A turn writes outbox rows in its own transaction (so a nudge exists exactly when the change behind
it was committed). A delivery worker — in the Telegram adapter, the console, or a test — claims due
rows, sends them, and reports back with `sent`, `retry` or `unreachable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.model import Button, Message
from bot.engine.ports import UnitOfWork
from bot.engine.records import FAILED, SENT, OutboxRecord

# A claimed row is not handed to another worker for this long after its claim or its latest
# delivered part (a heartbeat): a worker killed mid-send delays the rest of that message this long.
LEASE = dt.timedelta(seconds=60)
# Sent and failed rows (without their text, see `settle_outbox`) are deleted after this long;
# reminders are kept while they count (until their side is active again). See SECURITY.md.
SETTLED_KEPT = dt.timedelta(days=30)
REMINDER = "reminder"  # the kind of reminder rows, which count rounds


def message_payload(text: str, buttons: tuple[tuple[Button, ...], ...], **extra: Any) -> dict[str, Any]:
    return {"text": text, "buttons": [[[b.label, b.data] for b in row] for row in buttons], **extra}


def message_of(record: OutboxRecord) -> Message:
    rows = tuple(tuple(Button(label, data) for label, data in row) for row in record.payload.get("buttons", ()))
    return Message(record.chat, record.payload["text"], rows, notification=True)


@dataclass(frozen=True)
class Outgoing:
    """A claimed outbox row and the message to send for it."""

    id: int
    message: Message
    kind: str
    attempts: int
    person_id: int | None
    parts_sent: int = 0  # parts Telegram already accepted: sending resumes after them
    project_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # what the message is about (a mail's address, subject)


class Outbox:
    """Claim due messages and record what became of them."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], clock: Callable[[], dt.datetime]) -> None:
        self.unit_of_work = unit_of_work
        self.clock = clock

    def claim(self, limit: int = 20, now: dt.datetime | None = None, mail: bool | None = None) -> list[Outgoing]:
        """Due rows for this worker only (others skip them until the lease ends): mails only
        (`mail=True`), chat messages only (False), or both (None: the console, the tests)."""
        now = now or self.clock()
        with self.unit_of_work() as uow:
            records = uow.outbox.claim(now, limit, now + LEASE, mail)
            uow.commit()
        # A part begun by a worker that was killed may have arrived: it counts as sent (never twice).
        return [Outgoing(r.id, message_of(r), r.kind, r.attempts, r.person_id, max(r.parts_sent, r.parts_started),
                         r.project_id, {k: v for k, v in r.payload.items() if k not in ("text", "buttons")})
                for r in records]

    def starting(self, outbox_id: int, parts_started: int) -> None:
        """The worker begins to send part number `parts_started` (renewing the claim)."""
        now = self.clock()
        with self.unit_of_work() as uow:
            uow.outbox.update(outbox_id, parts_started=parts_started, claimed_until=now + LEASE)
            uow.commit()

    def delivered(self, outbox_id: int, parts_sent: int) -> None:
        """Telegram accepted the first `parts_sent` parts: never send those again; keep the claim."""
        now = self.clock()
        with self.unit_of_work() as uow:
            uow.outbox.update(outbox_id, parts_sent=parts_sent, claimed_until=now + LEASE)
            uow.commit()

    def sent(self, outbox_id: int) -> None:
        with self.unit_of_work() as uow:
            uow.outbox.settle(outbox_id, SENT, self.clock())
            uow.commit()

    def purge(self, now: dt.datetime | None = None, batch: int = 5_000) -> int:
        """Delete settled rows older than `SETTLED_KEPT`, a short transaction per batch."""
        before = (now or self.clock()) - SETTLED_KEPT
        dropped = 0
        while True:
            with self.unit_of_work() as uow:
                count = uow.outbox.forget(before, batch, REMINDER)
                uow.commit()
            dropped += count
            if count < batch:
                return dropped

    def retry(self, outbox_id: int, after: dt.timedelta, error: str, parts_sent: int | None = None) -> None:
        """Not delivered (network, 5xx, 429): try again after `after`, from part `parts_sent` (the part
        that failed did not arrive: it is sent again)."""
        changes = {} if parts_sent is None else {"parts_started": parts_sent}
        with self.unit_of_work() as uow:
            uow.outbox.update(outbox_id, due_at=self.clock() + after, claimed_until=None, error=error[:200],
                              **changes)
            uow.commit()

    def failed(self, outgoing: Outgoing, error: str) -> None:
        """Telegram refused the message itself (not the recipient): give up on this row."""
        with self.unit_of_work() as uow:
            uow.outbox.settle(outgoing.id, FAILED, self.clock(), error)
            uow.commit()

    def unreachable(self, outgoing: Outgoing, error: str) -> None:
        """The recipient blocked the bot (or removed it from the group): give up on this row and
        stop nudging them; a person becomes reachable again by writing to the bot."""
        with self.unit_of_work() as uow:
            uow.outbox.settle(outgoing.id, FAILED, self.clock(), error)
            stop_hearing(uow, outgoing.person_id, outgoing.message.chat)
            uow.commit()


def stop_hearing(uow: UnitOfWork, person_id: int | None, group_chat: str | None = None) -> None:
    """A chat refused our messages: its person is unreachable until they write to the bot again;
    a team group (no person) is no longer the side's chat."""
    if person_id is not None:
        uow.people.update(person_id, unreachable=True)
        return
    side = uow.projects.side_by_group_chat(group_chat) if group_chat else None
    if side is not None:
        uow.projects.update_side(side.id, group_chat=None)
