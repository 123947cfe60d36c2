"""The python-telegram-bot `Application`: handlers that hand updates to the engine and send replies.

Handlers only translate: an update becomes an engine input, the engine's reply becomes Bot API
calls. The engine does blocking database I/O: on SQLite it runs inline on the event loop (a turn
is a millisecond or two of local I/O, and SQLite takes one writer at a time anyway), on a database
server in worker threads (a round trip to the server must not stop the other chats).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from telegram import Bot, BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.helpers import create_deep_linked_url

from bot.engine.engine import Engine
from bot.engine.model import Reply
from bot.engine.ports import Links
from bot.engine.reminders import Reminders
from bot.engine.router import menu_commands
from bot.shell import Shell
from bot.telegram.convert import to_input
from bot.telegram.delivery import Delivery
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.worker import OutboxWorker

log = logging.getLogger(__name__)

# Updates of different chats handled at once (one chat's updates always in order).
MAX_CONCURRENT_UPDATES = 32

# Seconds a button press may take before we answer the callback query without a notice.
CALLBACK_ANSWER_DEADLINE = 2.0

T = TypeVar("T")


class Companion(Protocol):
    """A worker beside the bot's own, on the same engine (the mail worker): run, and woken when
    messages are due now."""

    async def run(self) -> None: ...
    def wake(self) -> None: ...


class BotAdapter:
    """Connects one PTB `Application` to the engine."""

    def __init__(self, engine: Engine, reminders: Reminders | None = None, outbox_poll: float = 2.0,
                 inline: bool = False, companions: Sequence[Companion] = ()) -> None:
        self.engine = engine
        self.companions = tuple(companions)
        self._companion_tasks: list[asyncio.Task] = []
        self.inline = inline
        self.reminders = reminders
        self.outbox_poll = outbox_poll
        self.delivery: Delivery | None = None
        self.worker: OutboxWorker | None = None
        self.shell: Shell | None = None
        self._worker_task: asyncio.Task | None = None

    async def post_init(self, application: Application) -> None:
        bot = application.bot
        self.delivery = Delivery(bot, self.engine.mark_unreachable)
        await self.register_commands(application)
        self.worker = OutboxWorker(self.engine.outbox, self.reminders, self.delivery, self.outbox_poll,
                                   housekeeping=self.engine.forget_old_inputs)
        self._worker_task = asyncio.create_task(self.worker.run(), name="outbox")
        self._companion_tasks = [asyncio.create_task(c.run(), name=f"companion-{i}")
                                 for i, c in enumerate(self.companions)]
        self.shell = Shell(self.engine, self.delivery.send_all, self.call, self.wake)

    def wake(self) -> None:
        """Messages are due now: the outbox worker and its companions look at once."""
        if self.worker is not None:
            self.worker.wake()
        for companion in self.companions:
            companion.wake()

    async def post_stop(self, application: Application) -> None:
        """Stop the outbox worker (a row it was sending stays claimed until its lease ends)."""
        for task in [self._worker_task, *self._companion_tasks]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def register_commands(self, application: Application) -> None:
        catalogs = self.engine.catalogs
        for locale in catalogs.locales:
            t = catalogs.translator(locale)
            commands = [BotCommand(name, t.gettext(text)) for name, text in menu_commands()]
            await application.bot.set_my_commands(commands, language_code=locale)
        t = catalogs.translator(catalogs.default_locale)
        await application.bot.set_my_commands([BotCommand(n, t.gettext(d)) for n, d in menu_commands()])

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update the bot handles goes through here."""
        bot = context.bot
        inp = to_input(update, bot.id, bot.username)
        query = update.callback_query
        if inp is None:
            if query is not None:
                await query.answer()
            return
        assert self.shell is not None
        work = asyncio.ensure_future(self.shell.handle(inp))
        answered = False
        if query is not None:
            done, _ = await asyncio.wait({work}, timeout=CALLBACK_ANSWER_DEADLINE)
            if not done:
                await query.answer()
                answered = True
        reply: Reply = await work
        if query is not None and not answered:
            await query.answer(reply.notice[:200] if reply.notice else None)
        await self.shell.show(reply)

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run a blocking engine call: inline, or in a worker thread."""
        if self.inline:
            return function(*args)
        return await asyncio.to_thread(function, *args)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)


def deep_links(bot: Bot) -> Links:
    """Invite links that open the bot (t.me/<bot>?start=…); the username is known once the bot started."""
    return Links(
        invite=lambda token: create_deep_linked_url(bot.username, token),
        group=lambda token: create_deep_linked_url(bot.username, token, group=True),
    )


def build_application(
    engine_for: Callable[[Links], Engine], token: str, api_base: str = "https://api.telegram.org",
    reminders: bool = False, outbox_poll: float = 2.0, max_messages_per_second: float = 30.0,
    inline: bool = False, companions: Callable[[Engine], Sequence[Companion]] = lambda engine: (),
) -> Application:
    """The bot, as `spredning run` and the end-to-end tests build it: `engine_for` makes the engine
    with this bot's invite links; `reminders` schedules reminders beside sending nudges; `inline`
    runs the engine on the event loop (SQLite) instead of in worker threads; `companions` are
    workers beside the outbox worker on the same engine (the mail worker)."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api_base}/bot")
        .base_file_url(f"{api_base}/file/bot")
        # Throttles below Telegram's limits; a 429 is not retried here, where it would pause every
        # request of the bot: replies wait it out per chat, the outbox worker holds back that chat.
        .rate_limiter(AIORateLimiter(overall_max_rate=max_messages_per_second, max_retries=0))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
    )
    application = builder.build()
    engine = engine_for(deep_links(application.bot))
    scheduler = Reminders(engine.guide, engine.catalogs, engine.unit_of_work, engine.clock) if reminders else None
    adapter = BotAdapter(engine, scheduler, outbox_poll, inline, companions(engine))
    application.post_init = adapter.post_init
    application.post_stop = adapter.post_stop
    handled = (
        filters.UpdateType.MESSAGE
        & (filters.TEXT | filters.COMMAND | filters.Document.ALL | filters.PHOTO | filters.StatusUpdate.MIGRATE
           | filters.StatusUpdate.LEFT_CHAT_MEMBER)
    ) | (filters.UpdateType.EDITED_MESSAGE & filters.TEXT)
    application.add_handler(MessageHandler(handled, adapter.on_update))
    application.add_handler(CallbackQueryHandler(adapter.on_update))
    application.add_error_handler(adapter.on_error)
    application.bot_data["adapter"] = adapter
    return application
