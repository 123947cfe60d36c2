"""What an input means: every event a transport delivers becomes one intent, here and nowhere else.

A button's data decodes to the intent it was made for (an old or forged one to `Unreadable`); a
command, typed text and an edited message become `Command`, `Typed` and `EditedMessage`. An input
that already is an intent (the web page builds one per form) is taken as it is.
"""

from __future__ import annotations

import unicodedata

from bot.engine import callbacks as cb
from bot.engine.intents import Command, EditedMessage, Intent, Typed, Unreadable
from bot.engine.model import ButtonInput, CommandInput, EditedInput, Event, TextInput


def intent_of(event: Event | Intent) -> Intent:
    """The intent of a person's event (chat events – a group moved, someone left – are not a person's)."""
    if isinstance(event, Intent):
        return event
    if isinstance(event, ButtonInput):
        return cb.decode(event.data) or Unreadable(event.data)
    if isinstance(event, CommandInput):
        return Command(event.name.lower(), event.args.strip())
    if isinstance(event, TextInput):
        return Typed(cleaned(event.text), event.attachments)
    if isinstance(event, EditedInput):
        return EditedMessage(cleaned(event.text))
    raise TypeError(f"not a person's event: {event!r}")


def invisible(char: str) -> bool:
    """Whitespace, or a character that shows nothing (zero-width spaces and joiners, marks of direction)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def cleaned(text: str) -> str:
    """Typed text without control characters (line breaks and tabs stay) and without the invisible
    characters around it: a line of zero-width spaces is empty."""
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    start, end = 0, len(kept)
    while start < end and invisible(kept[start]):
        start += 1
    while end > start and invisible(kept[end - 1]):
        end -= 1
    return kept[start:end]


def says_something(text: str) -> bool:
    """Whether the text has a letter, a digit or a symbol (an emoji): punctuation alone says nothing."""
    return any(unicodedata.category(c)[0] in "LNS" for c in text)


def telegram_length(text: str) -> int:
    """The length Telegram counts against its 4,096 limit: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2
