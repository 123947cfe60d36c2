"""The fake's whole state (chats, messages, files, updates, records, faults) behind one lock."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import threading
import time
from collections.abc import Callable
from typing import Any

from .protocol import DEFAULT_EXCLUDED_UPDATES, JSON, ApiError, _bad_request
from .records import (
    Attempt,
    CallbackAnswer,
    EditRecord,
    FakeChat,
    FakeUser,
    SentMessage,
    StoredFile,
    _CallbackQuery,
    _Fault,
)


class _State:
    """Everything the fake Telegram knows, guarded by one lock; `changed` wakes sync waiters."""

    def __init__(self, bot: FakeUser) -> None:
        self.bot = bot
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.users: dict[int, FakeUser] = {bot.id: bot}
        self.chats: dict[int, FakeChat] = {}
        self.migrated: dict[int, int] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.next_message_ids: dict[int, int] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.file_counter = itertools.count(1)
        # updates
        self.update_counter = itertools.count(1)
        self.all_updates: dict[int, JSON] = {}
        self.pending: list[JSON] = []
        self.redeliveries: list[JSON] = []
        self.allowed_updates: list[str] | None = None
        self.fetched_at: dict[int, float] = {}
        self.fetch_counts: dict[int, int] = {}
        self.callback_counter = itertools.count(1)
        self.callback_queries: dict[str, _CallbackQuery] = {}
        self.on_new_update: Callable[[], None] | None = None
        self.listeners: list[Callable[[SentMessage | CallbackAnswer], None]] = []
        # records
        self.sent: list[SentMessage] = []
        self.edits: list[EditRecord] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.deleted: list[tuple[int, int, float]] = []
        self.chat_actions: list[tuple[int, str, float]] = []
        self.attempts: list[Attempt] = []
        self.commands: dict[str, list[JSON]] = {}
        self.scoped_commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook: JSON | None = None
        self.stubs: dict[str, Any] = {}
        # faults and activity
        self.faults: list[_Fault] = []
        self.blocked: set[int | str] = set()
        self.in_flight = 0
        self.last_activity = time.monotonic()

    # -- helpers

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def emit(self, record: SentMessage | CallbackAnswer) -> None:
        """Tell subscribers (`FakeTelegram.subscribe`) of a new record, from the server thread."""
        for listener in self.listeners:
            listener(record)

    def next_message_id(self, chat_id: int) -> int:
        message_id = self.next_message_ids.get(chat_id, 0) + 1
        self.next_message_ids[chat_id] = message_id
        return message_id

    def store_file(self, kind: str, content: bytes, file_name: str | None,
                   mime_type: str | None = None, **extra: Any) -> StoredFile:
        number = next(self.file_counter)
        folder = "photos" if kind == "photo" else "documents"
        suffix = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else (
            ".jpg" if kind == "photo" else "")
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        stored = StoredFile(
            file_id=f"{'AgAC' if kind == 'photo' else 'BQAC'}Fake{number:08d}",
            file_unique_id=f"AQADFake{number:08d}", kind=kind,
            file_path=f"{folder}/file_{number}{suffix}", content=content, file_name=file_name,
            mime_type=mime_type if kind == "document" else None, **extra)
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def add_update(self, update: JSON) -> int:
        with self.lock:
            update_id = next(self.update_counter)
            update["update_id"] = update_id
            self.all_updates[update_id] = update
            self.pending.append(update)
        self._updates_changed()
        return update_id

    def redeliver(self, update_id: int) -> None:
        with self.lock:
            if update_id not in self.all_updates:
                raise KeyError(f"no update {update_id}")
            self.redeliveries.append(self.all_updates[update_id])
        self._updates_changed()

    def _updates_changed(self) -> None:
        callback = self.on_new_update
        if callback is not None:
            callback()
        self.notify()

    def confirm(self, offset: int | None) -> None:
        """Forget updates before `offset` (negative: keep only the last -offset)."""
        if offset is None:
            return
        with self.lock:
            if offset < 0:
                self.pending = self.pending[offset:]
            else:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def take_updates(self, limit: int, allowed: list[str] | None) -> list[JSON]:
        """The next batch for getUpdates; records fetch times. Disallowed types are dropped."""
        now = time.monotonic()
        with self.lock:
            if allowed is not None:
                self.allowed_updates = list(allowed)
            batch = self.redeliveries[:limit]
            del self.redeliveries[:limit]
            kept: list[JSON] = []
            for update in self.pending:
                if self._allowed(update):
                    kept.append(update)
                    if len(batch) < limit:
                        batch.append(update)
            self.pending = kept
            for update in batch:
                update_id = update["update_id"]
                self.fetched_at.setdefault(update_id, now)
                self.fetch_counts[update_id] = self.fetch_counts.get(update_id, 0) + 1
        if batch:
            self.notify()
        return [copy.deepcopy(update) for update in batch]

    def _allowed(self, update: JSON) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in DEFAULT_EXCLUDED_UPDATES

    def all_fetched(self) -> bool:
        with self.lock:
            return not self.redeliveries and all(
                u["update_id"] in self.fetched_at for u in self.pending)

    def resolve_chat(self, ref: int | str | None) -> FakeChat:
        with self.lock:
            if isinstance(ref, str):
                chat = next((c for c in self.chats.values()
                             if c.username and "@" + c.username.lower() == ref.lower()), None)
            else:
                chat = self.chats.get(ref) if ref is not None else None
                if chat is None and ref in self.users:
                    chat = FakeChat.private(self.users[ref])
                    self.chats[chat.id] = chat
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def writable_chat(self, ref: int | str | None) -> FakeChat:
        """The chat to send to, or the error Telegram gives for blocked/migrated/unknown chats."""
        chat = self.resolve_chat(ref)
        with self.lock:
            if chat.id in self.blocked or ref in self.blocked:
                if chat.type == "private":
                    raise ApiError(403, "Forbidden: bot was blocked by the user")
                raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
            if chat.id in self.migrated:
                raise _bad_request("group chat was upgraded to a supergroup chat",
                                   {"migrate_to_chat_id": self.migrated[chat.id]})
        return chat

    def take_fault(self, method: str, chat_id: int | str | None) -> _Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method in (method, "*") and fault.chat_id in (None, chat_id):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                    return fault
        return None
