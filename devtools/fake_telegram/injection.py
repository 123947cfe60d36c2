"""The facade part that injects what users do, as updates queued for getUpdates."""

from __future__ import annotations

import copy
import time

from .protocol import CHANNEL_BOT_ID, GROUP_ANONYMOUS_BOT_ID, JSON, MEMBER_STATUSES
from .records import FakeChat, FakeUser, Injected, SentMessage, _CallbackQuery, _chat_id, _shallow
from .state import _State
from .text import command_entity


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

    def group(self, chat_id: int, title: str, type: str = "group",  # the Bot API's name
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

    def upload(self, file_name: str, content: bytes) -> str:
        """A document stored as if a user had sent it earlier; its file_id."""
        with self._state.lock:
            return self._state.store_file("document", content, file_name, None).file_id

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
