"""What every adapter does around the engine, written once: handle, show, remember, deliver.

An input goes to the engine, its reply is shown, the messages that ask a question are remembered (a
reply to one answers it), and the outbox is told when nudges are due. Telegram, the console, the
web page and the tests differ only in how they show messages (`Show`) and how they run the engine's
blocking calls (`Run`: inline, or in a worker thread)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

from bot.engine.engine import Engine
from bot.engine.model import Input, Message, Reply, SentTopic

T = TypeVar("T")

Show = Callable[[tuple[Message, ...]], Awaitable[Sequence[SentTopic]]]  # shows messages; returns those that ask
Run = Callable[..., Awaitable[Any]]  # run(function, *args): a blocking engine call, awaited


async def inline(function: Callable[..., T], *args: Any) -> T:
    """Run a blocking call right here (SQLite, the console, the tests)."""
    return function(*args)


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never waits for anything (a shell with `inline` calls and a
    screen that shows at once), without an event loop: for adapters that are not asynchronous."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the coroutine waited for something: run it in an event loop")


class Shell:
    """One engine, one way of showing messages; `on_outbox_due` hears that nudges are due now."""

    def __init__(self, engine: Engine, show: Show, run: Run = inline,
                 on_outbox_due: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self._show = show
        self.run = run
        self.on_outbox_due = on_outbox_due

    async def take(self, inp: Input) -> Reply:
        """Handle an input and show its reply."""
        reply = await self.handle(inp)
        await self.show(reply)
        return reply

    async def handle(self, inp: Input) -> Reply:
        """The engine's reply, committed (not shown yet)."""
        reply: Reply = await self.run(self.engine.handle, inp)
        return reply

    async def show(self, reply: Reply) -> None:
        """Show the reply's messages; a reply to one that asks a question answers that question."""
        asked = await self._show(reply.messages)
        if asked:
            await self.run(self.engine.remember_sent, asked)
        if reply.outbox_due and self.on_outbox_due is not None:
            self.on_outbox_due()

    async def deliver(self, until: dt.datetime | None = None, mail: bool | None = None) -> list[Message]:
        """Show what the outbox holds that is due by `until` (default: now), as the Telegram adapter's
        worker does with leases and retries: for adapters that deliver at once (the console, tests).
        `mail=False` leaves the mails to a mail worker."""
        outbox = self.engine.outbox
        delivered = []
        while batch := await self.run(outbox.claim, 100, until, mail):
            for outgoing in batch:
                await self._show((outgoing.message,))
                await self.run(outbox.sent, outgoing.id)
                delivered.append(outgoing.message)
        return delivered
