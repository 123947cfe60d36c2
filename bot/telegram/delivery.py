"""Engine `Message`s -> Bot API calls: HTML, inline keyboards, ForceReply, splitting, failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from dataclasses import replace

from telegram import Bot, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.engine.model import Message, SentTopic
from bot.telegram.convert import telegram_id
from bot.text import TELEGRAM_LIMIT, split_message

log = logging.getLogger(__name__)

CONNECT_RETRIES = 3


def keyboard(message: Message) -> InlineKeyboardMarkup | ForceReply | None:
    if message.force_reply:
        return ForceReply(selective=True)
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label[:64], callback_data=b.data) for b in row] for row in message.buttons]
    )


def coalesce(messages: tuple[Message, ...]) -> list[Message]:
    """Consecutive plain texts to one chat joined with what follows them, where it fits in one message.

    "✓ Saved." and the next question arrive as one message: one notification, one request."""
    merged: list[Message] = []
    for message in messages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.chat == message.chat
            and not (previous.buttons or previous.force_reply or previous.attachments or previous.documents)
            and previous.notification == message.notification
            and len(previous.text) + 2 + len(message.text) <= TELEGRAM_LIMIT
        ):
            merged[-1] = replace(message, text=f"{previous.text}\n\n{message.text}")
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

    async def send(self, message: Message) -> list[str]:
        """Send one message (in chunks if it is long); returns the transport ids of its text chunks."""
        chat_id = telegram_id(message.chat)
        chunks = split_message(message.text)
        refs: list[str] = []
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent = await self._call(lambda c=chunk, last=last: self.bot.send_message(
                chat_id, c, parse_mode=ParseMode.HTML, reply_markup=keyboard(message) if last else None,
                disable_web_page_preview=True,
            ))
            if sent is not None:
                refs.append(f"{sent.chat_id}:{sent.message_id}")
        for attachment in message.attachments:
            if attachment.kind == "photo":
                await self._call(lambda a=attachment: self.bot.send_photo(chat_id, a.file_id))
            else:
                await self._call(lambda a=attachment: self.bot.send_document(chat_id, a.file_id))
        for document in message.documents:
            if document.mime.startswith("image/"):
                await self._call(lambda d=document: self.bot.send_photo(chat_id, d.data, filename=d.filename))
            else:
                await self._call(lambda d=document: self.bot.send_document(chat_id, d.data, filename=d.filename))
        return refs

    async def _call(self, request: Callable) -> Any:
        """Retry connection failures (the request never arrived) and 429s; never a timeout."""
        for attempt in range(CONNECT_RETRIES + 1):
            try:
                return await request()
            except RetryAfter as error:
                if attempt == CONNECT_RETRIES:
                    raise
                delay = error.retry_after
                await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay))
            except (TimedOut, BadRequest):
                raise
            except NetworkError:
                if attempt == CONNECT_RETRIES:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)
