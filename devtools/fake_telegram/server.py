"""The HTTP side: Tornado handlers and the server thread that dispatches and long-polls."""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from .api import _BotApi
from .params import _Params, _Upload
from .protocol import JSON, ApiError, _bad_request
from .records import Attempt
from .state import _State

T = TypeVar("T")


class _ApiHandler(tornado.web.RequestHandler):
    """``/bot<token>/<method>``: authenticates, parses parameters and dispatches."""

    def initialize(self, server: _Server) -> None:  # type: ignore[override]
        self.server = server
        self.closed = False
        self.wakeup: asyncio.Future[None] | None = None

    async def get(self, token: str, method: str) -> None:
        if token != self.server.token:
            return self.reply(401, ApiError(401, "Unauthorized").payload())
        try:
            params = self.params()
        except ApiError as error:
            return self.reply(error.status, error.payload())
        status, payload = await self.server.dispatch(method, params, self)
        if payload is not None:
            self.reply(status, payload)

    post = get

    def params(self) -> _Params:
        values: JSON = {}
        for source in (self.request.query_arguments, self.request.body_arguments):
            values.update({k: v[-1].decode("utf-8", "replace") for k, v in source.items() if v})
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            try:
                body = json.loads(self.request.body)
            except ValueError:
                raise _bad_request("can't parse JSON body") from None
            if not isinstance(body, dict):
                raise _bad_request("can't parse JSON body")
            values.update(body)
        uploads = {name: _Upload(files[-1].filename, files[-1].body, files[-1].content_type)
                   for name, files in self.request.files.items() if files}
        return _Params(values, uploads)

    def reply(self, status: int, payload: Any) -> None:
        if self.closed:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        try:
            self.finish(json.dumps(payload))
        except tornado.iostream.StreamClosedError:
            pass

    def on_connection_close(self) -> None:
        self.closed = True
        if self.wakeup is not None and not self.wakeup.done():
            self.wakeup.set_result(None)


class _FileHandler(tornado.web.RequestHandler):
    """``/file/bot<token>/<file_path>``: downloads."""

    def initialize(self, server: _Server) -> None:  # type: ignore[override]
        self.server = server

    def get(self, token: str, path: str) -> None:
        stored = self.server.state.files_by_path.get(path)
        if token != self.server.token or stored is None:
            code, text = (401, "Unauthorized") if token != self.server.token else (404, "Not Found")
            self.set_status(code)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(ApiError(code, text).payload()))
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.content)


class _NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(ApiError(404, "Not Found").payload()))


class _Server:
    """Tornado on its own asyncio loop in a daemon thread; long-polls getUpdates."""

    def __init__(self, state: _State, api: _BotApi, token: str, host: str, port: int,
                 record_get_updates: bool) -> None:
        self.state, self.api, self.token = state, api, token
        self.host, self.port = host, port
        self.record_get_updates = record_get_updates
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.http: tornado.httpserver.HTTPServer | None = None
        self.pollers: set[asyncio.Future[None]] = set()
        self.poll_ticket: object | None = None
        self.closing = False
        self.ready = threading.Event()
        self.startup_error: BaseException | None = None

    # -- lifecycle

    def start(self) -> None:
        self.ready, self.closing, self.startup_error = threading.Event(), False, None
        self.thread = threading.Thread(target=self._run, name="fake-telegram", daemon=True)
        self.thread.start()
        self.ready.wait(10)
        if self.startup_error is not None:
            raise RuntimeError("fake Telegram server failed to start") from self.startup_error
        self.state.on_new_update = self._wake_threadsafe

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self.loop = loop
        try:
            loop.run_until_complete(self._listen())
        except BaseException as error:  # noqa: BLE001 - reported to start()
            self.startup_error = error
            self.ready.set()
            loop.close()
            return
        self.ready.set()
        try:
            loop.run_forever()
        finally:
            tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

    async def _listen(self) -> None:
        app = tornado.web.Application(
            [(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", _ApiHandler, {"server": self}),
             (r"/file/bot([^/]+)/(.+)", _FileHandler, {"server": self})],
            default_handler_class=_NotFoundHandler, log_function=lambda handler: None)
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        self.http = tornado.httpserver.HTTPServer(app)
        self.http.add_sockets(sockets)

    def stop(self) -> None:
        self.state.on_new_update = None
        if self.loop is None or self.thread is None or self.loop.is_closed():
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop)
        try:
            future.result(5)
        except Exception:  # noqa: BLE001, S110 - best effort, the loop is stopped regardless
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _shutdown(self) -> None:
        self.closing = True
        self._wake()
        assert self.http is not None
        self.http.stop()
        await asyncio.sleep(0.01)  # let woken long polls answer
        try:
            await asyncio.wait_for(self.http.close_all_connections(), 2)
        except TimeoutError:
            pass

    def _wake_threadsafe(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._wake)
            except RuntimeError:  # loop closed meanwhile
                pass

    def _wake(self) -> None:
        for waiter in list(self.pollers):
            if not waiter.done():
                waiter.set_result(None)

    # -- dispatch

    async def dispatch(self, method: str, p: _Params, handler: _ApiHandler) -> tuple[int, Any]:
        """Run one API call; returns (HTTP status, payload or None if the client is gone)."""
        name = method.lower()
        is_poll = name == "getupdates"
        impl = None if is_poll else (self.api.methods.get(name) or self._stub(name))
        if impl is None and not is_poll:
            error = ApiError(404, "Not Found: method not found")
            self._record(method, p, error.status, error.description)
            return error.status, error.payload()
        chat_ref = _safe(lambda: p.chat_ref())
        fault = self.state.take_fault(name, chat_ref)
        attempt = None
        if not is_poll or self.record_get_updates or fault is not None:
            attempt = self._record(method, p, None, None, chat_ref)
        if not is_poll:
            with self.state.lock:
                self.state.in_flight += 1
                self.state.last_activity = time.monotonic()
        try:
            if fault is not None and fault.delay:
                await asyncio.sleep(fault.delay)
            if fault is not None and fault.status is not None:
                error = fault.error()
                return self._finish(attempt, error.status, error.payload(), faulted=True)
            try:
                if is_poll:
                    result = await self._get_updates(p, handler)
                    if result is None:
                        return self._finish(attempt, 499, None)
                else:
                    assert impl is not None
                    result = impl(p)
            except ApiError as error:
                return self._finish(attempt, error.status, error.payload())
            return self._finish(attempt, 200, {"ok": True, "result": result})
        finally:
            if not is_poll:
                with self.state.lock:
                    self.state.in_flight -= 1
                    self.state.last_activity = time.monotonic()
                self.state.notify()

    def _stub(self, name: str) -> Callable[[_Params], Any] | None:
        with self.state.lock:
            if name not in self.state.stubs:
                return None
            value = self.state.stubs[name]
        return lambda p: value(p.values) if callable(value) else copy.deepcopy(value)

    def _record(self, method: str, p: _Params, status: int | None, description: str | None,
                chat_ref: int | str | None = None) -> Attempt:
        attempt = Attempt(method, p.loggable(), time.monotonic(), chat_ref, status, description)
        with self.state.lock:
            self.state.attempts.append(attempt)
        return attempt

    def _finish(self, attempt: Attempt | None, status: int, payload: Any,
                faulted: bool = False) -> tuple[int, Any]:
        if attempt is not None:
            with self.state.lock:
                attempt.status, attempt.faulted = status, faulted
                if isinstance(payload, dict) and not payload.get("ok", True):
                    attempt.description = payload.get("description")
        return status, payload

    async def _get_updates(self, p: _Params, handler: _ApiHandler) -> list[JSON] | None:
        """Long polling: returns the batch, [] on timeout, None if the client disconnected."""
        with self.state.lock:
            if self.state.webhook:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
        limit = min(max(p.get_int("limit") or 100, 1), 100)
        timeout = max(p.get_float("timeout") or 0.0, 0.0)
        allowed = p.get_json("allowed_updates")
        self.state.confirm(p.get_int("offset"))
        ticket = object()
        self.poll_ticket = ticket
        self._wake()  # a newer getUpdates terminates older ones (409), like Telegram
        assert self.loop is not None
        deadline = self.loop.time() + timeout
        first = True
        while True:
            if handler.closed:
                return None
            if self.poll_ticket is not ticket:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure "
                                    "that only one bot instance is running")
            batch = self.state.take_updates(limit, allowed if first else None)
            first = False
            remaining = deadline - self.loop.time()
            if batch or remaining <= 0 or self.closing:
                return batch
            waiter: asyncio.Future[None] = self.loop.create_future()
            self.pollers.add(waiter)
            handler.wakeup = waiter
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
            finally:
                self.pollers.discard(waiter)
                handler.wakeup = None


def _safe(getter: Callable[[], T]) -> T | None:
    try:
        return getter()
    except ApiError:
        return None
