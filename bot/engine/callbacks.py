"""Button data: short, structured, checked, always within Telegram's 64-byte limit.

Format: ``verb`` or ``verb:project:arg…``. Questions are referred to by a 6-character digest of
their key, so data stays short whatever the ids are. Anything that does not parse is `None`:
the engine answers it as an old or forged button.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_\-]{0,40}$")

# Verbs (one or two letters).
NEW_PROJECT = "n"
JOIN_HELP = "j"
CHOOSE_SIDE = "cs"
SKIP_ORGANISATION = "so"
ANSWER = "a"
SKIP = "k"
BACK = "b"
PAUSE = "p"
CONTINUE = "c"
THEIRS = "t"
MINE = "m"
COMPARE = "v"
EDIT = "e"
ADD = "d"
SIGNOFF = "g"
SWITCH = "sw"
LANGUAGE = "l"
MUTE = "mu"
REISSUE = "ri"
SKIP_FOLLOW_UP = "sf"
SUMMARY = "s"
NO_REMINDERS = "nr"
REMINDER_DAYS = "rd"
FORGET = "fg"
DELETE_PROJECT = "dp"
DRAFT = "df"
LATER_CHOICE = "lt"
TO_SIGNOFF = "ts"
NOTIFY_WHERE = "nw"
PROJECTS = "pj"
TEAM = "tm"
REMOVE_MEMBER = "rm"
WEB = "wb"

VERBS = {
    NEW_PROJECT, JOIN_HELP, CHOOSE_SIDE, SKIP_ORGANISATION, ANSWER, SKIP, BACK, PAUSE, CONTINUE,
    THEIRS, MINE, COMPARE, EDIT, ADD, SIGNOFF, SWITCH, LANGUAGE, MUTE, REISSUE, SKIP_FOLLOW_UP,
    SUMMARY, NO_REMINDERS, REMINDER_DAYS, FORGET, DELETE_PROJECT, DRAFT, LATER_CHOICE, TO_SIGNOFF, NOTIFY_WHERE,
    PROJECTS, TEAM, REMOVE_MEMBER, WEB,
}


def question_ref(key: str) -> str:
    """A short, stable reference to a question key."""
    return hashlib.sha1(key.encode()).hexdigest()[:6]


@dataclass(frozen=True)
class Data:
    verb: str
    project_id: int | None
    args: tuple[str, ...]

    def arg(self, index: int) -> str | None:
        return self.args[index] if index < len(self.args) else None


def encode(verb: str, project_id: int | None = None, *args: str) -> str:
    parts = [verb] + ([str(project_id)] if project_id is not None else ([""] if args else [])) + list(args)
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data too long: {data!r}")
    return data


def decode(data: str) -> Data | None:
    """Parse button data; None for anything malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    verb = parts[0]
    if verb not in VERBS or not all(_PART.match(p) for p in parts[1:]):
        return None
    project_id: int | None = None
    if len(parts) > 1 and parts[1]:
        if not parts[1].isdigit() or len(parts[1]) > 18:
            return None
        project_id = int(parts[1])
    return Data(verb, project_id, tuple(parts[2:]))
