"""Button data: an intent, short and checked, always within Telegram's 64-byte limit.

Format: ``verb`` or ``verb:project:arg…``, the verb naming the intent type (`intents.BUTTONS`) and
the arguments its fields after `project_id`, in order. Questions are referred to by a 6-character
digest of their key, so data stays short whatever the ids are. Anything that does not parse is
`None`: the engine answers it as an old or forged button.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from bot.engine import intents
from bot.engine.intents import Intent
from bot.engine.model import Button

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_\-]{0,40}$")
_BY_VERB: dict[str, type[Intent]] = {kind.verb: kind for kind in intents.BUTTONS}


def question_ref(key: str) -> str:
    """A short, stable reference to a question key."""
    return hashlib.sha1(key.encode()).hexdigest()[:6]


def _arguments(kind: type[Intent]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind)
                 if f.name != "project_id" and f.metadata.get("button", True))


def _in_project(kind: type[Intent]) -> bool:
    return any(f.name == "project_id" for f in dataclasses.fields(kind))


_ARGUMENTS = {kind: _arguments(kind) for kind in intents.BUTTONS}
_WITH_PROJECT = {kind: _in_project(kind) for kind in intents.BUTTONS}


def encode(intent: Intent) -> str:
    """The button data of `intent` (a `ValueError` if it is no button or too long)."""
    kind = type(intent)
    if kind not in _ARGUMENTS:
        raise ValueError(f"not a button: {intent!r}")
    args = [getattr(intent, name) for name in _ARGUMENTS[kind]]
    while args and args[-1] is None:
        args.pop()
    project_id = getattr(intent, "project_id", None)
    head = [str(project_id)] if project_id is not None else ([""] if args else [])
    data = ":".join([kind.verb, *head, *("" if a is None else str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data too long: {data!r}")
    return data


def button(label: str, intent: Intent) -> Button:
    """A button that means `intent`."""
    return Button(label, encode(intent))


def decode(data: str) -> Intent | None:
    """The intent a button carries; None for anything malformed (or a project button without its project)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    kind = _BY_VERB.get(parts[0])
    if kind is None or not all(_PART.match(p) for p in parts[1:]):
        return None
    project_id: int | None = None
    if len(parts) > 1 and parts[1]:
        if not parts[1].isdigit() or len(parts[1]) > 18:
            return None
        project_id = int(parts[1])
    names = _ARGUMENTS[kind]
    values = dict(zip(names, parts[2:], strict=False))
    if _WITH_PROJECT[kind]:
        if project_id is None and issubclass(kind, intents.InProject):
            return None
        values["project_id"] = project_id  # type: ignore[assignment]
    return kind(**values)  # type: ignore[arg-type]
