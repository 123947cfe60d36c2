"""The Bot API methods (except getUpdates): dispatch table, webhook, commands, chats, files."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from .api_messages import _MessageMethods
from .params import _Params
from .protocol import (
    CHAT_ACTIONS,
    JSON,
    MAX_DOWNLOAD_BYTES,
    MEMBER_STATUSES,
    QUERY_INVALID,
    _bad_request,
)
from .records import CallbackAnswer, FakeUser
from .state import _State


class _BotApi(_MessageMethods):
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

    # -- callbacks, files, chats, members

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
