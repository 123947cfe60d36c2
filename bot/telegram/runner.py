"""`spredning run`: start the bot with long polling or a webhook; explain bad configuration in one line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_engine, build_reminders
from bot.config import Settings
from bot.guide.loader import DialogError
from bot.telegram.application import build_application
from bot.telegram.webhook import serve_webhook
from storage import Database

log = logging.getLogger(__name__)


def fail(message: str) -> int:
    print(f"spredning: {message}", file=sys.stderr)
    return 2


def run_bot(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        return fail("no bot token: set TELEGRAM_BOT_TOKEN (create a bot with @BotFather) or pass --token.")
    if args.webhook and not args.url:
        return fail("--webhook needs --url, the public https URL Telegram will call.")
    try:
        database = Database(settings.database_url)
        database.upgrade()
        engine = build_engine(database, default_locale=settings.default_locale)
    except DialogError as error:
        return fail(f"the dialogs or catalogs are invalid:\n{error}")
    application = build_application(engine, settings.token, settings.api_base, reminders=build_reminders(engine),
                                    max_messages_per_second=settings.max_messages_per_second)
    try:
        if args.webhook:
            secret = settings.webhook_secret
            if not secret:
                return fail("--webhook needs a secret token: set TELEGRAM_WEBHOOK_SECRET or pass --secret.")
            path = urlparse(args.url).path.strip("/")
            asyncio.run(serve_webhook(application, args.listen, args.port, path, args.url, secret))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        return fail("Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (from @BotFather).")
    except NetworkError as error:
        return fail(f"cannot reach the Bot API at {settings.api_base}: {error}")
    finally:
        database.dispose()
    return 0
