"""The baseline: a bare python-telegram-bot echo bot, driven by the same load as spredning.

It answers a text with the same text and a button, and a button press by answering the query and
sending a message with a button, so every update gets one reply with a keyboard, as a question
of spredning does. It runs updates of 32 chats at once, as spredning does, so the comparison is
with PTB at its best rather than with a bot that handles one update at a time.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_BASE=http://127.0.0.1:PORT python -m bench.echo_bot
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "…", reply_markup=KEYBOARD)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, f"Pressed: {query.data}", reply_markup=KEYBOARD)


def builder_from_environment() -> ApplicationBuilder:
    """A PTB application for the benchmark: token and Bot API base from the environment, 32
    updates at once (as spredning handles them)."""
    base = os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/")
    return (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(32)
    )


def main() -> None:
    application = builder_from_environment().build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
