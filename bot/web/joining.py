"""Joining by an invite link on the web alone: a person without Telegram picks a name and joins a side."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import (
    WEB,
    ButtonInput,
    Chat,
    CommandInput,
    Event,
    Input,
    Sender,
    TextInput,
)
from bot.engine.ports import UnitOfWork
from bot.engine.render.text import esc, side_display
from bot.i18n import Translator
from bot.shell import Shell

TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_NAME, MAX_ORGANISATION = 128, 200
# Refused invites per client: the same numbers as in Telegram (5 an hour, `features.projects`), counted
# per client address, as a visitor is nobody until they have joined.
JOIN_FAILURES, JOIN_WINDOW = 5, 3600.0


@dataclass(frozen=True)
class Invitation:
    """What a valid invite offers: a project, a side, and whether the side still needs its organisation."""

    token: str
    project_id: int
    project: str  # HTML, escaped
    side: str  # HTML
    needs_organisation: bool


def invitation(uow: UnitOfWork, t: Translator, token: str, now: dt.datetime) -> Invitation | None:
    """The invite behind `token` if it works now (known, not revoked, not expired, its project there)."""
    if not TOKEN.match(token):
        return None
    invite = uow.invites.get(token)
    project = uow.projects.get(invite.project_id) if invite is not None else None
    if invite is None or project is None or invite.revoked_at is not None or invite.expires_at <= now:
        return None
    side = next((s for s in uow.projects.sides(project.id) if s.role == invite.role), None)
    if side is None:
        return None
    return Invitation(token, project.id, esc(project.name), side_display(t, side),
                      invite.kind == "partner" and not side.organisation)


def clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def join_steps(invite: Invitation, organisation: str) -> list[Event]:
    """/join with the code, as in a chat; then the organisation (or skipping it) when the side has none."""
    steps: list[Event] = [CommandInput("join", invite.token)]
    if invite.needs_organisation:
        steps.append(TextInput(organisation) if organisation
                     else ButtonInput(cb.encode(intents.SkipOrganisation(invite.project_id))))
    return steps


async def join(shell: Shell, invite: Invitation, external_id: str, name: str, language: str | None,
         organisation: str, nonce: str) -> None:
    """Hand the steps to the engine as the new person (keyed by the form's nonce: a form sent twice joins once).
    The person is made by the engine on first contact, with no private chat: nothing is ever sent to them."""
    sender = Sender(external_id, name, language)
    chat = Chat(f"web:join:{external_id.removeprefix('web:')}", WEB)
    for number, event in enumerate(join_steps(invite, organisation)):
        await shell.take(Input(sender, chat, event, key=f"webjoin:{nonce}:{number}"))
