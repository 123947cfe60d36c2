"""Serving the web page with uvicorn inside the bot's own event loop (one process with the bot)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger(__name__)


class Server(uvicorn.Server):
    """uvicorn without its signal handlers: the bot's own handlers stop everything in order."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()


async def serve_web(app: ASGIApp, listen: str, port: int, stop: asyncio.Event) -> None:
    """Serve `app` until `stop` is set (signals are the bot's to handle, not uvicorn's)."""
    config = uvicorn.Config(app, host=listen, port=port, log_level="warning", access_log=False,
                            proxy_headers=True, server_header=False, timeout_keep_alive=10,
                            limit_concurrency=200, lifespan="off")
    server = Server(config)
    task = asyncio.create_task(server.serve(), name="web")
    log.info("web page listening on %s:%d", listen, port)
    await stop.wait()
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await task
