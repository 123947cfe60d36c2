"""People talking to the engine directly (no transport): what they send, and what each chat was sent."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.console import parse_line, plain
from bot.engine.engine import Engine
from bot.engine.model import (
    GROUP,
    PRIVATE,
    Button,
    ButtonInput,
    Chat,
    Input,
    Message,
    Reply,
    Sender,
    SentTopic,
    TextInput,
)
from bot.shell import Shell, run_to_end
from devtools.people.buttons import (
    TYPED,
    Meaning,
    Press,
    answer_button,
    kind_of,
    means,
    skippable_question,
)

_keys = itertools.count(1)


class Clock:
    """A clock the test moves: `tick()` lets a minute pass, `advance(seconds)` any time."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def tick(self) -> None:
        self.advance(60)


@dataclass
class Inbox:
    """Every message each chat received, in order."""

    messages: dict[str, list[Message]] = field(default_factory=lambda: defaultdict(list))

    refs: dict[int, str] = field(default_factory=dict)  # id(message) -> its ref, as a transport numbers them
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add(self, reply: Reply) -> list[SentTopic]:
        """File the reply's messages; returns those that ask a question, as the transport reports them."""
        asked = []
        for message in reply.messages:
            self.messages[message.chat].append(message)
            ref = f"{message.chat}:{next(self._numbers)}"
            self.refs[id(message)] = ref
            if message.topic is not None:
                asked.append(SentTopic(message.chat, ref, message.topic))
        return asked

    def newest_question(self, chat_id: str) -> Message | None:
        return next((m for m in reversed(self.messages[chat_id]) if m.topic is not None), None)


@dataclass
class Person:
    world: World
    name: str
    language: str = "da"

    @property
    def chat_id(self) -> str:
        return f"test:{self.name}"

    def sender(self) -> Sender:
        return Sender(f"test:{self.name}", self.name.capitalize(), self.language)

    def send(self, event, chat: Chat | None = None, replied: bool = False, key: str | None = None,
             reply_to: Message | None = None) -> Reply:
        chat = chat or Chat(self.chat_id, PRIVATE)
        reply_to_ref = self.world.inbox.refs.get(id(reply_to)) if reply_to is not None else None
        inp = Input(self.sender(), chat, event, key or f"k{next(_keys)}",
                    replied_to_bot=replied or reply_to is not None, reply_to_ref=reply_to_ref)
        if self.world.tick is not None:
            self.world.tick()
        reply = run_to_end(self.world.shell.take(inp))
        if self.world.deliver_due:
            self.world.deliver_nudges(due_only=True)
        elif not self.world.hold_nudges:
            self.world.deliver_nudges()
        self.last_reply = reply
        return reply

    def says(self, text: str, in_group: str | None = None, reply_to: Message | None = None) -> str:
        """Send a line (a command or text) and return the plain text of the reply to this chat.

        In a group, text replies to `reply_to`, or else to the newest question asked there."""
        chat = Chat(f"group:{in_group}", GROUP, in_group) if in_group else None
        if chat is not None and reply_to is None:
            reply_to = self.world.inbox.newest_question(chat.id)
        reply = self.send(parse_line(text), chat, replied=in_group is not None, reply_to=reply_to)
        return self.text_of(reply, chat.id if chat else self.chat_id)

    def question_on_screen(self, in_group: str | None = None) -> Message:
        """The newest question message in this person's chat (or the group)."""
        message = self.world.inbox.newest_question(f"group:{in_group}" if in_group else self.chat_id)
        assert message is not None, "no question was asked here"
        return message

    def attaches(self, name: str, caption: str = "") -> str:
        from bot.engine.model import Attachment

        reply = self.send(TextInput(caption, (Attachment("document", f"file-{name}", name, 10),)))
        return self.text_of(reply, self.chat_id)

    def presses(self, what: Press, in_group: str | None = None) -> str:
        """Press the newest button in this person's chat (or the group) whose label contains `what`, or
        that carries the intent `what` names."""
        chat_id = f"group:{in_group}" if in_group else self.chat_id
        button = self.button(what, chat_id)
        chat = Chat(chat_id, GROUP if in_group else PRIVATE)
        reply = self.send(ButtonInput(button.data), chat)
        return self.text_of(reply, chat_id)

    def presses_label_exactly(self, label: str) -> str:
        """Press the newest button labelled exactly `label` (e.g. a "4" on a scale)."""
        for message in reversed(self.world.inbox.messages[self.chat_id]):
            for row in message.buttons:
                for button in row:
                    if button.label == label:
                        return self.text_of(self.send(ButtonInput(button.data)), self.chat_id)
        raise AssertionError(f"{self.name} sees no button {label!r}")

    def presses_data(self, data: str) -> Reply:
        return self.send(ButtonInput(data))

    def button(self, what: Press, chat_id: str | None = None) -> Button:
        """The newest button with that label (any case) or that intent."""
        for message in reversed(self.world.inbox.messages[chat_id or self.chat_id]):
            for row in message.buttons:
                for button in row:
                    if isinstance(what, str) and what.casefold() in button.label.casefold():
                        return button
                    if not isinstance(what, str) and means(what, button.data):
                        return button
        raise AssertionError(f"{self.name} sees no button {what!r}; last: {self.last_text()!r}")

    def offers(self, what: Press) -> bool:
        """Whether the newest message in this person's chat has a button with that label or intent."""
        messages = self.world.inbox.messages[self.chat_id]
        return bool(messages) and any(
            what.casefold() in b.label.casefold() if isinstance(what, str) else means(what, b.data)
            for row in messages[-1].buttons for b in row)

    def buttons(self) -> list[str]:
        messages = self.world.inbox.messages[self.chat_id]
        return [b.label for row in messages[-1].buttons for b in row] if messages else []

    def last_text(self, chat_id: str | None = None) -> str:
        messages = self.world.inbox.messages[chat_id or self.chat_id]
        return plain(messages[-1].text) if messages else ""

    def received(self) -> str:
        """All text this person's private chat has received so far."""
        return "\n".join(plain(m.text) for m in self.world.inbox.messages[self.chat_id])

    def text_of(self, reply: Reply, chat_id: str) -> str:
        return "\n".join(plain(m.text) for m in reply.messages if m.chat == chat_id)

    def answer_all_once(self, text: str = "Svar") -> str:
        """Answer the question just asked (choices: the first option)."""
        last = self.world.inbox.messages[self.chat_id][-1]
        chosen = answer_button(b.data for row in last.buttons for b in row)
        if chosen is not None:
            return self.text_of(self.send(ButtonInput(chosen)), self.chat_id)
        return self.says_typed(text)

    def says_typed(self, text: str) -> str:
        """Answer the question on screen with `text`; an amount or date question that refuses it (and
        asks again) is then given a valid value."""
        asked = self.world.inbox.newest_question(self.chat_id)
        reply = self.says(text)
        key = asked.topic.question_key if asked is not None and asked.topic is not None else None
        kind = kind_of(self.world.engine.guide, key)
        again = any(m.topic is not None and m.topic.question_key == key for m in self.last_reply.messages)
        if kind in TYPED and again:
            reply = self.says(TYPED[kind])
        return reply

    def answer_all(self, text: str = "Svar", limit: int = 200, prefer: Meaning | None = None) -> str:
        """Answer every question of the current phase with `text` (choices: the option `prefer` names
        where there is one, else the first)."""
        out = ""
        for _ in range(limit):
            last = self.world.inbox.messages[self.chat_id][-1]
            data = [b.data for row in last.buttons for b in row]
            preferred = next((d for d in data if means(prefer, d)), None) if prefer is not None else None
            chosen = preferred or answer_button(data)
            if chosen is not None:
                out = self.text_of(self.send(ButtonInput(chosen)), self.chat_id)
            elif skippable_question(data) is not None:
                out = self.says_typed(text)
            else:
                return out
        raise AssertionError("too many questions")


@dataclass
class World:
    engine: Engine
    inbox: Inbox = field(default_factory=Inbox)
    hold_nudges: bool = False  # True: nudges wait in the outbox until `deliver_nudges()`
    deliver_due: bool = False  # True: after each input, send only the nudges that are due (by the clock)
    tick: Callable[[], None] | None = None  # called before each input (e.g. to let time pass)
    mail_apart: bool = False  # True: mails stay in the outbox for a mail worker (`bot.mail.worker`)

    def __post_init__(self) -> None:
        self.shell = Shell(self.engine, self.show)  # as every adapter: handle, show, remember, deliver

    async def show(self, messages: tuple[Message, ...]) -> list[SentTopic]:
        return self.inbox.add(Reply(messages=messages))

    def deliver_nudges(self, due_only: bool = False) -> list[Message]:
        """Send what is in the outbox (everything, or only what is due now), as a worker would."""
        until = None if due_only else self.engine.outbox.clock() + dt.timedelta(days=365)
        return run_to_end(self.shell.deliver(until, False if self.mail_apart else None))

    def person(self, name: str, language: str = "da") -> Person:
        return Person(self, name, language)


def invite_token(text: str, kind: int = 0) -> str:
    """The token of the `kind`-th invite link (0: partner, 1: team) in a message."""
    tokens = re.findall(r"/join ([A-Za-z0-9_-]+)", text)
    return tokens[kind]
