"""Telegram `Update` -> engine `Input`. Nothing here knows the guide or the conversation."""

from __future__ import annotations

from telegram import Chat as TgChat
from telegram import Message as TgMessage
from telegram import Update
from telegram.constants import ChatType

from bot.engine.model import (
    GROUP,
    PRIVATE,
    Attachment,
    ButtonInput,
    Chat,
    ChatMovedInput,
    CommandInput,
    EditedInput,
    Event,
    Input,
    LeftGroupInput,
    Sender,
    TextInput,
)


def external_id(telegram_id: int) -> str:
    """Our id for a Telegram user or chat (64-bit ids kept exactly)."""
    return f"tg:{telegram_id}"


def telegram_id(external: str) -> int:
    return int(external.split(":", 1)[1])


def to_chat(message_chat: TgChat) -> Chat:
    kind = PRIVATE if message_chat.type == ChatType.PRIVATE else GROUP
    return Chat(external_id(message_chat.id), kind, message_chat.title)


def to_sender(message: TgMessage | None, update: Update) -> Sender | None:
    """The person behind an update; anonymous admins and channels (sender_chat) speak as a chat."""
    if message is not None and message.sender_chat is not None:
        chat = message.sender_chat
        return Sender(f"tgchat:{chat.id}", chat.title or "?", None)
    user = update.effective_user
    if user is None:
        return None
    return Sender(external_id(user.id), user.full_name or user.username or str(user.id), user.language_code)


def attachments_of(message: TgMessage) -> tuple[Attachment, ...]:
    if message.document is not None:
        doc = message.document
        return (Attachment("document", doc.file_id, doc.file_name, doc.file_size),)
    if message.photo:
        photo = message.photo[-1]
        return (Attachment("photo", photo.file_id, None, photo.file_size),)
    return ()


def command_of(message: TgMessage, bot_username: str | None) -> CommandInput | None:
    """A leading bot command (``/start@OurBot payload``); commands for other bots are None."""
    text = message.text or ""
    entities = message.entities or ()
    if not entities or entities[0].type != "bot_command" or entities[0].offset != 0:
        return None
    command = text[1 : entities[0].length]
    name, _, target = command.partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return CommandInput(name.lower(), text[entities[0].length :].strip())


def to_input(update: Update, bot_id: int, bot_username: str | None) -> Input | None:
    """Map an update to the engine's input, or None for updates the engine has no use for."""
    key = str(update.update_id)
    if update.callback_query is not None:
        query = update.callback_query
        sender = to_sender(None, update)
        if sender is None or query.message is None:
            return None
        return Input(sender, to_chat(query.message.chat), ButtonInput(query.data or ""), key)
    edited = update.edited_message
    if edited is not None:
        sender = to_sender(edited, update)
        if sender is None or edited.text is None:
            return None
        ref = f"{edited.chat.id}:{edited.message_id}"
        return Input(sender, to_chat(edited.chat), EditedInput(edited.text), key, message_ref=ref)
    message = update.message
    if message is None:
        return None
    if message.left_chat_member is not None:
        left = message.left_chat_member
        member = Sender(external_id(left.id), left.full_name, left.language_code)
        return Input(member, to_chat(message.chat), LeftGroupInput(member, left.id == bot_id), key)
    if message.migrate_to_chat_id is not None:
        moved = ChatMovedInput(external_id(message.migrate_to_chat_id))
        return Input(Sender("tg:0", "Telegram"), to_chat(message.chat), moved, key)
    sender = to_sender(message, update)
    if sender is None:
        return None
    event: Event
    if (command := command_of(message, bot_username)) is not None:
        event = command
    elif message.text is not None or message.document is not None or message.photo:
        event = TextInput(message.text or message.caption or "", attachments_of(message))
    else:
        return None
    replied_to = message.reply_to_message
    replied = replied_to is not None and replied_to.from_user is not None and replied_to.from_user.id == bot_id
    ref = f"{message.chat.id}:{message.message_id}"
    reply_to_ref = f"{message.chat.id}:{replied_to.message_id}" if replied and replied_to is not None else None
    return Input(sender, to_chat(message.chat), event, key, replied_to_bot=replied, message_ref=ref,
                 reply_to_ref=reply_to_ref)
