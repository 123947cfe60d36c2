"""The message half of the Bot API methods: sending, editing and deleting messages."""

from __future__ import annotations

import copy
import time
from typing import Any

from .params import _Params, _Upload
from .protocol import (
    JSON,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_INLINE_BUTTONS,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    _bad_request,
)
from .records import EditRecord, FakeChat, FakeUser, SentMessage, StoredFile, _shallow
from .state import _State
from .text import parse_text


class _MessageMethods:
    """sendMessage, sendDocument/sendPhoto and the edit/delete methods of `_BotApi`."""

    state: _State

    @property
    def bot(self) -> FakeUser:
        return self.state.bot

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
                                 markup, reply_to["message_id"] if reply_to else None, time.monotonic(),
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
                                 parse_mode, markup, reply_to["message_id"] if reply_to else None,
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
            if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:  # Telegram's limit
                raise _bad_request("reply markup is too long")
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
        plain: str | None = None
        entities: list[Any] = []
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
