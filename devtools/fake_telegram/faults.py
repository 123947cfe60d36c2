"""The facade part that injects faults: errors, delays, blocked chats and stubbed methods."""

from __future__ import annotations

from typing import Any

from .records import FakeChat, FakeUser, _chat_id, _Fault
from .state import _State


class _FaultControl:
    """Fault injection. Faulted requests are recorded in `attempts`, never in `sent`."""

    _state: _State

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, count: int = 1,
                  description: str | None = None,
                  chat: FakeChat | FakeUser | int | None = None, after: int = 0) -> None:
        """Answer the next `count` calls of `method` ("*" = any) with an error: 429 carries
        ``retry_after``; 5xx surfaces in PTB as NetworkError; others with `description`.
        `after` lets that many matching calls through first."""
        self._add_fault(_Fault(method.lower(), count, None if chat is None else _chat_id(chat),
                               status, retry_after if status == 429 else None, description, after=after))

    def delay_next(self, method: str, seconds: float, count: int = 1,
                   chat: FakeChat | FakeUser | int | None = None, after: int = 0) -> None:
        """Hold the next `count` calls of `method` for `seconds` before processing them normally
        (like Telegram, the call still takes effect even if the client timed out meanwhile)."""
        self._add_fault(_Fault(method.lower(), count, None if chat is None else _chat_id(chat),
                               delay=seconds, after=after))

    def block(self, chat: FakeChat | FakeUser | int) -> None:
        """Sends to the chat fail with 403 "Forbidden: bot was blocked by the user"."""
        with self._state.lock:
            self._state.blocked.add(_chat_id(chat))

    def unblock(self, chat: FakeChat | FakeUser | int) -> None:
        with self._state.lock:
            self._state.blocked.discard(_chat_id(chat))

    def clear_faults(self) -> None:
        with self._state.lock:
            self._state.faults.clear()
            self._state.blocked.clear()

    def stub(self, method: str, result: Any) -> None:
        """Serve an otherwise unknown method: a fixed result or ``callable(params) -> result``."""
        with self._state.lock:
            self._state.stubs[method.lower()] = result

    def _add_fault(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("count must be >= 1")
        with self._state.lock:
            self._state.faults.append(fault)
