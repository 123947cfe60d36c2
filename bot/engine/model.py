"""Inputs the engine takes and outputs it returns: plain data, no transport."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.engine.intents import Intent

PRIVATE = "private"
GROUP = "group"
WEB = "web"  # the web page: acts like a private chat, but is nobody's chat to send messages to


@dataclass(frozen=True)
class Sender:
    """Who sent an input: a stable external id (``"tg:42"``), a display name and a language."""

    external_id: str
    name: str
    language_code: str | None = None


@dataclass(frozen=True)
class Chat:
    """Where an input came from: ``kind`` is PRIVATE or GROUP."""

    id: str
    kind: str = PRIVATE
    title: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file a person sent (kept by the transport; we store its reference)."""

    kind: str  # "document" | "photo"
    file_id: str
    name: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class TextInput:
    text: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class CommandInput:
    name: str
    args: str = ""


@dataclass(frozen=True)
class ButtonInput:
    data: str


@dataclass(frozen=True)
class EditedInput:
    """A person edited a message they sent earlier (``Input.message_ref`` names it)."""

    text: str


@dataclass(frozen=True)
class ChatMovedInput:
    """A group chat got a new id (Telegram: a group became a supergroup)."""

    new_chat_id: str


@dataclass(frozen=True)
class LeftGroupInput:
    """Someone left (or was removed from) a group chat; `is_bot` when it was the bot itself."""

    member: Sender
    is_bot: bool = False


Event = TextInput | CommandInput | ButtonInput | EditedInput | ChatMovedInput | LeftGroupInput


@dataclass(frozen=True)
class Input:
    """One thing a person did; ``key`` makes processing idempotent (e.g. Telegram's update_id)."""

    sender: Sender
    chat: Chat
    event: Event | Intent  # what the transport delivered, or an intent it built (the web page's forms)
    key: str | None = None
    replied_to_bot: bool = False
    message_ref: str | None = None  # the transport's id of the message, to follow later edits
    reply_to_ref: str | None = None  # the transport's id of the bot's message this one replies to


MAIL_CHAT = "mail:"  # the "chat" of a person's mails: "mail:<person id>" (sent by `bot.mail`, never Telegram)
MAIL_CONFIRMATION = "mail_confirm"  # the outbox kind of a confirmation mail (to an address not confirmed yet)


@dataclass(frozen=True)
class Button:
    """A button: pressing it sends `data`; with a `url` it opens that page instead (`web_app`: inside
    Telegram, as a Mini App, where the transport can)."""

    label: str
    data: str
    url: str | None = None
    web_app: bool = False

    def kept(self) -> list[Any]:
        return [self.label, self.data] + ([self.url, self.web_app] if self.url else [])


@dataclass(frozen=True)
class Document:
    """A file the bot made (an export), sent with a message."""

    filename: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class Topic:
    """The question a message asks: a reply to that message answers it."""

    project_id: int
    question_key: str
    answer_id: int | None = None  # the question's answer revision when it was shown (None: unanswered)


@dataclass(frozen=True)
class SentTopic:
    """A sent message that asks a question, as the transport identifies it."""

    chat: str
    message_ref: str
    topic: Topic


@dataclass(frozen=True)
class Message:
    """A message for one chat. ``text`` is Telegram-style HTML; user text in it is escaped."""

    chat: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    force_reply: bool = False
    attachments: tuple[Attachment, ...] = ()
    notification: bool = False  # caused by someone else's action (a nudge)
    documents: tuple[Document, ...] = ()
    topic: Topic | None = None  # the question this message asks, if any


@dataclass(frozen=True)
class Reply:
    """Everything an input produced: messages (to the sender's chat and others) and a short notice
    for a button press (shown as a toast)."""

    messages: tuple[Message, ...] = ()
    notice: str | None = None
    duplicate: bool = False
    unreachable: tuple[str, ...] = field(default=())
    outbox_due: bool = False  # nudges were queued for now: the delivery worker should look at once

    def kept(self) -> dict[str, Any]:
        """The reply as JSON, kept with the input's key (made files are not kept: they are large)."""
        return {"notice": self.notice, "messages": [
            {"chat": m.chat, "text": m.text, "buttons": [[b.kept() for b in row] for row in m.buttons],
             "force_reply": m.force_reply, "notification": m.notification,
             "topic": [m.topic.project_id, m.topic.question_key, m.topic.answer_id] if m.topic else None,
             "attachments": [[a.kind, a.file_id, a.name, a.size] for a in m.attachments]}
            for m in self.messages]}

    @staticmethod
    def from_kept(kept: dict[str, Any]) -> Reply:
        """A kept reply, to send again for the same input delivered again."""
        return Reply(tuple(
            Message(m["chat"], m["text"], tuple(tuple(Button(*b) for b in row) for row in m["buttons"]),
                    m["force_reply"], tuple(Attachment(*a) for a in m["attachments"]), m["notification"],
                    topic=Topic(*m["topic"]) if m.get("topic") else None)
            for m in kept["messages"]), kept["notice"], duplicate=True)
