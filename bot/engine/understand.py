"""What an input means: every event a transport delivers becomes one intent, here and nowhere else.

A button's data decodes to the intent it was made for (an old or forged one to `Unreadable`); a
command, typed text and an edited message become `Command`, `Typed` and `EditedMessage`. An input
that already is an intent (the web page builds one per form) is taken as it is.
"""

from __future__ import annotations

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
        return Typed(event.text, event.attachments)
    if isinstance(event, EditedInput):
        return EditedMessage(event.text)
    raise TypeError(f"not a person's event: {event!r}")
