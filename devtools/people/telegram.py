"""People talking to the real bot through the fake Bot API: send, press, and read what they got."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.app import compose_engine
from bot.engine import callbacks
from bot.engine.engine import Engine
from bot.engine.intents import Intent
from bot.engine.ports import Links, UnitOfWork
from bot.guide.model import Guide
from bot.i18n import Catalogs
from bot.telegram.application import Companion, build_application
from devtools.fake_telegram import FakeChat, FakeTelegram, FakeUser, SentMessage
from devtools.people.buttons import (
    Press,
    answer_button,
    default_guide,
    means,
    question_by_ref,
    skippable_question,
    typed_value,
)

QUIET = 0.15  # seconds without a Bot API call after which a turn counts as finished


@contextlib.asynccontextmanager
async def running_bot(tg: FakeTelegram, content: tuple[Guide, Catalogs], unit_of_work: Callable[[], UnitOfWork],
                      *, reminders: bool = False, outbox_poll: float = 0.05, inline: bool = True,
                      links: Callable[[Links], Links] = lambda links: links,
                      companions: Callable[[Engine], Sequence[Companion]] = lambda engine: (),
                      **engine_options: Any) -> AsyncIterator[Application]:
    """The real PTB Application as `spredning run` builds it (on SQLite the engine runs inline),
    polling the fake Bot API until the block ends; `engine_options` go to `compose_engine`, `links`
    adds to the bot's links (web pages, mail), `companions` are workers beside it (mail)."""
    guide, catalogs = content
    app = build_application(lambda bot: compose_engine(guide, catalogs, unit_of_work, links(bot), **engine_options),
                            tg.token, tg.api_base, reminders=reminders, outbox_poll=outbox_poll, inline=inline,
                            companions=companions)
    assert app.post_init is not None and app.post_stop is not None and app.updater is not None
    updater = app.updater
    async with app:
        await app.post_init(app)  # run_polling() does this; here the test drives the lifecycle
        await app.start()
        await updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await updater.stop()
            await app.stop()
            await app.post_stop(app)


def invite_tokens(text: str) -> list[str]:
    """Tokens of the invite links in a message (?start=… and ?startgroup=…)."""
    return re.findall(r"\?start(?:group)?=([A-Za-z0-9_-]+)", text)


@dataclass
class TgPerson:
    """A person in Telegram: a `protocol.Participant` whose every action is awaited."""

    tg: FakeTelegram
    user: FakeUser
    guide: Guide = field(default_factory=default_guide, repr=False)  # the kinds of the questions asked

    @property
    def chat_id(self) -> int:
        return self.user.id

    async def settle(self, mark: int | None = None, chat: int | None = None) -> None:
        """Wait until the bot has answered (a message to `chat` after `mark`) and gone quiet."""
        if mark is not None:
            await self.tg.await_for(chat=chat if chat is not None else self.chat_id, since=mark, timeout=20)
        await self.tg.await_until_idle(timeout=20, quiet=QUIET)

    def got(self, mark: int, chat: int | None = None) -> str:
        target = chat if chat is not None else self.chat_id
        return "\n".join(m.plain_text or "" for m in self.tg.sent[mark:] if m.chat_id == target)

    async def says(self, text: str, chat: FakeChat | None = None, reply_to: SentMessage | None = None,
                   expect_reply: bool = True) -> str:
        mark = self.tg.mark()
        self.tg.send_text(self.user, text, chat=chat, reply_to=reply_to)
        await self.settle(mark if expect_reply else None, chat.id if chat else None)
        return self.got(mark, chat.id if chat else None)

    def received(self) -> str:
        """All text this person's private chat has received so far."""
        return self.got(0)

    def last(self, chat: int | None = None, with_button: Press | None = None) -> SentMessage:
        """The newest message to the chat (with a button of that label or intent, if given)."""
        target = chat if chat is not None else self.chat_id
        for message in reversed(self.tg.messages_to(target)):
            if with_button is None or any(self._matches(with_button, b) for b in message.buttons):
                return message
        raise AssertionError(f"no message with a button {with_button!r} in chat {target}")

    @staticmethod
    def _matches(what: Press, button: dict[str, Any]) -> bool:
        if isinstance(what, str):
            return what in button.get("text", "")
        return "callback_data" in button and means(what, button["callback_data"])

    def offers(self, what: Press, chat: int | None = None) -> bool:
        """Whether the newest message to the chat has a button with that label or intent."""
        return any(self._matches(what, b) for b in self.last(chat).buttons)

    def buttons(self, chat: int | None = None) -> list[str]:
        return [b.get("text", "") for b in self.last(chat).buttons]

    async def presses(self, what: Press, chat: FakeChat | None = None) -> str:
        """Press the newest button labelled `what` (exactly, else containing it), or carrying that intent."""
        target = chat.id if chat else self.chat_id
        message = self.last(target, with_button=what)
        if isinstance(what, str):
            data = message.callback_data(what)
        else:
            data = next(b["callback_data"] for b in message.buttons if self._matches(what, b))
        mark = self.tg.mark()
        pressed = self.tg.press(self.user, message, data, chat=chat)
        await self.tg.await_for_answer(pressed, timeout=20)
        await self.settle()
        return self.got(mark, target)

    async def double_taps(self, what: Press, gap: float = 0.02) -> int:
        """Press the newest button labelled `what` (or carrying that intent) twice, `gap` seconds apart,
        as a double tap on a phone; returns the mark before the first."""
        message = self.last(with_button=what)
        data = next(b["callback_data"] for b in message.buttons if self._matches(what, b))
        mark = self.tg.mark()
        first = self.tg.press(self.user, message, data)
        await asyncio.sleep(gap)
        second = self.tg.press(self.user, message, data)
        await self.tg.await_for_answer(first, timeout=20)
        await self.tg.await_for_answer(second, timeout=20)
        await self.settle()
        return mark

    async def answer_all(self, text: str = "Svar", limit: int = 120, until: str | None = None,
                         prefer: Callable[[Intent], bool] | None = None) -> str:
        """Answer every question asked until the bot stops asking (choices: the option `prefer`
        accepts, else the first; amounts and dates: a valid value); with `until`, stop when the
        question with that key is asked."""
        said = ""
        for _ in range(limit):
            last = self.last()
            data = [b["callback_data"] for b in last.buttons if "callback_data" in b]
            mark = self.tg.mark()
            ref = skippable_question(data)
            if until is not None and ref == callbacks.question_ref(until):
                return said
            chosen = next((d for d in data if prefer is not None and means(prefer, d)), None)
            if choice := chosen or answer_button(data):
                await self.tg.await_for_answer(self.tg.press(self.user, last, choice), timeout=20)
            elif ref is not None:
                question = question_by_ref(self.guide, ref)
                self.tg.send_text(self.user, typed_value(question.kind if question else None, text))
            else:
                return said
            await self.settle(mark)
            said = self.got(mark)
        raise AssertionError("the bot kept asking")
