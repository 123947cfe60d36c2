"""A loopback fake of the Telegram Bot API, for end-to-end tests of a python-telegram-bot bot.

`FakeTelegram` serves the Bot API over HTTP on 127.0.0.1 from a background thread with its own
asyncio loop, so neither a synchronous test nor the event loop of an asynchronous test (which may
run the bot itself) is ever blocked by it. The bot under test is pointed at it with

    ApplicationBuilder().token(tg.token).base_url(tg.base_url).base_file_url(tg.base_file_url)

(PTB appends the token to both URLs; requests go to ``/bot<token>/<method>`` and file downloads
to ``/file/bot<token>/<file_path>``), or, for `spredning run`, with ``--api-base tg.api_base``.

Telegram is emulated at the HTTP boundary only:

* the test *injects* what users do (``tg.send_text``, ``tg.press``, ``tg.send_document`` ...),
  which become updates served by ``getUpdates`` with real offset/long-polling semantics;
* everything the bot does is *recorded* (``tg.sent``, ``tg.edits``, ``tg.callback_answers``,
  ``tg.attempts``) and can be awaited (``tg.wait_for`` / ``await tg.await_for``);
* faults can be injected (``tg.fail_next``, ``tg.delay_next``, ``tg.block``).

Validation follows the Bot API where bots commonly get it wrong (message length, HTML
well-formedness, callback_data size, reply targets, "message is not modified"), with the same
error codes and descriptions Telegram returns, so PTB raises the same exceptions. Text length is
counted in code points after entity parsing; MarkdownV2 parsing is approximate.

All times recorded are ``time.monotonic()`` values. The state survives bot restarts, so a bot
subprocess can be SIGKILLed and restarted against the same server: unconfirmed updates are
delivered again, exactly as by Telegram.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import mimetypes
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

JSON = dict[str, Any]
T = TypeVar("T")

GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
#: Update types delivered when ``allowed_updates`` is unset or empty.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a content and reply markup of the current message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional response parameters."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(description: str, parameters: JSON | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", parameters)


# --------------------------------------------------------------------------- values and records


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


# --------------------------------------------------------------------------- text parsing


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_HTML_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "a": "text_link", "code": "code", "pre": "pre", "tg-spoiler": "spoiler", "span": "spoiler",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*"""
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>"""
)
_ATTR_RE = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_CHAR_REF_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities); raise 400 like Telegram on bad markup."""
    out: list[str] = []
    offset = 0  # UTF-16 offset in the plain text
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []

    def fail(message: str, at: int) -> ApiError:
        return _bad_request(
            f"can't parse entities: {message} at byte offset {len(text[:at].encode())}"
        )

    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG_RE.match(text, pos)
            if match is None:
                follower = text[pos + 1 : pos + 2]
                if follower == "/" or follower.isalpha():
                    raise fail("Unclosed start tag" if follower != "/" else "Unclosed end tag", pos)
                raise fail("Unexpected end of name token", pos)
            closing, name = match.group(1) == "/", match.group(2).lower()
            attrs = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                     for m in _ATTR_RE.finditer(match.group(3))}
            if not closing:
                if name not in _HTML_ENTITY_TYPES:
                    raise fail(f'Unsupported start tag "{name}"', pos)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"', pos)
                if name == "tg-emoji" and "emoji-id" not in attrs:
                    raise fail('Tag "tg-emoji" must have attribute "emoji-id"', pos)
                if name == "code" and stack and stack[-1][0] == "pre":
                    language = attrs.get("class", "")
                    if language.startswith("language-"):
                        stack[-1][2]["language"] = language.removeprefix("language-")
                        attrs["inside_pre"] = "1"
                stack.append((name, offset, attrs))
            else:
                if not stack:
                    raise fail("Unexpected end tag", pos)
                if stack[-1][0] != name:
                    raise fail(f'Unmatched end tag, expected "</{stack[-1][0]}>", '
                               f'found "</{name}>"', pos)
                _, start, open_attrs = stack.pop()
                entity = _html_entity(name, start, offset - start, open_attrs)
                if entity is not None:
                    entities.append(entity)
            pos = match.end()
            continue
        if char == "&":
            match = _CHAR_REF_RE.match(text, pos)
            if match is not None:
                ref = match.group(1)
                if ref.startswith("#"):
                    code = int(ref[2:], 16) if ref[1:2] in ("x", "X") else int(ref[1:])
                    decoded = chr(code) if 0 < code < 0x110000 else "\ufffd"
                else:
                    decoded = _NAMED_REFS[ref]
                out.append(decoded)
                offset += utf16_len(decoded)
                pos = match.end()
                continue
        end = pos + 1
        while end < len(text) and text[end] not in "<&":
            end += 1
        chunk = text[pos:end]
        out.append(chunk)
        offset += utf16_len(chunk)
        pos = end
    if stack:
        raise _bad_request("can't parse entities: Can't find end tag corresponding to start "
                           f'tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(name: str, offset: int, length: int, attrs: dict[str, str]) -> JSON | None:
    if length <= 0 or attrs.get("inside_pre"):
        return None
    entity: JSON = {"type": _HTML_ENTITY_TYPES[name], "offset": offset, "length": length}
    if name == "a":
        if not attrs.get("href"):
            return None
        entity["url"] = attrs["href"]
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    return entity


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(text: str) -> str:
    """Approximate MarkdownV2: plain text, or 400 for unescaped reserved characters."""
    out: list[str] = []
    pos, in_code, in_pre, in_url = 0, False, False, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            if pos + 1 < len(text):
                out.append(text[pos + 1])
            pos += 2
            continue
        if text.startswith("```", pos):
            if not in_pre:  # skip the optional language on the opening line
                newline = text.find("\n", pos + 3)
                pos = len(text) if newline < 0 else newline + 1
            else:
                pos += 3
            in_pre = not in_pre
            continue
        if in_pre or (in_code and char != "`"):
            out.append(char)
        elif char == "`":
            in_code = not in_code
        elif in_url:
            in_url = char != ")"
        elif char == "]" and text.startswith("(", pos + 1):
            in_url = True
            pos += 1
        elif char in "*_~|[]" or (char == ">" and (pos == 0 or text[pos - 1] == "\n")):
            pass
        elif char == "!" and text.startswith("[", pos + 1):
            pass
        elif char in _MDV2_RESERVED:
            raise _bad_request(f"can't parse entities: Character '{char}' is reserved and must "
                               "be escaped with the preceding '\\'")
        else:
            out.append(char)
        pos += 1
    if in_code or in_pre:
        raise _bad_request("can't parse entities: Can't find end of Code entity at byte offset "
                           f"{len(text.encode())}")
    return "".join(out)


def parse_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[JSON]]:
    """Apply `parse_mode` like Telegram does: (plain text, entities)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text), []
    if mode == "markdown":
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        return re.sub(r"[*_`]", "", plain), []
    if mode:
        raise _bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, list(entities) if isinstance(entities, list) else []


def command_entity(text: str) -> JSON | None:
    """The ``bot_command`` entity Telegram attaches to text starting with a command."""
    match = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])", text)
    if match is None:
        return None
    return {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}


# --------------------------------------------------------------------------- request parameters


@dataclass(frozen=True)
class _Upload:
    filename: str
    body: bytes
    content_type: str | None


class _Params:
    """Request parameters from a query string, a form, multipart, or a JSON body.

    PTB sends form fields whose non-string values are JSON-encoded; JSON bodies are typed.
    """

    def __init__(self, values: JSON, uploads: dict[str, _Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, (dict, list)) else str(value)

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str) -> float | None:
        value = self.values.get(name)
        try:
            return None if value is None or value == "" else float(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_ref(self, name: str = "chat_id") -> int | str | None:
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("@"):
            return value
        return self.get_int(name)

    def input_file(self, name: str) -> _Upload | str | None:
        if name in self.uploads:
            return self.uploads[name]
        value = self.get_str(name)
        if value is not None and value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return value

    def loggable(self) -> JSON:
        data = dict(self.values)
        for name, upload in self.uploads.items():
            data[name] = f"<upload {upload.filename!r} {len(upload.body)} bytes>"
        return data


# --------------------------------------------------------------------------- state


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
        """Tell subscribers (`FakeTelegram.subscribe`) about a new record, from the server thread."""
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
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                    return fault
        return None


# --------------------------------------------------------------------------- Bot API methods


class _BotApi:
    """The Bot API methods (except getUpdates, which the server long-polls): pure state logic."""

    def __init__(self, state: _State, bot_extra: JSON) -> None:
        self.state = state
        self.bot_extra = bot_extra
        self.methods: dict[str, Callable[[_Params], Any]] = {
            "getme": self.get_me, "logout": self.true, "close": self.true,
            "deletewebhook": self.delete_webhook, "setwebhook": self.set_webhook,
            "getwebhookinfo": self.get_webhook_info, "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands, "deletemycommands": self.delete_my_commands,
            "sendmessage": self.send_message, "editmessagetext": self.edit_message_text,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "editmessagecaption": self.edit_message_caption, "deletemessage": self.delete_message,
            "answercallbackquery": self.answer_callback_query,
            "senddocument": lambda p: self.send_file(p, "document"),
            "sendphoto": lambda p: self.send_file(p, "photo"),
            "getfile": self.get_file, "sendchataction": self.send_chat_action,
            "getchat": self.get_chat, "getchatmember": self.get_chat_member,
        }

    @property
    def bot(self) -> FakeUser:
        return self.state.bot

    def true(self, _: _Params) -> bool:
        return True

    def get_me(self, _: _Params) -> JSON:
        return {**self.bot.to_dict(), **self.bot_extra}

    # -- webhook and commands

    def delete_webhook(self, p: _Params) -> bool:
        with self.state.lock:
            self.state.webhook = None
            if p.get_bool("drop_pending_updates"):
                self.state.pending.clear()
        return True

    def set_webhook(self, p: _Params) -> bool:
        url = p.get_str("url") or ""
        if url and not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        with self.state.lock:
            self.state.webhook = {"url": url, "secret_token": p.get_str("secret_token"),
                                  "allowed_updates": p.get_json("allowed_updates"),
                                  "max_connections": p.get_int("max_connections")} if url else None
            if p.get_bool("drop_pending_updates"):
                self.state.pending.clear()
        return True

    def get_webhook_info(self, _: _Params) -> JSON:
        with self.state.lock:
            hook = self.state.webhook or {}
            info: JSON = {"url": hook.get("url", ""), "has_custom_certificate": False,
                          "pending_update_count": len(self.state.pending)}
            for key in ("max_connections", "allowed_updates"):
                if hook.get(key) is not None:
                    info[key] = hook[key]
        return info

    def set_my_commands(self, p: _Params) -> bool:
        commands = p.get_json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        language, scope = p.get_str("language_code") or "", self._scope(p)
        with self.state.lock:
            if scope == "default":
                self.state.commands[language] = [dict(c) for c in commands]
            self.state.scoped_commands[(scope, language)] = [dict(c) for c in commands]
        return True

    def get_my_commands(self, p: _Params) -> list[JSON]:
        key = (self._scope(p), p.get_str("language_code") or "")
        with self.state.lock:
            return list(self.state.scoped_commands.get(key, []))

    def delete_my_commands(self, p: _Params) -> bool:
        language, scope = p.get_str("language_code") or "", self._scope(p)
        with self.state.lock:
            self.state.scoped_commands.pop((scope, language), None)
            if scope == "default":
                self.state.commands.pop(language, None)
        return True

    @staticmethod
    def _scope(p: _Params) -> str:
        scope = p.get_json("scope") or {"type": "default"}
        return "default" if scope == {"type": "default"} else json.dumps(scope, sort_keys=True)

    # -- sending

    def send_message(self, p: _Params) -> JSON:
        chat = self.state.writable_chat(p.chat_ref())
        text, parse_mode = p.get_str("text"), p.get_str("parse_mode")
        plain, entities = parse_text(text or "", parse_mode, p.get_json("entities"))
        if not plain.strip():
            raise _bad_request("message text is empty")
        if len(plain) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        markup = self._markup(p)
        with self.state.lock:
            reply_to = self._reply_target(chat, p)
            message = self._new_bot_message(chat, reply_to, markup, text=plain, entities=entities)
            record = SentMessage("sendMessage", chat.id, message["message_id"], text, parse_mode,
                                 markup, reply_to and reply_to["message_id"], time.monotonic(),
                                 message=message)
            self.state.sent.append(record)
        self.state.notify()
        self.state.emit(record)
        return copy.deepcopy(message)

    def send_file(self, p: _Params, kind: str) -> JSON:
        chat = self.state.writable_chat(p.chat_ref())
        caption, parse_mode = p.get_str("caption"), p.get_str("parse_mode")
        plain, entities = parse_text(caption or "", parse_mode, p.get_json("caption_entities"))
        if len(plain) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        markup = self._markup(p)
        with self.state.lock:
            reply_to = self._reply_target(chat, p)
            stored = self._input_file(p.input_file(kind), kind)
            content: JSON = {kind: stored.to_api()}
            if plain:
                content.update(caption=plain, caption_entities=entities)
            message = self._new_bot_message(chat, reply_to, markup, **content)
            record = SentMessage(f"send{kind.capitalize()}", chat.id, message["message_id"], None,
                                 parse_mode, markup, reply_to and reply_to["message_id"],
                                 time.monotonic(), caption=caption, message=message,
                                 **{kind: stored})
            self.state.sent.append(record)
        self.state.notify()
        self.state.emit(record)
        return copy.deepcopy(message)

    def _input_file(self, value: _Upload | str | None, kind: str) -> StoredFile:
        if value is None:
            raise _bad_request(f"there is no {kind} in the request")
        if isinstance(value, _Upload):
            if not value.body:
                raise _bad_request("file must be non-empty")
            return self.state.store_file(kind, value.body, value.filename or None,
                                         value.content_type if kind == "document" else None)
        stored = self.state.files.get(value)
        if stored is not None:
            if stored.kind != kind:
                raise _bad_request(f"can't use file of type {stored.kind.capitalize()} "
                                   f"as {kind.capitalize()}")
            return stored
        if value.startswith(("http://", "https://")):
            return self.state.store_file(kind, b"(downloaded from URL)",
                                         value.rsplit("/", 1)[-1] or None)
        raise _bad_request("wrong file identifier/HTTP URL specified")

    def _new_bot_message(self, chat: FakeChat, reply_to: JSON | None, markup: JSON | None,
                         **content: Any) -> JSON:
        message: JSON = {"message_id": self.state.next_message_id(chat.id),
                         "from": self.bot.to_dict(), "chat": chat.to_dict(),
                         "date": int(time.time()), **content}
        if reply_to is not None:
            message["reply_to_message"] = _shallow(reply_to)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.state.messages[(chat.id, message["message_id"])] = message
        return message

    def _reply_target(self, chat: FakeChat, p: _Params) -> JSON | None:
        params = p.get_json("reply_parameters") or {}
        message_id = params.get("message_id", p.get_int("reply_to_message_id"))
        if message_id is None:
            return None
        allow = params.get("allow_sending_without_reply", p.get_bool("allow_sending_without_reply"))
        target_chat = params.get("chat_id", chat.id)
        target = self.state.messages.get((target_chat, int(message_id)))
        if target is None and not allow:
            raise _bad_request("message to be replied not found")
        return target

    def _markup(self, p: _Params) -> JSON | None:
        markup = p.get_json("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request("can't parse inline keyboard markup JSON object")
            actions = {"url", "callback_data", "web_app", "login_url", "switch_inline_query",
                       "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                       "copy_text", "callback_game", "pay"}
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad_request("can't parse inline keyboard button: Field \"text\" must "
                                       "be of type String")
                if not actions & set(button):
                    raise _bad_request("can't parse inline keyboard button: Text buttons are "
                                       "unallowed in the inline keyboard")
                if "callback_data" in button:
                    data = str(button["callback_data"]).encode()
                    if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad_request("BUTTON_DATA_INVALID")
        elif "keyboard" in markup:
            if not isinstance(markup["keyboard"], list):
                raise _bad_request("can't parse reply keyboard markup JSON object")
        elif markup.get("force_reply") is not True and markup.get("remove_keyboard") is not True:
            raise _bad_request("can't parse reply keyboard markup JSON object")
        return markup

    # -- editing and deleting

    def _editable(self, p: _Params) -> tuple[FakeChat, JSON]:
        chat = self.state.writable_chat(p.chat_ref())
        message = self.state.messages.get((chat.id, p.get_int("message_id") or 0))
        if message is None:
            raise _bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot.id:
            raise _bad_request("message can't be edited")
        return chat, message

    def _record_edit(self, method: str, p: _Params, chat_id: int | None, text: str | None,
                     markup: JSON | None) -> None:
        self.state.edits.append(EditRecord(
            method, chat_id, p.get_int("message_id"), text, p.get_str("parse_mode"), markup,
            time.monotonic(), p.get_str("inline_message_id")))
        self.state.notify()

    def _apply_edit(self, method: str, p: _Params, key: str | None, text: str | None,
                    markup: JSON | None, entities_key: str = "entities") -> JSON | bool:
        """Edit (key = "text"/"caption"/None for markup only) after the not-modified check."""
        if p.get_str("inline_message_id"):
            with self.state.lock:
                self._record_edit(method, p, None, text, markup)
            return True
        plain, entities = (None, [])
        if key is not None:
            plain, entities = parse_text(text or "", p.get_str("parse_mode"),
                                         p.get_json(entities_key))
            limit = MAX_TEXT_LENGTH if key == "text" else MAX_CAPTION_LENGTH
            if key == "text" and not plain.strip():
                raise _bad_request("message text is empty")
            if len(plain) > limit:
                raise _bad_request("message is too long" if key == "text"
                                   else "message caption is too long")
        inline = markup if markup and "inline_keyboard" in markup else None
        with self.state.lock:
            chat, message = self._editable(p)
            if key == "text" and "text" not in message:
                raise _bad_request("there is no text in the message to edit")
            if key == "caption" and "text" in message:
                raise _bad_request("there is no caption in the message to edit")
            same_content = key is None or (message.get(key, "") == plain
                                           and message.get(entities_key, []) == entities)
            if same_content and message.get("reply_markup") == inline:
                raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            if key is not None:
                message[key] = plain
                message[entities_key] = entities
            if inline is None:
                message.pop("reply_markup", None)
            else:
                message["reply_markup"] = inline
            message["edit_date"] = int(time.time())
            self._record_edit(method, p, chat.id, text, markup)
            return copy.deepcopy(message)

    def edit_message_text(self, p: _Params) -> JSON | bool:
        return self._apply_edit("editMessageText", p, "text", p.get_str("text"), self._markup(p))

    def edit_message_caption(self, p: _Params) -> JSON | bool:
        return self._apply_edit("editMessageCaption", p, "caption", p.get_str("caption"),
                                self._markup(p), "caption_entities")

    def edit_message_reply_markup(self, p: _Params) -> JSON | bool:
        return self._apply_edit("editMessageReplyMarkup", p, None, None, self._markup(p))

    def delete_message(self, p: _Params) -> bool:
        chat = self.state.writable_chat(p.chat_ref())
        message_id = p.get_int("message_id") or 0
        with self.state.lock:
            if self.state.messages.pop((chat.id, message_id), None) is None:
                raise _bad_request("message to delete not found")
            self.state.deleted.append((chat.id, message_id, time.monotonic()))
        self.state.notify()
        return True

    def answer_callback_query(self, p: _Params) -> bool:
        query_id = p.get_str("callback_query_id") or ""
        with self.state.lock:
            query = self.state.callback_queries.get(query_id)
            if query is None or query.answered:
                raise _bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
            query.answered = True
            answer = CallbackAnswer(
                query_id, p.get_str("text"), p.get_bool("show_alert"), p.get_str("url"),
                time.monotonic(), query.pressed_at, self.state.fetched_at.get(query.update_id))
            self.state.callback_answers.append(answer)
        self.state.notify()
        self.state.emit(answer)
        return True

    # -- files, chats, members

    def get_file(self, p: _Params) -> JSON:
        stored = self.state.files.get(p.get_str("file_id") or "")
        if stored is None:
            raise _bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": stored.size, "file_path": stored.file_path}

    def send_chat_action(self, p: _Params) -> bool:
        chat = self.state.writable_chat(p.chat_ref())
        action = p.get_str("action") or ""
        if action not in CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        with self.state.lock:
            self.state.chat_actions.append((chat.id, action, time.monotonic()))
        return True

    def get_chat(self, p: _Params) -> JSON:
        chat = self.state.resolve_chat(p.chat_ref())
        return {**chat.to_dict(), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False,
                                        "gifts_from_channels": False}}

    def get_chat_member(self, p: _Params) -> JSON:
        chat = self.state.resolve_chat(p.chat_ref())
        user_id = p.get_int("user_id")
        with self.state.lock:
            user = self.state.users.get(user_id or 0)
            status = self.state.member_status.get((chat.id, user_id or 0), "member")
        if user is None:
            raise _bad_request("PARTICIPANT_ID_INVALID")
        return member_dict(user, status)


def member_dict(user: FakeUser, status: str) -> JSON:
    """A ChatMember object of `status` (creator, administrator, member, left, kicked)."""
    data: JSON = {"status": status, "user": user.to_dict()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update({key: False for key in (
            "can_be_edited", "is_anonymous", "can_manage_video_chats", "can_restrict_members",
            "can_promote_members", "can_post_stories", "can_edit_stories", "can_delete_stories")})
        data.update(can_manage_chat=True, can_delete_messages=True, can_change_info=True,
                    can_invite_users=True)
    elif status == "kicked":
        data["until_date"] = 0
    elif status not in MEMBER_STATUSES:
        raise ValueError(f"unsupported member status {status!r}")
    return data


def _shallow(message: JSON) -> JSON:
    """A message as nested in another (reply_to_message / pinned): without its own reply."""
    nested = copy.deepcopy(message)
    nested.pop("reply_to_message", None)
    return nested


# --------------------------------------------------------------------------- HTTP server


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
        except BaseException as error:  # reported to start()
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
        except Exception:  # noqa: BLE001 - best effort, the loop is stopped regardless
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
        except asyncio.TimeoutError:
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
            except asyncio.TimeoutError:
                pass
            finally:
                self.pollers.discard(waiter)
                handler.wakeup = None


def _safe(getter: Callable[[], T]) -> T | None:
    try:
        return getter()
    except ApiError:
        return None


# --------------------------------------------------------------------------- public facade


def _chat_id(chat: FakeChat | FakeUser | SentMessage | int | str) -> int | str:
    if isinstance(chat, (FakeChat, FakeUser)):
        return chat.id
    if isinstance(chat, SentMessage):
        return chat.chat_id
    return chat


class _Injection:
    """Injecting what users do: each call queues update(s) for getUpdates (thread-safe)."""

    _state: _State

    @property
    def bot_user(self) -> FakeUser:
        return self._state.bot

    def user(self, user_id: int, first_name: str, language_code: str | None = "da",
             last_name: str | None = None, username: str | None = None) -> FakeUser:
        """Register a user (its private chat with the bot exists from now on)."""
        user = FakeUser(user_id, first_name, language_code, last_name, username)
        with self._state.lock:
            self._state.users[user.id] = user
            self._state.chats.setdefault(user.id, FakeChat.private(user))
        return user

    def private_chat(self, user: FakeUser) -> FakeChat:
        """The private chat between `user` and the bot."""
        with self._state.lock:
            self._state.users.setdefault(user.id, user)
            return self._state.chats.setdefault(user.id, FakeChat.private(user))

    def group(self, chat_id: int, title: str, type: str = "group",  # noqa: A002 - Bot API name
              username: str | None = None) -> FakeChat:
        """Register a group or supergroup (ids are negative; supergroups -100...)."""
        if type not in ("group", "supergroup"):
            raise ValueError("type must be 'group' or 'supergroup'")
        chat = FakeChat(chat_id, type, title=title, username=username)
        with self._state.lock:
            self._state.chats[chat_id] = chat
        return chat

    def channel(self, chat_id: int, title: str, username: str | None = None) -> FakeChat:
        """Register a channel (a possible `sender_chat`)."""
        chat = FakeChat(chat_id, "channel", title=title, username=username)
        with self._state.lock:
            self._state.chats[chat_id] = chat
        return chat

    def set_member_status(self, chat: FakeChat | int, user: FakeUser | int, status: str) -> None:
        """What getChatMember reports (default "member")."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {sorted(MEMBER_STATUSES)}")
        with self._state.lock:
            key = (int(_chat_id(chat)), int(_chat_id(user)))
            self._state.member_status[key] = status

    # -- messages

    def send_text(self, user: FakeUser, text: str, chat: FakeChat | None = None,
                  reply_to: SentMessage | Injected | JSON | int | None = None) -> Injected:
        """A text message from `user` (commands get a ``bot_command`` entity)."""
        content: JSON = {"text": text}
        entity = command_entity(text)
        if entity is not None:
            content["entities"] = [entity]
        return self._user_message(user, chat, reply_to, content)

    def send_document(self, user: FakeUser, file_name: str, content: bytes,
                      caption: str | None = None, chat: FakeChat | None = None,
                      reply_to: SentMessage | Injected | JSON | int | None = None,
                      mime_type: str | None = None) -> Injected:
        """A document from `user`; getFile and the download then serve `content`."""
        with self._state.lock:
            stored = self._state.store_file("document", content, file_name, mime_type)
        body: JSON = {"document": stored.to_api()}
        if caption is not None:
            body["caption"] = caption
        return self._user_message(user, chat, reply_to, body)

    def send_photo(self, user: FakeUser, content: bytes, caption: str | None = None,
                   chat: FakeChat | None = None,
                   reply_to: SentMessage | Injected | JSON | int | None = None,
                   width: int = 1280, height: int = 960) -> Injected:
        """A photo from `user` (one PhotoSize); getFile and the download serve `content`."""
        with self._state.lock:
            stored = self._state.store_file("photo", content, None, width=width, height=height)
        body: JSON = {"photo": stored.to_api()}
        if caption is not None:
            body["caption"] = caption
        return self._user_message(user, chat, reply_to, body)

    def send_as_channel(self, sender_chat: FakeChat, text: str, chat: FakeChat) -> Injected:
        """A message on behalf of a chat: anonymous admin (sender_chat = the group) or channel."""
        anonymous = sender_chat.id == chat.id
        sender = FakeUser(GROUP_ANONYMOUS_BOT_ID, "Group", None, username="GroupAnonymousBot",
                          is_bot=True) if anonymous else FakeUser(
            CHANNEL_BOT_ID, "Channel", None, username="Channel_Bot", is_bot=True)
        content: JSON = {"text": text, "sender_chat": sender_chat.to_dict()}
        entity = command_entity(text)
        if entity is not None:
            content["entities"] = [entity]
        return self._user_message(sender, chat, None, content)

    def edit_text(self, user: FakeUser, original_message_id: int | Injected, new_text: str,
                  chat: FakeChat | None = None) -> Injected:
        """The user edits their earlier text message: an ``edited_message`` update."""
        target = chat or self.private_chat(user)
        message_id = (original_message_id.message_id if isinstance(original_message_id, Injected)
                      else original_message_id)
        with self._state.lock:
            message = self._state.messages.get((target.id, message_id or 0))
            if message is None or message.get("from", {}).get("id") != user.id:
                raise ValueError(f"no message {message_id} from user {user.id} in {target.id}")
            message["text"] = new_text
            message.pop("entities", None)
            entity = command_entity(new_text)
            if entity is not None:
                message["entities"] = [entity]
            message["edit_date"] = int(time.time())
            update = {"edited_message": copy.deepcopy(message)}
        update_id = self._state.add_update(update)
        return Injected(update_id, update, target.id, message_id, chat=target,
                        update_ids=(update_id,))

    def press(self, user: FakeUser, message: SentMessage | JSON | int, data: str,
              chat: FakeChat | None = None, strict: bool = False) -> Injected:
        """The user presses an inline button with `data` on bot `message` (callback_query).

        With `strict`, `data` must be on the message's current keyboard."""
        if isinstance(message, SentMessage):
            key = (message.chat_id, message.message_id)
        elif isinstance(message, dict):
            key = (message["chat"]["id"], message["message_id"])
        else:
            key = ((chat or self.private_chat(user)).id, message)
        with self._state.lock:
            current = self._state.messages.get(key)
            if current is None:
                raise ValueError(f"no message {key[1]} in chat {key[0]} (deleted?)")
            keyboard = (current.get("reply_markup") or {}).get("inline_keyboard") or []
            if strict and data not in {b.get("callback_data") for r in keyboard for b in r}:
                raise ValueError(f"no button with callback_data {data!r} on message {key}")
            query_id = str(4_000_000_000_000_000 + next(self._state.callback_counter))
            update = {"callback_query": {
                "id": query_id, "from": user.to_dict(), "message": copy.deepcopy(current),
                "chat_instance": str(abs(key[0]) * 7 + 1_000_000_000), "data": data}}
            update_id = self._state.add_update(update)
            self._state.callback_queries[query_id] = _CallbackQuery(update_id, time.monotonic())
        return Injected(update_id, update, key[0], key[1], query_id,
                        self._state.chats.get(key[0]), (update_id,))

    def migrate_group(self, old_chat: FakeChat, new_chat_id: int,
                      by: FakeUser | None = None) -> Injected:
        """Upgrade a group to a supergroup: service messages in both; sends to the old id now
        fail with ChatMigrated. Returns the second update (``.chat`` = the new supergroup)."""
        sender = by or FakeUser(GROUP_ANONYMOUS_BOT_ID, "Group", None,
                                username="GroupAnonymousBot", is_bot=True)
        new_chat = self.group(new_chat_id, old_chat.title or "", "supergroup", old_chat.username)
        first = self._user_message(sender, old_chat, None, {"migrate_to_chat_id": new_chat_id})
        with self._state.lock:
            self._state.migrated[old_chat.id] = new_chat_id
        second = self._user_message(sender, new_chat, None, {"migrate_from_chat_id": old_chat.id})
        return Injected(second.update_id, second.update, new_chat_id, second.message_id,
                        chat=new_chat, update_ids=(first.update_id, second.update_id))

    def add_bot_to_group(self, user: FakeUser, group: FakeChat,
                         with_my_chat_member: bool = True) -> Injected:
        """`user` adds the bot: a ``my_chat_member`` update (optional), then the service message
        with ``new_chat_members``. Returns the message update."""
        bot = self._state.bot.to_dict()
        ids: list[int] = []
        if with_my_chat_member:
            ids.append(self._state.add_update({"my_chat_member": {
                "chat": group.to_dict(), "from": user.to_dict(), "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": bot},
                "new_chat_member": {"status": "member", "user": bot}}}))
        with self._state.lock:
            self._state.member_status[(group.id, self._state.bot.id)] = "member"
        injected = self._user_message(user, group, None, {
            "new_chat_members": [bot], "new_chat_member": bot, "new_chat_participant": bot})
        return Injected(injected.update_id, injected.update, group.id, injected.message_id,
                        chat=group, update_ids=(*ids, injected.update_id))

    def raw_update(self, update: JSON) -> Injected:
        """Queue an arbitrary update dict (``update_id`` is assigned)."""
        body = copy.deepcopy(update)
        body.pop("update_id", None)
        update_id = self._state.add_update(body)
        return Injected(update_id, body, update_ids=(update_id,))

    def redeliver(self, update_id: int | Injected) -> None:
        """Deliver an already-delivered update again, unchanged (duplicate delivery)."""
        self._state.redeliver(update_id.update_id if isinstance(update_id, Injected) else update_id)

    def _user_message(self, user: FakeUser, chat: FakeChat | None,
                      reply_to: SentMessage | Injected | JSON | int | None,
                      content: JSON) -> Injected:
        target = chat or self.private_chat(user)
        with self._state.lock:
            self._state.users.setdefault(user.id, user)
            self._state.chats.setdefault(target.id, target)
            message: JSON = {"message_id": self._state.next_message_id(target.id),
                             "from": user.to_dict(), "chat": target.to_dict(),
                             "date": int(time.time()), **content}
            if reply_to is not None:
                reply_id = (reply_to.message_id if isinstance(reply_to, (SentMessage, Injected))
                            else reply_to["message_id"] if isinstance(reply_to, dict) else reply_to)
                replied = self._state.messages.get((target.id, reply_id or 0))
                if replied is None:
                    raise ValueError(f"no message {reply_id} in chat {target.id} to reply to")
                message["reply_to_message"] = _shallow(replied)
            self._state.messages[(target.id, message["message_id"])] = message
            update = {"message": copy.deepcopy(message)}
            update_id = self._state.add_update(update)
        return Injected(update_id, update, target.id, message["message_id"], chat=target,
                        update_ids=(update_id,))


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


class _FaultControl:
    """Fault injection. Faulted requests are recorded in `attempts`, never in `sent`."""

    _state: _State

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, count: int = 1,
                  description: str | None = None,
                  chat: FakeChat | FakeUser | int | None = None) -> None:
        """Answer the next `count` calls of `method` ("*" = any) with an error: 429 carries
        ``retry_after``; 5xx surfaces in PTB as NetworkError; others with `description`."""
        self._add_fault(_Fault(method.lower(), count, None if chat is None else _chat_id(chat),
                               status, retry_after if status == 429 else None, description))

    def delay_next(self, method: str, seconds: float, count: int = 1,
                   chat: FakeChat | FakeUser | int | None = None) -> None:
        """Hold the next `count` calls of `method` for `seconds` before processing them normally
        (like Telegram, the call still takes effect even if the client timed out meanwhile)."""
        self._add_fault(_Fault(method.lower(), count, None if chat is None else _chat_id(chat),
                               delay=seconds))

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


class FakeTelegram(_Injection, _Observation, _FaultControl):
    """A fake Telegram Bot API server on 127.0.0.1 (see the module docstring).

    ``with FakeTelegram() as tg:`` or ``tg = FakeTelegram().start()`` ... ``tg.stop()``.
    """

    def __init__(self, token: str = "123456:TEST-token", bot_username: str = "spredning_test_bot",
                 bot_name: str = "Spredning Test", host: str = "127.0.0.1", port: int = 0,
                 record_get_updates: bool = False) -> None:
        bot_id = int(token.split(":", 1)[0])
        self._token = token
        self._state = _State(FakeUser(bot_id, bot_name, None, username=bot_username, is_bot=True))
        self._api = _BotApi(self._state, {
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False})
        self._server = _Server(self._state, self._api, token, host, port, record_get_updates)
        self._started = False

    # -- lifecycle

    def start(self) -> FakeTelegram:
        if not self._started:
            self._server.start()
            self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._server.stop()
            self._started = False

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses

    @property
    def token(self) -> str:
        return self._token

    @property
    def bot_id(self) -> int:
        return self._state.bot.id

    @property
    def bot_username(self) -> str:
        return self._state.bot.username or ""

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def api_base(self) -> str:
        """``http://127.0.0.1:PORT``: the server root (``spredning run --api-base``)."""
        if not self._started:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url``; PTB appends the token."""
        return f"{self.api_base}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url``; PTB appends the token."""
        return f"{self.api_base}/file/bot"


__all__ = [
    "ApiError", "Attempt", "CallbackAnswer", "EditRecord", "FakeChat", "FakeTelegram", "FakeUser",
    "Injected", "SentMessage", "StoredFile", "command_entity", "parse_html", "parse_text",
]
