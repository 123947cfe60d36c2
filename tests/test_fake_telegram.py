"""The fake Telegram Bot API server, driven by a bare python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from devtools.fake_telegram import FakeTelegram, parse_html


def build_echo_bot(tg: FakeTelegram, seen: list[int]) -> Application:
    """Echo text, reply to /start and /menu, answer buttons, measure documents."""

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}",
                                                  do_quote=True)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"started {' '.join(context.args)}".strip())

    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = [[InlineKeyboardButton("Yes", callback_data="choice:yes"),
                     InlineKeyboardButton("No", callback_data="choice:no")]]
        await update.effective_message.reply_html("<b>Pick</b> one",
                                                  reply_markup=InlineKeyboardMarkup(keyboard))

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(f"got {query.data}")
        await query.edit_message_reply_markup(None)
        await query.message.reply_text(f"pressed: {query.data}")

    async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await update.effective_message.document.get_file()
        content = await file.download_as_bytearray()
        await update.effective_message.reply_text(f"size: {len(content)}")
        await update.effective_message.reply_document(bytes(content[::-1]), filename="reversed.txt")

    app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
           .base_file_url(tg.base_file_url).build())
    app.add_handler(MessageHandler(filters.ALL, record), group=-1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(CallbackQueryHandler(button))
    return app


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@asynccontextmanager
async def bare_bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        yield bot


def api_call(tg: FakeTelegram, method: str, payload: dict | None = None,
             token: str | None = None) -> tuple[int, dict]:
    """A raw JSON-body request (PTB itself sends forms), from a sync context."""
    request = urllib.request.Request(
        f"{tg.base_url}{token or tg.token}/{method}", data=json.dumps(payload or {}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_echo_round_trip_in_private_chat(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    async with running(build_echo_bot(tg, [])):
        injected = tg.send_text(alice, "hello <world>")
        reply = await tg.await_for(lambda m: m.text == "echo: hello <world>", timeout=5)
    assert reply.chat_id == alice.id
    assert reply.reply_to_message_id == injected.message_id
    assert reply.message_id == injected.message_id + 1  # ids increase per chat
    assert tg.last_to(alice) is reply and tg.messages_to(alice.id) == [reply]
    assert reply.message["from"]["username"] == tg.bot_username


async def test_command_entity_including_bot_username(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    group = tg.group(-4001, "Team")
    async with running(build_echo_bot(tg, [])):
        injected = tg.send_text(alice, f"/start@{tg.bot_username} now", chat=group)
        reply = await tg.await_for(chat=group, timeout=5)
    entity = injected.update["message"]["entities"][0]
    assert entity == {"type": "bot_command", "offset": 0, "length": len(tg.bot_username) + 7}
    assert reply.text == "started now"


async def test_button_press_is_answered(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice", language_code="en")
    async with running(build_echo_bot(tg, [])):
        tg.send_text(alice, "/menu")
        menu = await tg.await_for(lambda m: m.reply_markup is not None, timeout=5)
        assert menu.plain_text == "Pick one" and menu.parse_mode == "HTML"
        press = tg.press(alice, menu, menu.callback_data("Yes"), strict=True)
        await tg.await_for(lambda m: m.text == "pressed: choice:yes", timeout=5)
        answer = await tg.await_for_answer(press, timeout=5)
    assert answer.text == "got choice:yes" and not answer.show_alert
    assert answer.latency is not None and 0 <= answer.latency < 5
    assert tg.edits[-1].method == "editMessageReplyMarkup"
    assert "reply_markup" not in tg.message(alice, menu.message_id)
    assert press.update["callback_query"]["message"]["chat"]["id"] == alice.id


async def test_document_download_and_upload(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    async with running(build_echo_bot(tg, [])):
        tg.send_document(alice, "notes.txt", b"0123456789", caption="my notes")
        reply = await tg.await_for(lambda m: m.text == "size: 10", timeout=5)
        upload = await tg.await_for(lambda m: m.document is not None, timeout=5)
    assert reply.chat_id == alice.id
    assert upload.document.content == b"9876543210" and upload.document.file_name == "reversed.txt"
    async with bare_bot(tg) as bot:  # the bot can re-send and download its own upload too
        again = await bot.send_document(alice.id, upload.document.file_id)
        data = await (await bot.get_file(again.document.file_id)).download_as_bytearray()
    assert bytes(data) == b"9876543210"


async def test_validation_errors_raise_bad_request(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    async with bare_bot(tg) as bot:
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(alice.id, "x" * 4097)
        await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
            await bot.send_message(alice.id, "1 < 2", parse_mode="HTML")
        with pytest.raises(BadRequest, match='(?i)unsupported start tag "div"'):
            await bot.send_message(alice.id, "<div>x</div>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(alice.id, "hi", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", callback_data="d" * 65)]]))
        with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
            await bot.send_message(alice.id, "hi", reply_to_message_id=999)
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(424242, "hi")
    assert [m.text[:3] for m in tg.sent] == ["<b>"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own
async def test_retry_after_is_surfaced_and_not_recorded(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    tg.fail_next("sendMessage", 429, retry_after=3)
    async with bare_bot(tg) as bot:
        with pytest.raises(RetryAfter, match=r"Retry in (3 seconds|0:00:03)"):
            await bot.send_message(alice.id, "first")
        assert tg.sent == []
        await bot.send_message(alice.id, "second")
        tg.fail_next("sendMessage", 502)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(alice.id, "third")
    assert [m.text for m in tg.sent] == ["second"]
    attempts = tg.attempts_for("sendMessage")
    assert [(a.status, a.faulted) for a in attempts] == [(429, True), (200, False), (502, True)]


async def test_delay_triggers_client_timeout(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    tg.delay_next("sendMessage", 0.5)
    async with bare_bot(tg) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(alice.id, "slow", read_timeout=0.1)
    await tg.await_for(lambda m: m.text == "slow", timeout=3)  # Telegram still delivered it


async def test_blocked_chat_is_forbidden_and_migrated_group_raises(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    group = tg.group(-4001, "Team")
    tg.block(alice)
    tg.migrate_group(group, -1004001, by=alice)
    async with bare_bot(tg) as bot:
        with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
            await bot.send_message(alice.id, "hi")
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(group.id, "hi")
        assert migrated.value.new_chat_id == -1004001
        await bot.send_message(-1004001, "hi")
    assert [m.chat_id for m in tg.sent] == [-1004001]


async def test_duplicate_redelivery_has_same_update_id(tg: FakeTelegram) -> None:
    alice = tg.user(1001, "Alice")
    seen: list[int] = []
    async with running(build_echo_bot(tg, seen)):
        injected = tg.send_text(alice, "once")
        await tg.await_for(lambda m: m.text == "echo: once", timeout=5)
        mark = tg.mark()
        tg.redeliver(injected.update_id)
        await tg.await_for(lambda m: m.text == "echo: once", since=mark, timeout=5)
        await tg.await_until_idle(timeout=5, quiet=0.05)
    assert seen == [injected.update_id, injected.update_id]
    assert tg.fetch_count(injected.update_id) == 2


def test_sync_usage_raw_http_and_long_polling(tg: FakeTelegram) -> None:
    assert api_call(tg, "getMe", token="123456:wrong") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert api_call(tg, "noSuchMethod")[1]["description"] == "Not Found: method not found"
    status, me = api_call(tg, "getMe")
    assert status == 200 and me["result"]["id"] == tg.bot_id == 123456

    alice = tg.user(1001, "Alice")
    threading.Timer(0.2, tg.send_text, (alice, "later")).start()
    started = time.monotonic()
    _, polled = api_call(tg, "getUpdates", {"timeout": 3})
    assert 0.1 < time.monotonic() - started < 2
    [update] = polled["result"]
    assert update["message"]["text"] == "later"
    # Unconfirmed updates come again; a later offset confirms them.
    assert api_call(tg, "getUpdates")[1]["result"] == [update]
    assert api_call(tg, "getUpdates", {"offset": update["update_id"] + 1})[1]["result"] == []

    assert api_call(tg, "sendMessage", {"chat_id": alice.id, "text": "json body"})[0] == 200
    assert tg.wait_for(lambda m: m.text == "json body", timeout=1).chat_id == alice.id
    with pytest.raises(TimeoutError):
        tg.wait_for(lambda m: m.text == "never", timeout=0.05)
    api_call(tg, "setMyCommands", {"commands": [{"command": "start", "description": "Go"}],
                                   "language_code": "da"})
    assert tg.commands == {"da": [{"command": "start", "description": "Go"}]}


def test_html_parser_entities() -> None:
    text, entities = parse_html('<b>bold</b> &lt;x&gt; <a href="https://e.org">link</a> 🙂'
                                '<i>it</i>')
    assert text == "bold <x> link 🙂it"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bold", 0, 4), ("text_link", 9, 4), ("italic", 16, 2)]  # 🙂 is 2 UTF-16 units


async def test_sync_wait_refuses_to_block_the_event_loop(tg: FakeTelegram) -> None:
    with pytest.raises(RuntimeError, match="await_for"):
        tg.wait_for(timeout=0.01)
    await asyncio.sleep(0)
