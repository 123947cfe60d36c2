"""`spredning console`: the engine in a terminal, one line at a time, playing several people.

Each line is what the current speaker types. ``/as NAME`` switches to (or creates) a simulated
person; ``/as NAME nb`` also sets their Telegram-style language. ``/in GROUP`` speaks in a group
chat of that name, ``/in private`` back in the private chat. Buttons are shown numbered and
chosen by their number or label. Works the same interactively and with piped standard input.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.engine.engine import Engine
from bot.engine.model import (
    GROUP,
    PRIVATE,
    Button,
    ButtonInput,
    Chat,
    CommandInput,
    Input,
    Message,
    Sender,
    SentTopic,
    TextInput,
)
from bot.shell import Shell, run_to_end

_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)[^>]*>")


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


def parse_line(line: str) -> TextInput | CommandInput:
    if line.startswith("/") and len(line) > 1 and not line.startswith("//"):
        name, _, args = line[1:].partition(" ")
        return CommandInput(name.split("@")[0], args.strip())
    return TextInput(line)


@dataclass
class ConsoleSession:
    """Who is speaking where, and the buttons each chat was last shown."""

    engine: Engine
    out: TextIO = sys.stdout
    speaker: str = "anna"
    language: dict[str, str] = field(default_factory=dict)
    chat_name: str | None = None
    buttons: dict[str, list[Button]] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)  # chat -> the ref of the newest question asked there
    sent: int = 0  # messages shown, numbered as a transport numbers what it sends

    def __post_init__(self) -> None:
        self.shell = Shell(self.engine, self.show_all)

    def chat(self) -> Chat:
        if self.chat_name:
            return Chat(f"console-group:{self.chat_name}", GROUP, self.chat_name)
        return Chat(f"console:{self.speaker}", PRIVATE)

    def sender(self) -> Sender:
        return Sender(f"console:{self.speaker}", self.speaker.capitalize(), self.language.get(self.speaker, "da"))

    def feed(self, line: str) -> None:
        line = line.rstrip("\n")
        if not line.strip():
            return
        if line.startswith("/as "):
            parts = line.split()
            self.speaker = parts[1].lower() if len(parts) > 1 else self.speaker
            if len(parts) > 2:
                self.language[self.speaker] = parts[2]
            self.chat_name = None
            self.print(f"--- {self.speaker} ---")
            return
        if line.startswith("/in "):
            target = line[4:].strip()
            self.chat_name = None if target in ("", "private") else target
            self.print(f"--- {self.speaker} @ {self.chat_name or 'private'} ---")
            return
        self.print(f"{self.speaker}> {line}")
        chat = self.chat()
        button = self.find_button(chat.id, line.strip())
        event = ButtonInput(button.data) if button else parse_line(line.strip())
        # In a group, typed text replies to the newest question asked there, as people do in Telegram.
        replied = self.questions.get(chat.id) if chat.kind == GROUP and isinstance(event, TextInput) else None
        reply = run_to_end(self.shell.handle(Input(self.sender(), chat, event, replied_to_bot=chat.kind == GROUP,
                                                    reply_to_ref=replied)))
        if reply.notice:
            self.print(f"  ({plain(reply.notice)})")
        run_to_end(self.shell.show(reply))
        run_to_end(self.shell.deliver(self.engine.outbox.clock() + dt.timedelta(days=1)))  # nudges at once

    async def show_all(self, messages: tuple[Message, ...]) -> list[SentTopic]:
        """The console's screen: print each message; those that ask a question, as the shell needs them."""
        asked = []
        for message in messages:
            ref = self.show(message)
            if message.topic is not None:
                asked.append(SentTopic(message.chat, ref, message.topic))
        return asked

    def find_button(self, chat_id: str, typed: str) -> Button | None:
        shown = self.buttons.get(chat_id, [])
        if typed.isdigit() and 1 <= int(typed) <= len(shown):
            return shown[int(typed) - 1]
        return next((b for b in shown if b.label.casefold() == typed.casefold()), None)

    def show(self, message: Message) -> str:
        """Print a message; returns the ref it is known by (a reply to a question answers it)."""
        self.sent += 1
        ref = f"{message.chat}:{self.sent}"
        if message.topic is not None:
            self.questions[message.chat] = ref
        own = message.chat == self.chat().id
        header = "" if own else f"[→ {message.chat.split(':', 1)[-1]}] "
        self.print(header + plain(message.text).replace("\n", "\n  "))
        for attachment in message.attachments:
            self.print(f"  📎 {attachment.name or attachment.file_id}")
        for document in message.documents:
            folder = Path(os.environ.get("SPREDNING_DATA_DIR") or "data") / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / document.filename).write_bytes(document.data)
            self.print(f"  📄 {folder / document.filename} ({len(document.data)} bytes)")
        flat = [b for row in message.buttons for b in row if not b.url]
        for link in (b for row in message.buttons for b in row if b.url):
            self.print(f"  🔗 {link.label}: {link.url}")
        if flat:
            self.buttons[message.chat] = flat
            self.print("  " + "  ".join(f"[{i}] {b.label}" for i, b in enumerate(flat, 1)))
        self.print("")
        return ref

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def lines(stream: TextIO, prompt: bool) -> Iterator[str]:
    while True:
        if prompt:
            print("> ", end="", flush=True)
        line = stream.readline()
        if not line:
            return
        yield line


def run_console(engine: Engine, stream: TextIO = sys.stdin, out: TextIO = sys.stdout, speaker: str = "anna") -> None:
    session = ConsoleSession(engine, out, speaker)
    interactive = stream.isatty()
    if interactive:
        session.print("spredning console – /as NAME switches person, /in GROUP speaks in a group, Ctrl-D quits.")
    for line in lines(stream, interactive):
        session.feed(line)
