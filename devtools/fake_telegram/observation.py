"""The facade part that reads what the bot did and waits for it (sync and async)."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any

from .protocol import JSON
from .records import (
    Attempt,
    CallbackAnswer,
    EditRecord,
    FakeChat,
    FakeUser,
    Injected,
    SentMessage,
    _chat_id,
)
from .state import _State


class _Observation:
    """Reading what the bot did, and waiting for it (sync and async variants)."""

    _state: _State

    @property
    def sent(self) -> list[SentMessage]:
        with self._state.lock:
            return list(self._state.sent)

    @property
    def edits(self) -> list[EditRecord]:
        with self._state.lock:
            return list(self._state.edits)

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._state.lock:
            return list(self._state.callback_answers)

    @property
    def attempts(self) -> list[Attempt]:
        with self._state.lock:
            return list(self._state.attempts)

    @property
    def deleted(self) -> list[tuple[int, int, float]]:
        """(chat_id, message_id, time) of deleted messages."""
        with self._state.lock:
            return list(self._state.deleted)

    @property
    def chat_actions(self) -> list[tuple[int, str, float]]:
        with self._state.lock:
            return list(self._state.chat_actions)

    @property
    def commands(self) -> dict[str, list[JSON]]:
        """setMyCommands for the default scope, by language_code ("" = all languages)."""
        with self._state.lock:
            return copy.deepcopy(self._state.commands)

    @property
    def webhook(self) -> JSON | None:
        with self._state.lock:
            return copy.deepcopy(self._state.webhook)

    def subscribe(self, listener: Callable[[SentMessage | CallbackAnswer], None]) -> None:
        """Call `listener` with every message sent and callback query answered, as it happens.

        It runs on the server's thread and must be quick (e.g. ``loop.call_soon_threadsafe``);
        load generators use it instead of polling."""
        self._state.listeners.append(listener)

    def attempts_for(self, method: str) -> list[Attempt]:
        return [a for a in self.attempts if a.method.lower() == method.lower()]

    def mark(self) -> int:
        """The current number of sent messages, for ``since=``."""
        with self._state.lock:
            return len(self._state.sent)

    def messages_to(self, chat: FakeChat | FakeUser | int) -> list[SentMessage]:
        chat_id = _chat_id(chat)
        return [m for m in self.sent if m.chat_id == chat_id]

    def last_to(self, chat: FakeChat | FakeUser | int) -> SentMessage | None:
        messages = self.messages_to(chat)
        return messages[-1] if messages else None

    def message(self, chat: FakeChat | FakeUser | int, message_id: int) -> JSON | None:
        """The current state of a message (after edits), or None if deleted/unknown."""
        with self._state.lock:
            found = self._state.messages.get((_chat_id(chat), message_id))  # type: ignore[arg-type]
            return copy.deepcopy(found)

    def fetch_count(self, update_id: int) -> int:
        """How many times getUpdates returned the update."""
        with self._state.lock:
            return self._state.fetch_counts.get(update_id, 0)

    def is_idle(self, quiet: float = 0.2) -> bool:
        with self._state.lock:
            return (self._state.all_fetched() and self._state.in_flight == 0
                    and time.monotonic() - self._state.last_activity >= quiet)

    # -- waiting

    def wait_for(self, predicate: Callable[[SentMessage], bool] | None = None,
                 timeout: float = 10.0, since: int = 0,
                 chat: FakeChat | FakeUser | int | None = None) -> SentMessage:
        """Block until a sent message (index >= since, to `chat`) matches; TimeoutError else."""
        return self._wait_sync("sent", self._matcher(predicate, chat), since, timeout)

    async def await_for(self, predicate: Callable[[SentMessage], bool] | None = None,
                        timeout: float = 10.0, since: int = 0,
                        chat: FakeChat | FakeUser | int | None = None) -> SentMessage:
        """Like `wait_for`, without blocking the event loop."""
        return await self._wait_async("sent", self._matcher(predicate, chat), since, timeout)

    def wait_for_edit(self, predicate: Callable[[EditRecord], bool] | None = None,
                      timeout: float = 10.0, since: int = 0) -> EditRecord:
        return self._wait_sync("edits", predicate or (lambda _: True), since, timeout)

    async def await_for_edit(self, predicate: Callable[[EditRecord], bool] | None = None,
                             timeout: float = 10.0, since: int = 0) -> EditRecord:
        return await self._wait_async("edits", predicate or (lambda _: True), since, timeout)

    def wait_for_answer(self, callback_query_id: str | Injected | None = None,
                        timeout: float = 10.0) -> CallbackAnswer:
        """Block until answerCallbackQuery for the query (or any) was accepted."""
        return self._wait_sync("callback_answers", self._answer_matcher(callback_query_id), 0,
                               timeout)

    async def await_for_answer(self, callback_query_id: str | Injected | None = None,
                               timeout: float = 10.0) -> CallbackAnswer:
        return await self._wait_async("callback_answers",
                                      self._answer_matcher(callback_query_id), 0, timeout)

    def wait_until_idle(self, timeout: float = 10.0, quiet: float = 0.2) -> None:
        """Block until all injected updates were fetched and no bot request came for `quiet` s."""
        _refuse_in_event_loop("wait_until_idle", "await_until_idle")
        deadline = time.monotonic() + timeout
        while not self.is_idle(quiet):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"fake Telegram not idle after {timeout}s")
            time.sleep(0.01)

    async def await_until_idle(self, timeout: float = 10.0, quiet: float = 0.2) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_idle(quiet):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"fake Telegram not idle after {timeout}s")
            await asyncio.sleep(0.01)

    @staticmethod
    def _matcher(predicate: Callable[[SentMessage], bool] | None,
                 chat: FakeChat | FakeUser | int | None) -> Callable[[SentMessage], bool]:
        chat_id = None if chat is None else _chat_id(chat)
        return lambda m: (chat_id is None or m.chat_id == chat_id) and (
            predicate is None or predicate(m))

    @staticmethod
    def _answer_matcher(query: str | Injected | None) -> Callable[[CallbackAnswer], bool]:
        query_id = query.callback_query_id if isinstance(query, Injected) else query
        return lambda a: query_id is None or a.callback_query_id == query_id

    def _find(self, records: str, predicate: Callable[[Any], bool], since: int) -> Any:
        with self._state.lock:
            items = list(getattr(self._state, records)[since:])
        return next((item for item in items if predicate(item)), None)

    def _timeout(self, records: str, timeout: float) -> TimeoutError:
        recent = [getattr(r, "text", None) or getattr(r, "caption", None) or r.method
                  for r in self.sent[-5:]] if records == "sent" else getattr(self, records)[-5:]
        return TimeoutError(f"nothing matching in {records} after {timeout}s; last: {recent!r}")

    def _wait_sync(self, records: str, predicate: Callable[[Any], bool], since: int,
                   timeout: float) -> Any:
        _refuse_in_event_loop("wait_for", "await_for")
        deadline = time.monotonic() + timeout
        with self._state.changed:
            while True:
                found = self._find(records, predicate, since)
                remaining = deadline - time.monotonic()
                if found is not None or remaining <= 0:
                    break
                self._state.changed.wait(min(remaining, 0.1))
        if found is None:
            raise self._timeout(records, timeout)
        return found

    async def _wait_async(self, records: str, predicate: Callable[[Any], bool], since: int,
                          timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while (found := self._find(records, predicate, since)) is None:
            if time.monotonic() >= deadline:
                raise self._timeout(records, timeout)
            await asyncio.sleep(0.005)
        return found


def _refuse_in_event_loop(name: str, alternative: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"tg.{name}() would block this event loop (and a bot running on it); "
                       f"use 'await tg.{alternative}()'")
