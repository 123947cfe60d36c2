"""Values the test injects and records of what the bot did (users, chats, files, messages)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .protocol import JSON, ApiError


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user (or bot) as injected by the test."""

    id: int
    first_name: str
    language_code: str | None = "da"
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class FakeChat:
    """A chat: ``private`` (id = user id), ``group``, ``supergroup`` or ``channel``."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None

    @classmethod
    def private(cls, user: FakeUser) -> FakeChat:
        return cls(user.id, "private", first_name=user.first_name, last_name=user.last_name,
                   username=user.username)

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "last_name", "username"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class StoredFile:
    """A file known to the fake server: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str  # "document" or "photo"
    file_path: str
    content: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 1280
    height: int = 960

    @property
    def size(self) -> int:
        return len(self.content)

    def to_api(self) -> JSON | list[JSON]:
        """The ``document`` object, or the ``photo`` PhotoSize array, of a message."""
        base: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                      "file_size": self.size}
        if self.kind == "photo":
            return [{**base, "width": self.width, "height": self.height}]
        if self.file_name is not None:
            base["file_name"] = self.file_name
        if self.mime_type is not None:
            base["mime_type"] = self.mime_type
        return base


@dataclass
class SentMessage:
    """A message the bot sent and Telegram accepted. ``text`` is the raw text as sent."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    reply_to_message_id: int | None
    time: float
    caption: str | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    message: JSON = field(default_factory=dict, repr=False)  # the Message returned to the bot

    @property
    def plain_text(self) -> str | None:
        """Text or caption after entity parsing (HTML tags stripped, entities unescaped)."""
        return self.message.get("text", self.message.get("caption"))

    @property
    def buttons(self) -> list[JSON]:
        """The inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def callback_data(self, label: str) -> str:
        """callback_data of the button labelled exactly `label` (else: containing `label`)."""
        for exact in (True, False):
            for button in self.buttons:
                text = button.get("text", "")
                if (text == label if exact else label in text) and "callback_data" in button:
                    return button["callback_data"]
        raise KeyError(f"no callback button {label!r} in {[b.get('text') for b in self.buttons]}")


@dataclass
class EditRecord:
    """An accepted editMessageText / editMessageReplyMarkup / editMessageCaption."""

    method: str
    chat_id: int | None
    message_id: int | None
    text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    time: float
    inline_message_id: str | None = None


@dataclass
class CallbackAnswer:
    """An accepted answerCallbackQuery, with when the query was pressed and first fetched."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    time: float
    pressed_at: float
    fetched_at: float | None

    @property
    def latency(self) -> float | None:
        """Seconds from the bot fetching the callback query update to answering it."""
        return None if self.fetched_at is None else self.time - self.fetched_at


@dataclass
class Attempt:
    """Any Bot API request (accepted, failed or faulted); getUpdates only if configured/faulted."""

    method: str
    params: JSON
    time: float
    chat_id: int | str | None
    status: int | None = None  # HTTP status once answered
    description: str | None = None  # error description, if any
    faulted: bool = False  # answered by an injected fault


@dataclass(frozen=True)
class Injected:
    """What an injection created: the (last) update and the ids tests need."""

    update_id: int
    update: JSON = field(repr=False)
    chat_id: int | None = None
    message_id: int | None = None
    callback_query_id: str | None = None
    chat: FakeChat | None = None
    update_ids: tuple[int, ...] = ()


@dataclass
class _Fault:
    method: str  # lower-cased, or "*"
    remaining: int
    chat_id: int | str | None
    status: int | None = None
    retry_after: int | None = None
    description: str | None = None
    delay: float = 0.0
    after: int = 0  # matching calls let through first

    def error(self) -> ApiError:
        if self.status == 429:
            retry = self.retry_after or 1
            return ApiError(429, self.description or f"Too Many Requests: retry after {retry}",
                            {"retry_after": retry})
        assert self.status is not None
        default = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                   409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway",
                   503: "Service Unavailable", 504: "Gateway Timeout"}
        return ApiError(self.status, self.description or default.get(self.status, "Error"))


@dataclass
class _CallbackQuery:
    update_id: int
    pressed_at: float
    answered: bool = False


def _chat_id(chat: FakeChat | FakeUser | SentMessage | int | str) -> int | str:
    if isinstance(chat, (FakeChat, FakeUser)):
        return chat.id
    if isinstance(chat, SentMessage):
        return chat.chat_id
    return chat


def _shallow(message: JSON) -> JSON:
    """A message as nested in another (reply_to_message / pinned): without its own reply."""
    nested = copy.deepcopy(message)
    nested.pop("reply_to_message", None)
    return nested
