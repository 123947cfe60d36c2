"""The webhook endpoint: Telegram POSTs updates here; they join the Application's update queue.

PTB's built-in webhook answers a malformed body with 500; this endpoint answers every bad request
with a 4xx and never lets it reach the bot: a missing or wrong secret token is 403, a body that is
not JSON is 415/400, JSON that is not an update is 400.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

import tornado.web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000


class WebhookHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str) -> None:  # type: ignore[override]
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(403)
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise tornado.web.HTTPError(415)
        if len(self.request.body) > MAX_BODY:
            raise tornado.web.HTTPError(413)
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict) or "update_id" not in data:
                raise ValueError("not an update")
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError):
            raise tornado.web.HTTPError(400) from None
        await self.bot_application.update_queue.put(update)
        self.set_status(200)

    def log_exception(self, typ, value, tb) -> None:  # type: ignore[no-untyped-def]
        if isinstance(value, tornado.web.HTTPError):
            log.info("webhook request refused: %s", value.status_code)
        else:
            super().log_exception(typ, value, tb)


async def serve_webhook(application: Application, listen: str, port: int, path: str, url: str, secret: str) -> None:
    """Run the bot behind a webhook until SIGTERM or SIGINT; queued updates are processed before exit."""
    web = tornado.web.Application([(rf"/{path}/?", WebhookHandler, {"bot_application": application, "secret": secret})])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES,
                                          drop_pending_updates=False)
        await application.start()
        server = web.listen(port, address=listen)
        log.info("webhook listening on %s:%d/%s", listen, port, path)
        await stop.wait()
        server.stop()
        await application.stop()  # processes what is already queued
        if application.post_stop is not None:
            await application.post_stop(application)
