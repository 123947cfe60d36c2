"""The vocabulary every simulated person shares, whatever the channel they talk to the bot through.

`devtools.people.engine.Person` is a `Participant[str]` (the engine answers at once);
`devtools.people.telegram.TgPerson` a `Participant[Awaitable[str]]` (the bot answers through the fake
Bot API, so each action is awaited). The web page has no chat: `devtools.people.web` answers and signs
off on the page.
"""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from devtools.people.buttons import Press

Said = TypeVar("Said", covariant=True)


@runtime_checkable
class Participant(Protocol[Said]):
    """Someone talking to the bot; each action gives what the bot said back, as plain text (`Said`:
    the text itself, or something to await for it)."""

    def says(self, text: str) -> Said:
        """Send a line: a command or text."""
        ...

    def presses(self, what: Press) -> Said:
        """Press the newest button with that label or that intent."""
        ...

    def answer_all(self, text: str = "Svar") -> Said:
        """Answer every question asked until the bot stops asking: choices with their first option,
        typed questions with `text` (amounts and dates with a valid value)."""
        ...

    def offers(self, what: Press) -> bool:
        """Whether the newest message has a button with that label or intent."""
        ...

    def buttons(self) -> list[str]:
        """The labels of the buttons of the newest message."""
        ...

    def received(self) -> str:
        """All text this person's chat has received so far."""
        ...
