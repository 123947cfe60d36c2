"""Form posts -> engine inputs: the web page acts exactly as the same person typing in a chat.

Each step is an `Input` from the person's own sender, in their web "chat" (`Chat("web:<id>", WEB)`:
private-like, but never a place the engine sends to), keyed by the form's one-time nonce and the
step's number, so a form sent twice does its work once. The engine decides everything: whether the
question may be answered, what the value means, and whom to nudge."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.engine import callbacks as cb
from bot.engine.model import (
    WEB,
    Attachment,
    ButtonInput,
    Chat,
    Event,
    Input,
    Reply,
    Sender,
    TextInput,
)
from bot.engine.records import PersonRecord
from bot.engine.turn import UPLOAD
from bot.guide.model import Guide, Question
from bot.web.access import Reader

NONCE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
MAX_TEXT = 20_000
KINDS_TYPED = ("text", "amount", "date")


class BadForm(ValueError):
    """A form the page never makes (a missing field, an unknown question or option)."""


@dataclass(frozen=True)
class Outcome:
    """The key of the input whose reply the page shows next (kept by the engine with its key)."""

    key: str
    ok: bool


def web_chat(person: PersonRecord) -> Chat:
    return Chat(f"web:{person.id}", WEB)


def question_of(guide: Guide, ref: str) -> Question:
    for question in guide.all_questions():
        if cb.question_ref(question.key) == ref:
            return question
    raise BadForm("unknown question")


def answer_steps(guide: Guide, project_id: int, form: Mapping[str, str]) -> list[Event]:
    """An answer form's steps: open the question for editing (as ✏️ Edit does), then the answer."""
    question = question_of(guide, form.get("q", ""))
    ref = cb.question_ref(question.key)
    action = form.get("action", "save")
    steps: list[Event] = [ButtonInput(cb.encode(cb.EDIT, project_id, ref))]
    if action in ("later", "not_relevant"):
        if action == "not_relevant" and question.decision:
            raise BadForm("a decision is never 'not relevant'")
        return steps + [ButtonInput(cb.encode(cb.SKIP, project_id, ref, "l" if action == "later" else "n"))]
    if action != "save":
        raise BadForm("unknown action")
    if question.kind in KINDS_TYPED:
        text = form.get("text", "").strip()[:MAX_TEXT]
        files = upload_attachment(form.get("file", "")) if question.kind == "text" else ()
        return steps + [TextInput(text, files)]
    choice = form.get("choice", "")
    valid = {o.id for o in question.choices()} | ({"1", "2", "3", "4", "5"} if question.kind == "scale" else set())
    if choice not in valid:
        raise BadForm("no valid choice")
    steps.append(ButtonInput(cb.encode(cb.ANSWER, project_id, ref, choice)))
    if question.follow_up_after(choice):
        follow_up = form.get("text", "").strip()[:MAX_TEXT]
        steps.append(TextInput(follow_up) if follow_up else ButtonInput(cb.encode(cb.SKIP_FOLLOW_UP, project_id, ref)))
    return steps


def upload_attachment(kept: str) -> tuple[Attachment, ...]:
    """The file kept from the form (``"<id>:<size>:<name>"``), as the engine stores a file's reference."""
    upload_id, _, rest = kept.partition(":")
    size, _, name = rest.partition(":")
    if not upload_id.isdigit() or not size.isdigit():
        return ()
    return (Attachment("document", f"{UPLOAD}{upload_id}", name[:200] or None, int(size)),)


def signoff_steps(guide: Guide, project_id: int, form: Mapping[str, str]) -> list[Event]:
    """"We agree", or "we want changes" with its note (as the buttons and the typed note in a chat)."""
    phase = form.get("phase", "")
    if not guide.has_phase(phase):
        raise BadForm("unknown phase")
    if form.get("verdict") == "agree":
        return [ButtonInput(cb.encode(cb.SIGNOFF, project_id, phase, "a"))]
    note = form.get("note", "").strip()[:MAX_TEXT]
    if form.get("verdict") != "changes" or not note:
        raise BadForm("changes need a note")
    return [ButtonInput(cb.encode(cb.SIGNOFF, project_id, phase, "c")), TextInput(note)]


def step_key(nonce: str, number: int) -> str:
    return f"web:{nonce}:{number}"


def perform(handle: Callable[[Input], Reply], reader: Reader, nonce: str, steps: list[Event]) -> Outcome:
    """Hand the steps to the engine in order; stop at the first the engine refuses (a notice)."""
    if not NONCE.match(nonce):
        raise BadForm("bad nonce")
    person = reader.person
    sender = Sender(person.external_id, person.name, person.locale)
    chat = web_chat(person)
    for number, event in enumerate(steps):
        reply = handle(Input(sender, chat, event, key=step_key(nonce, number)))
        if reply.notice and number < len(steps) - 1:
            return Outcome(step_key(nonce, number), ok=False)
    return Outcome(step_key(nonce, len(steps) - 1), ok=True)


def said_in(kept: Mapping[str, object] | None, chat_id: str) -> tuple[str, ...]:
    """The notice and the first message a kept reply said in this web chat (nothing of anyone else's)."""
    if not kept:
        return ()
    messages = kept.get("messages")
    said = [m["text"] for m in messages if isinstance(m, dict) and m.get("chat") == chat_id][:1] \
        if isinstance(messages, list) else []
    notice = kept.get("notice")
    if said and isinstance(notice, str) and notice and not any(notice in s for s in said):
        said.insert(0, notice)
    return tuple(said)
