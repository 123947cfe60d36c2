"""Form posts -> intents: the web page acts as the same person would in a chat, one form one turn.

A form becomes one intent (an answer, a sign-off), handed to the engine as an `Input` from the
person's own sender, in their web "chat" (`Chat("web:<id>", WEB)`: private-like, but never a place
the engine sends to), keyed by the form's one-time nonce, so a form sent twice does its work once.
The engine decides everything: whether the question may be answered, what the value means, and
whom to nudge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.intents import Intent
from bot.engine.model import WEB, Attachment, Chat, Input, Sender
from bot.engine.records import PersonRecord
from bot.engine.turn import UPLOAD
from bot.guide.model import Guide
from bot.shell import Shell
from bot.web.access import Reader

NONCE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
SKIPS = {"later": intents.LATER, "not_relevant": intents.NOT_RELEVANT}
PRESSABLE = (intents.PickReading, intents.SetCurrency, intents.Undo)  # buttons the page offers as forms
VERDICTS = {"agree": intents.AGREE, "changes": intents.CHANGES}


class BadForm(ValueError):
    """A form the page never makes (a missing field, an unknown question or option)."""


@dataclass(frozen=True)
class Said:
    """What a kept reply said in the reader's web chat, and the buttons of it the page can press
    (which reading of an amount or a date was meant): (label, button data)."""

    texts: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The key of the input whose reply the page shows next (kept by the engine with its key)."""

    key: str
    ok: bool


def web_chat(person: PersonRecord) -> Chat:
    return Chat(f"web:{person.id}", WEB)


def question_ref(guide: Guide, ref: str) -> str:
    """The form's question reference, if it names a question of the guide."""
    if not any(cb.question_ref(question.key) == ref for question in guide.all_questions()):
        raise BadForm("unknown question")
    return ref


def answer_intent(guide: Guide, project_id: int, form: Mapping[str, str]) -> Intent:
    """An answer form as one intent: the engine decides whether and how it is an answer."""
    ref = question_ref(guide, form.get("q", ""))
    action = form.get("action", "save")
    if action in SKIPS:
        return intents.GiveAnswer(project_id, ref, skip=SKIPS[action])
    if action != "save":
        raise BadForm("unknown action")
    files = upload_attachment(form.get("file", ""))
    return intents.GiveAnswer(project_id, ref, text=form.get("text", ""), choice=form.get("choice") or None,
                              attachments=files)


def upload_attachment(kept: str) -> tuple[Attachment, ...]:
    """The file kept from the form (``"<id>:<size>:<name>"``), as the engine stores a file's reference."""
    upload_id, _, rest = kept.partition(":")
    size, _, name = rest.partition(":")
    if not upload_id.isdigit() or not size.isdigit():
        return ()
    return (Attachment("document", f"{UPLOAD}{upload_id}", name[:200] or None, int(size)),)


def signoff_intent(guide: Guide, project_id: int, form: Mapping[str, str]) -> Intent:
    """"We agree", or "we want changes" with its note."""
    phase = form.get("phase", "")
    if not guide.has_phase(phase):
        raise BadForm("unknown phase")
    verdict = VERDICTS.get(form.get("verdict", ""))
    note = form.get("note", "")
    if verdict is None or (verdict == intents.CHANGES and not note.strip()):
        raise BadForm("changes need a note")
    version = form.get("version") or None
    confirmed = intents.YES if form.get("confirmed") == intents.YES else None
    return intents.SignOff(project_id, phase, verdict, version, confirmed,
                           note if verdict == intents.CHANGES else None)


def pressable(data: str, project_id: int) -> intents.PickReading | intents.SetCurrency | intents.Undo | None:
    """The intent of a button the page may press for a reader of this project, else None."""
    intent = cb.decode(data)
    if isinstance(intent, PRESSABLE) and intent.project_id == project_id:
        return intent
    return None


def press_intent(guide: Guide, project_id: int, form: Mapping[str, str]) -> Intent:
    """A pressed button of the bot's reply (a reading, a currency), as the chat would have it."""
    intent = pressable(form.get("press", ""), project_id)
    if intent is None:
        raise BadForm("not a button of this page")
    if isinstance(intent, intents.PickReading | intents.Undo):
        question_ref(guide, intent.question or "")
    return intent


def email_intent(guide: Guide, project_id: int, form: Mapping[str, str]) -> Intent:
    """The page's mail form: an address given (confirmed by mail, as /email ADDRESS), or removed."""
    if form.get("action") == "remove":
        return intents.Command("email", "off")
    address = form.get("address", "").strip()
    if not address or len(address) > 254:
        raise BadForm("no address")
    return intents.Command("email", address)


async def perform(shell: Shell, reader: Reader, nonce: str, intent: Intent) -> Outcome:
    """Hand the form's intent to the engine: one turn, keyed by the form's nonce."""
    if not NONCE.match(nonce):
        raise BadForm("bad nonce")
    person = reader.person
    key = f"web:{nonce}"
    reply = await shell.take(Input(Sender(person.external_id, person.name, person.locale), web_chat(person), intent,
                                   key=key))
    return Outcome(key, ok=not reply.notice)


def said_in(kept: Mapping[str, object] | None, chat_id: str, project_id: int) -> Said:
    """The notice and the first message a kept reply said in this web chat (nothing of anyone
    else's), with that message's buttons the page can press."""
    if not kept:
        return Said()
    messages = kept.get("messages")
    first = next((m for m in messages if isinstance(m, dict) and m.get("chat") == chat_id), None) \
        if isinstance(messages, list) else None
    said = [str(first["text"])] if first else []
    notice = kept.get("notice")
    if said and isinstance(notice, str) and notice and not any(notice in s for s in said):
        said.insert(0, notice)
    rows = first.get("buttons") if first else None
    choices = tuple((str(button[0]), str(button[1])) for row in rows or () for button in row
                    if len(button) == 2 and pressable(str(button[1]), project_id))
    return Said(tuple(said), choices)
