"""The context of one input: who speaks, where, what they are in the middle of, and the reply.

Features read and write through a `Turn`; it holds nothing between inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.events import Event
from bot.engine.intents import Intent
from bot.engine.knowledge import ProjectKnowledge, Scope
from bot.engine.model import (
    GROUP,
    PRIVATE,
    Attachment,
    Button,
    Document,
    Input,
    Message,
    Reply,
    Topic,
)
from bot.engine.ports import DocumentMaker, Links, UnitOfWork
from bot.engine.records import (
    PersonRecord,
)
from bot.engine.understand import intent_of
from bot.guide.model import Guide, Question
from bot.i18n import Catalogs, Translator

UPLOAD = "upload:"  # the file id of a file given on the web page (see `UploadRecord`)


@dataclass(frozen=True)
class Services:
    """What every turn of one engine shares: the guide, the catalogs and the transport's parts."""

    guide: Guide
    catalogs: Catalogs
    links: Links
    documents: DocumentMaker
    invite_ttl: dt.timedelta
    nudge_delay: dt.timedelta  # "tools finished" nudges wait this long for more (a session's become one)
    questions_by_ref: dict[str, Question]
    announce: Callable[[Turn, Event], None]  # tells whoever hears about an event (`bot.engine.announce`)


class Mode(StrEnum):
    """What a person's next typed text in a chat is for, when it is not simply the next answer."""

    NEW_NAME = "new_name"  # the name of a new project
    NEW_SIDE = "new_side"  # a new project's side (chosen with buttons)
    NEW_ORG = "new_org"  # the organisation of a new project's creator
    ORG_FOR_SIDE = "org_for_side"  # the organisation of a side that was just joined
    FOLLOW_UP = "follow_up"  # the follow-up text of a choice
    ADD = "add"  # text to add to an answer
    EDIT = "edit"  # a new answer to an earlier question
    CHANGE_NOTE = "change_note"  # what a side wants changed before it agrees a phase


@dataclass(frozen=True)
class Seen:
    """What a person saw and did last in one chat: kept across modes, so typed text lands where its
    author meant it."""

    project: int | None = None  # the project of `question`
    question: str | None = None  # the question last shown here
    answer: int | None = None  # that question's answer revision when it was shown (None: unanswered)
    last: str | None = None  # the question this person last answered here
    last_at: str | None = None  # when (ISO 8601), and how long the text was: a long text's rest may follow
    last_len: int = 0
    draft: str | None = None  # typed text waiting for its author to say where it belongs
    draft_for: str | None = None  # the question the draft was written for, if any
    draft_files: tuple[dict[str, Any], ...] = ()  # files sent with the draft
    revisit: str | None = None  # the phase whose questions left for later are being answered now…
    revisit_since: int | None = None  # …since this answer revision: a question left for later again stays open
    left_open: str | None = None  # the phase whose questions left for later stay open
    card: str | None = None  # the phase card shown here last ("phase:version")
    undoable: int | None = None  # the answer revision stored last here, which ↩ Undo takes back…
    undo_until: str | None = None  # …until then (ISO 8601)

    @classmethod
    def stored(cls, data: Any) -> Seen:
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["draft_files"] = tuple(values.get("draft_files") or ())
        return cls(**values)


@dataclass(frozen=True)
class ChatState:
    """What a person is in the middle of in one chat, as it is stored between inputs."""

    mode: Mode | None = None
    project: int | None = None
    question: str | None = None  # the question being edited, added to or followed up
    choice: str | None = None  # the choice waiting for its follow-up
    editing: bool | None = None
    name: str | None = None  # a new project's name
    side: str | None = None  # a new project's side
    phase: str | None = None  # the phase a change note is for
    seen: Seen = Seen()

    @classmethod
    def stored(cls, pending: dict[str, Any]) -> ChatState:
        known = {f.name for f in fields(cls)} - {"seen"}
        values = {k: v for k, v in pending.items() if k in known}
        try:
            mode = Mode(values.pop("mode", None))
        except ValueError:
            mode = None  # nothing pending (or a mode this version no longer has)
        return cls(mode=mode, seen=Seen.stored(pending.get("seen")), **values)

    def to_stored(self) -> dict[str, Any]:
        # Field by field, not `asdict`: it deep-copies, and this runs on every turn.
        stored = {f.name: (str(v) if isinstance(v, Mode) else v) for f in _STATE_FIELDS
                  if (v := getattr(self, f.name)) is not None}
        seen = {
            f.name: (list(v) if isinstance(v, tuple) else v) for f in _SEEN_FIELDS if (v := getattr(self.seen, f.name))
        }
        if seen:
            stored["seen"] = seen
        return stored


_STATE_FIELDS = tuple(f for f in fields(ChatState) if f.name != "seen")
_SEEN_FIELDS = fields(Seen)


def identify(uow: UnitOfWork, catalogs: Catalogs, inp: Input, now: dt.datetime) -> PersonRecord:
    """The person behind an input, created on first contact; name and private chat kept current."""
    sender = inp.sender
    person = uow.people.by_external_id(sender.external_id)
    private_chat = inp.chat.id if inp.chat.kind == PRIVATE else None  # not a group, not the web page
    if person is None:
        locale = catalogs.negotiate(sender.language_code)
        return uow.people.add(sender.external_id, sender.name[:128], locale, private_chat, now)
    changes: dict[str, Any] = {}
    if sender.name and sender.name[:128] != person.name:
        changes["name"] = sender.name[:128]
    if private_chat and private_chat != person.private_chat:
        changes["private_chat"] = private_chat
    if private_chat and person.unreachable:
        changes["unreachable"] = False  # writing to the bot makes a person reachable again
    if changes:
        uow.people.update(person.id, **changes)
        person = uow.people.get(person.id) or person
    return person


class Turn:
    """The work of one input inside one unit of work."""

    def __init__(self, services: Services, uow: UnitOfWork, inp: Input, now: dt.datetime,
                 person: PersonRecord, state: ChatState) -> None:
        self.services = services
        self.guide = services.guide
        self.catalogs = services.catalogs
        self.uow = uow
        self.inp = inp
        self.now = now
        self.person = person
        self.state = state
        self.intent = intent_of(inp.event)  # what the person means
        self.t = self.translator_for(person)
        self.in_group = inp.chat.kind == GROUP
        self.messages: list[Message] = []
        self.notice: str | None = None
        self.question_kept = False  # what was said is about the question on screen: it stays there
        self.cause: int | None = None  # the answer revision this turn stored: what it queues tells of it
        self.due_now = 0  # outbox rows to send as soon as the turn is committed
        self.known = ProjectKnowledge(self.guide, uow, inp.chat, self.in_group, now, lambda: self.person)

    # ---- what the bot says -------------------------------------------------------------

    def translator_for(self, person: PersonRecord) -> Translator:
        return self.catalogs.translator(person.locale).in_zone(person.timezone)

    def say(self, text: str, buttons: Iterable[Iterable[Button]] = (), force_reply: bool = False,
            attachments: tuple[Attachment, ...] = (), documents: tuple[Document, ...] = (),
            topic: Topic | None = None) -> None:
        rows = tuple(tuple(row) for row in buttons if row)
        uploaded = tuple(a for a in attachments if a.file_id.startswith(UPLOAD))
        if uploaded:  # files given on the web page: the bytes are ours to send
            attachments = tuple(a for a in attachments if not a.file_id.startswith(UPLOAD))
            documents = documents + tuple(d for a in uploaded if (d := self.uploaded(a)) is not None)
        self.messages.append(Message(self.inp.chat.id, text, rows, force_reply, attachments, documents=documents,
                                     topic=topic))

    def uploaded(self, attachment: Attachment) -> Document | None:
        found = self.uow.uploads.get(int(attachment.file_id.removeprefix(UPLOAD)))
        return Document(found.name, found.data, found.mime) if found is not None else None

    def button(self, label: str, intent: Intent) -> Button:
        return cb.button(label, intent)

    def continue_row(self, project_id: int) -> list[Button]:
        """"▶ Continue": back to where the person was in the project, after reading something."""
        return [self.button(self.t.gettext("▶ Fortsæt"), intents.Continue(project_id))]

    def keep_question(self) -> None:
        """What this turn says is about the question on screen (a value refused, two readings asked):
        typed text still answers it."""
        self.question_kept = True

    def reply(self) -> Reply:
        """What the turn said; when it said something here that asks no question (a pause, a view, a
        summary), no question is on screen any more: typed text is not filed under the one above."""
        here = [m for m in self.messages if m.chat == self.inp.chat.id]
        if here and not self.question_kept and not any(m.topic for m in here) and self.state.seen.question:
            self.remember(question=None, answer=None)
        return Reply(messages=tuple(self.messages), notice=self.notice, outbox_due=self.due_now > 0)

    def no_project(self) -> None:
        t = self.t
        if self.in_group:
            self.say(t.gettext(
                "Denne gruppe er ikke knyttet til et projekt, eller du er ikke medlem af dens team. "
                "Et teammedlem kan knytte gruppen med /link og koden fra en invitation."
            ))
            return
        self.say(
            t.gettext(
                "Du er ikke med i et projekt endnu. Start et nyt, eller brug en invitation fra jeres samarbejdspartner."
            ),
            [
                [
                    self.button(t.gettext("➕ Start et projekt"), intents.NewProject()),
                    self.button(t.gettext("🔗 Deltag i et projekt"), intents.JoinHelp()),
                ]
            ],
        )

    def stale_button(self) -> None:
        self.notice = self.t.gettext("Den knap gælder ikke længere.")
        self.say(self.t.gettext("Den knap gælder ikke længere. Skriv /continue for at komme videre."))

    def foreign_button(self) -> None:
        self.notice = self.t.gettext("Den knap hører til et projekt, du ikke er med i.")
        self.say(self.notice)

    # ---- the chat's state ----------------------------------------------------------------

    def set_state(self, state: ChatState) -> None:
        """What the person is in the middle of here (what they saw and did is kept)."""
        if state.seen == Seen():
            state = replace(state, seen=self.state.seen)
        if state != self.state:
            self.state = state
            self.uow.chats.set_state(self.person.id, self.inp.chat.id, state.to_stored())

    def clear_state(self) -> None:
        self.set_state(ChatState())

    def shown_here(self, project_id: int) -> Question | None:
        """The question of `project_id` last shown to this person in this chat, if any."""
        seen = self.state.seen
        if seen.question and seen.project == project_id and self.guide.has_question(seen.question):
            return self.guide.question(seen.question)
        return None

    def remember(self, **changes: Any) -> None:
        """Note what the person saw or did here (see `Seen`)."""
        self.set_state(replace(self.state, seen=replace(self.state.seen, **changes)))

    def replied_topic(self) -> Topic | None:
        """The question of the bot's message this input replies to, if it asked one."""
        ref = self.inp.reply_to_ref
        return self.uow.chats.sent_question(self.inp.chat.id, ref) if ref else None

    # ---- who and where ---------------------------------------------------------------------

    def reload_person(self) -> None:
        self.person = self.uow.people.get(self.person.id) or self.person

    def scope_or_explain(self, project_id: int | None = None) -> Scope | None:
        """The `scope`, or None after telling the person they are in no project here."""
        scope = self.known.scope(project_id)
        if scope is None:
            self.no_project()
        return scope

    # ---- nudges for later ---------------------------------------------------------------

    def emit(self, event: Event) -> None:
        """Something others hear about happened: they are told (see `bot.engine.announce`)."""
        self.services.announce(self, event)

    def queue(self, chat: str, person_id: int | None, project_id: int | None, side_id: int | None, kind: str,
              payload: dict[str, Any], due_at: dt.datetime, debounce_key: str | None = None) -> None:
        """A message for the outbox, sent by the delivery worker once this turn is committed."""
        if due_at <= self.now:
            self.due_now += 1
        self.uow.outbox.add(chat, person_id, project_id, side_id, kind, payload, due_at, self.now, debounce_key,
                            self.cause)
