"""Engine `Message`s -> Bot API calls: HTML, inline keyboards, ForceReply, splitting, failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any

import httpx
from telegram import Bot, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.engine.model import Button, Message, SentTopic
from bot.telegram.convert import telegram_id
from bot.text import TELEGRAM_LIMIT, split_message

log = logging.getLogger(__name__)

CONNECT_RETRIES = 3
Part = Callable[[], Awaitable[Any]]


def arrived_maybe(error: TimedOut) -> bool:
    """Whether a timed-out request may have reached Telegram (connecting never finished: no)."""
    cause = error.__cause__
    return not isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError)


def keyboard(message: Message) -> InlineKeyboardMarkup | ForceReply | None:
    if message.force_reply:
        return ForceReply(selective=True)
    if not message.buttons:
        return None
    return InlineKeyboardMarkup([[inline_button(b) for b in row] for row in message.buttons])


def inline_button(button: Button) -> InlineKeyboardButton:
    """A callback button, a link, or a Mini App (Telegram opens only https pages as Mini Apps)."""
    label = button.label[:64]
    if button.url and button.web_app and button.url.startswith("https://"):
        return InlineKeyboardButton(label, web_app=WebAppInfo(button.url))
    if button.url:
        return InlineKeyboardButton(label, url=button.url)
    return InlineKeyboardButton(label, callback_data=button.data)


def coalesce(messages: tuple[Message, ...]) -> list[Message]:
    """Consecutive short texts to one chat joined with what follows them, where it fits in one message.

    "✓ Saved." and the next question arrive as one message: one notification, one request. The
    confirmation's own buttons ("↩ Undo") go below those of the question that follows it, unless that
    asks for a reply (Telegram's force-reply cannot carry buttons): then they stay two messages."""
    merged: list[Message] = []
    for message in messages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.chat == message.chat
            and not (previous.force_reply or previous.attachments or previous.documents or previous.topic)
            and (not previous.buttons or (message.topic is not None and not message.force_reply))
            and previous.notification == message.notification
            and len(previous.text) + 2 + len(message.text) <= TELEGRAM_LIMIT
        ):
            merged[-1] = replace(message, text=f"{previous.text}\n\n{message.text}",
                                 buttons=message.buttons + previous.buttons)
        else:
            merged.append(message)
    return merged


class Delivery:
    """Sends messages; a blocked recipient is reported to `on_blocked` and others still get theirs."""

    def __init__(self, bot: Bot, on_blocked: Callable[[str], None]) -> None:
        self.bot = bot
        self.on_blocked = on_blocked

    async def send_all(self, messages: tuple[Message, ...]) -> list[SentTopic]:
        """Send the messages; returns the sent messages that ask a question (see `Message.topic`)."""
        asked: list[SentTopic] = []
        for message in coalesce(messages):
            try:
                refs = await self.send(message)
                if message.topic is not None:
                    asked.extend(SentTopic(message.chat, ref, message.topic) for ref in refs)
            except Forbidden:
                log.info("chat %s blocked the bot or removed it", message.chat)
                await asyncio.to_thread(self.on_blocked, message.chat)
            except BadRequest as error:
                log.warning("message to %s refused: %s", message.chat, error)
            except TimedOut:
                # The request may have arrived: sending again could duplicate it.
                log.warning("sending to %s timed out; not retried to avoid a duplicate", message.chat)
        return asked

    def parts(self, message: Message) -> list[Part]:
        """The requests a message takes: its text in chunks (buttons on the last), then its files."""
        chat_id = telegram_id(message.chat)
        chunks = split_message(message.text)
        last = len(chunks) - 1
        parts: list[Part] = [
            partial(self.bot.send_message, chat_id, chunk, parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(message) if index == last else None, disable_web_page_preview=True)
            for index, chunk in enumerate(chunks)]
        for a in message.attachments:
            parts.append(partial(self.bot.send_photo if a.kind == "photo" else self.bot.send_document, chat_id,
                                 a.file_id))
        for d in message.documents:
            parts.append(partial(self.bot.send_photo if d.mime.startswith("image/") else self.bot.send_document,
                                 chat_id, d.data, filename=d.filename))
        return parts

    async def send(self, message: Message, skip: int = 0,
                   on_part: Callable[[int], Awaitable[None]] | None = None, patient: bool = True,
                   before_part: Callable[[int], Awaitable[None]] | None = None) -> list[str]:
        """Send the parts after the first `skip`. `patient` (a reply): wait out 429s here. Otherwise
        (the outbox worker) a 429 is raised at once, a part that timed out after it may have arrived
        counts as sent, `before_part(n)` hears that part n is about to be sent, and `on_part(n)` that the
        first n parts are sent, before the last one.
        Returns the transport ids of the text chunks sent (a reply to one answers the message's question)."""
        parts = self.parts(message)
        refs: list[str] = []
        for index, part in enumerate(parts):
            if index < skip:
                continue
            if before_part is not None:
                await before_part(index + 1)
            try:
                sent = await self._call(part, patient)
                if getattr(sent, "message_id", None) is not None and getattr(sent, "text", None) is not None:
                    refs.append(f"{sent.chat_id}:{sent.message_id}")
            except TimedOut as error:
                if patient or not arrived_maybe(error):
                    raise
                log.warning("part %d of a message to %s timed out after sending; not repeated", index + 1,
                            message.chat)
            if on_part is not None and index + 1 < len(parts):
                await on_part(index + 1)
        return refs

    async def _call(self, request: Part, patient: bool = True) -> Any:
        """Retry connection failures (the request never arrived) and, if `patient`, 429s; never a timeout."""
        for attempt in range(CONNECT_RETRIES + 1):
            try:
                return await request()
            except RetryAfter as error:
                if attempt == CONNECT_RETRIES or not patient:
                    raise
                delay = error.retry_after
                await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay))
            except (TimedOut, BadRequest):
                raise
            except NetworkError:
                if attempt == CONNECT_RETRIES:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)
