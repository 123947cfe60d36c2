"""The webhook endpoint: Telegram POSTs updates here; each is handled before it is acknowledged.

PTB's built-in webhook answers a malformed body with 500; this endpoint answers every bad request
with a 4xx and never lets it reach the bot: a missing or wrong secret token is 403 – decided from the
headers, before any of the body is read –, a body over `MAX_BODY` is 413, a body that is not JSON is
415/400, JSON that is not an update is 400. Idle and slow connections are closed after `IDLE_TIMEOUT`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 256 * 1024  # an update is a message of at most 4,096 characters and its metadata
IDLE_TIMEOUT = 10.0  # seconds a connection may send nothing (headers or body) before it is closed
MAX_HEADERS = 16 * 1024


@tornado.web.stream_request_body
class WebhookHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str) -> None:  # type: ignore[override]
        self.bot_application = bot_application
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        """Runs on the headers alone: nothing of an unauthenticated or oversized body is read."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(403)
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise tornado.web.HTTPError(415)
        length = self.request.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            raise tornado.web.HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.bot_application.bot)
        except Exception:  # anything that is not an update is the sender's mistake, never a 500
            raise tornado.web.HTTPError(400) from None
        # Handled before it is acknowledged: a process killed meanwhile gets no 200, so Telegram (or the
        # proxy) delivers the update again, and a chat's next update follows only once this one is done.
        application = self.bot_application
        await application.update_processor.process_update(update, application.process_update(update))
        self.set_status(200)

    def log_exception(self, typ, value, tb) -> None:  # type: ignore[no-untyped-def]
        if isinstance(value, tornado.web.HTTPError):
            log.info("webhook request refused: %s", value.status_code)
        else:
            super().log_exception(typ, value, tb)


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (in the running event loop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve_webhook(application: Application, listen: str, port: int, path: str, url: str, secret: str,
                        beside: Callable[[asyncio.Event], Coroutine[Any, Any, None]] | None = None) -> None:
    """Run the bot behind a webhook until SIGTERM or SIGINT; an update not acknowledged by then comes again.
    `beside` (the web page) runs in the same loop and stops first."""
    web = tornado.web.Application([(rf"/{path}/?", WebhookHandler, {"bot_application": application, "secret": secret})])
    stop = stop_on_signals()
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES,
                                          drop_pending_updates=False)
        await application.start()
        server = web.listen(port, address=listen, max_body_size=MAX_BODY, max_header_size=MAX_HEADERS,
                            idle_connection_timeout=IDLE_TIMEOUT, body_timeout=IDLE_TIMEOUT)
        log.info("webhook listening on %s:%d/%s", listen, port, path)
        task = asyncio.create_task(beside(stop)) if beside is not None else None
        await stop.wait()
        if task is not None:
            await task
        server.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
