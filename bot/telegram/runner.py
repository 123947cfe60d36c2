"""`spredning run`: serve the bot with long polling or a webhook; explain bad configuration in one line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlparse

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.telegram.webhook import serve_webhook, stop_on_signals

log = logging.getLogger(__name__)


def fail(message: str) -> int:
    print(f"spredning: {message}", file=sys.stderr)
    return 2


Beside = Callable[[asyncio.Event], Coroutine[Any, Any, None]]  # runs beside the bot until the event is set


def bot_api_problem(token: str, api_base: str) -> str | None:
    """Ask the Bot API who the bot is, before anything is opened or created: what is wrong, or None."""

    async def ask() -> None:
        async with Bot(token, base_url=f"{api_base}/bot", base_file_url=f"{api_base}/file/bot") as bot:
            await bot.get_me()

    try:
        asyncio.run(ask())
    except InvalidToken:
        return "Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (from @BotFather)."
    except NetworkError as error:
        return f"cannot reach the Bot API at {api_base}: {error}"
    except TelegramError as error:
        return f"the Bot API at {api_base} answered: {error}"
    return None


def run_application(application: Application, args: argparse.Namespace, api_base: str,
                    secret: str | None, beside: Beside | None = None) -> int:
    """Serve `application` with long polling, or as a webhook with `--webhook` (and `secret`), until
    stopped; `beside` (the web page) runs in the same event loop and stops with the bot."""
    try:
        if args.webhook:
            if not secret:
                return fail("--webhook needs a secret token: set TELEGRAM_WEBHOOK_SECRET or pass --secret.")
            path = urlparse(args.url).path.strip("/")
            asyncio.run(serve_webhook(application, args.listen, args.port, path, args.url, secret, beside))
        elif beside is not None:
            asyncio.run(poll_beside(application, beside))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        return fail("Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (from @BotFather).")
    except NetworkError as error:
        return fail(f"cannot reach the Bot API at {api_base}: {error}")
    return 0


async def poll_beside(application: Application, beside: Beside) -> None:
    """Long polling with `beside` in the same loop, until SIGTERM or SIGINT."""
    stop = stop_on_signals()
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        task = asyncio.create_task(beside(stop))
        await stop.wait()
        await task
        await application.updater.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
