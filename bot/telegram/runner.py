"""`spredning run`: serve the bot with long polling or a webhook; explain bad configuration in one line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.telegram.webhook import serve_webhook

log = logging.getLogger(__name__)


def fail(message: str) -> int:
    print(f"spredning: {message}", file=sys.stderr)
    return 2


def run_application(application: Application, args: argparse.Namespace, api_base: str,
                    secret: str | None) -> int:
    """Serve `application` with long polling, or as a webhook with `--webhook` (and `secret`), until stopped."""
    try:
        if args.webhook:
            if not secret:
                return fail("--webhook needs a secret token: set TELEGRAM_WEBHOOK_SECRET or pass --secret.")
            path = urlparse(args.url).path.strip("/")
            asyncio.run(serve_webhook(application, args.listen, args.port, path, args.url, secret))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        return fail("Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (from @BotFather).")
    except NetworkError as error:
        return fail(f"cannot reach the Bot API at {api_base}: {error}")
    return 0
