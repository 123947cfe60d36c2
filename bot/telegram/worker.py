"""The outbox worker inside the bot process: it sends nudges and reminders.

It also schedules reminders, and every 10 minutes forgets input keys too old to be redelivered.

Each row is claimed before it is sent and marked sent as soon as Telegram accepted it, so
several bot processes can share one PostgreSQL outbox and a row is sent once. A long message is
several parts (chunks, files); each part Telegram accepted is recorded (renewing the claim), and a
retry resumes after it. What happens on failure: a 429 holds back that chat only (its rows wait
`retry_after`; others go on) – every chat only when 429s hit `GLOBAL_429_CHATS` chats at once;
connection errors and 5xx are retried with backoff; a recipient who blocked the bot is marked
unreachable; a part that timed out after it was sent is not repeated (it may have arrived, and a
duplicate is worse than a late nudge) and the next part follows. For the same reason a part is marked
as begun before it is sent: after a kill, the worker that takes the row over resumes after it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.engine.outbox import Outbox, Outgoing
from bot.engine.reminders import Reminders
from bot.telegram.delivery import Delivery

log = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(minutes=10)
GLOBAL_429_CHATS = 3  # 429s for this many chats within one wait: the bot's global limit


def seconds(value: float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class OutboxWorker:
    """`run()` until cancelled; `wake()` after an update so fresh nudges go out at once."""

    def __init__(self, outbox: Outbox, reminders: Reminders | None, delivery: Delivery,
                 poll_interval: float = 2.0, reminder_interval: float = 600.0,
                 housekeeping: Callable[[], int] | None = None) -> None:
        self.outbox = outbox
        self.reminders = reminders
        self.housekeeping = housekeeping
        self.delivery = delivery
        self.poll_interval = poll_interval
        self.reminder_interval = reminder_interval
        self._wakeup = asyncio.Event()
        self._next_reminders = 0.0
        self.held: dict[str, float] = {}  # chat -> loop time until which a 429 holds it back

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                if self.reminders is not None and loop.time() >= self._next_reminders:
                    self._next_reminders = loop.time() + self.reminder_interval
                    queued = await asyncio.to_thread(self.reminders.schedule)
                    if queued:
                        log.info("queued %d reminders", queued)
                    if self.housekeeping is not None:
                        dropped = await asyncio.to_thread(self.housekeeping)
                        if dropped:
                            log.info("forgot %d old input keys", dropped)
                batch = await asyncio.to_thread(self.outbox.claim, 20, None, False)  # mails: bot.mail
                for outgoing in batch:
                    await self.deliver(outgoing)
                if batch:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox worker: will try again")
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), self.poll_interval)
            except TimeoutError:
                pass

    def hold(self, chat: str, wait: float) -> None:
        """A 429 for `chat`; if several chats got one within the wait, the limit is the bot's."""
        now = asyncio.get_running_loop().time()
        self.held = {c: until for c, until in self.held.items() if until > now}
        self.held[chat] = max(self.held.get(chat, 0.0), now + wait)
        if len(self.held) >= GLOBAL_429_CHATS:
            self.held["*"] = max(self.held.values())

    def held_for(self, chat: str) -> float:
        now = asyncio.get_running_loop().time()
        return max(self.held.get(chat, 0.0), self.held.get("*", 0.0)) - now

    async def deliver(self, outgoing: Outgoing) -> None:
        chat = outgoing.message.chat
        if (wait := self.held_for(chat)) > 0:  # after the 429's wait, in order with the chat's other rows
            await asyncio.to_thread(self.outbox.retry, outgoing.id, dt.timedelta(seconds=wait), "held back (429)")
            return

        done = [outgoing.parts_sent]

        async def starting(part: int) -> None:
            await asyncio.to_thread(self.outbox.starting, outgoing.id, part)

        async def delivered(parts: int) -> None:
            done[0] = parts
            await asyncio.to_thread(self.outbox.delivered, outgoing.id, parts)

        try:
            await self.delivery.send(outgoing.message, outgoing.parts_sent, delivered, patient=False,
                                     before_part=starting)
        except Forbidden as error:
            log.info("outbox %d: %s is unreachable (%s)", outgoing.id, chat, error)
            await asyncio.to_thread(self.outbox.unreachable, outgoing, str(error))
        except RetryAfter as error:
            self.hold(chat, seconds(error.retry_after))
            await asyncio.to_thread(self.outbox.retry, outgoing.id, dt.timedelta(seconds=seconds(error.retry_after)),
                                    str(error), done[0])
        except TimedOut as error:  # connecting timed out: the part never arrived
            await asyncio.to_thread(self.outbox.retry, outgoing.id, self.backoff(outgoing), str(error), done[0])
        except BadRequest as error:
            log.error("outbox %d refused by Telegram: %s", outgoing.id, error)
            await asyncio.to_thread(self.outbox.failed, outgoing, str(error))
        except NetworkError as error:  # connection failures and 5xx: not accepted, try again
            await asyncio.to_thread(self.outbox.retry, outgoing.id, self.backoff(outgoing), str(error), done[0])
        else:
            await asyncio.to_thread(self.outbox.sent, outgoing.id)

    def backoff(self, outgoing: Outgoing) -> dt.timedelta:
        return min(dt.timedelta(seconds=2 ** min(outgoing.attempts, 12)), MAX_BACKOFF)
