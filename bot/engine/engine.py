"""The conversation engine: one input in, a reply out, one unit of work in between.

`Engine.handle` claims the input's idempotency key, works out who is speaking and in which
project, applies the input, commits, and only then returns the messages that say so.
Nothing is kept in memory between inputs: what to ask next is derived from stored answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.engine import callbacks as cb
from bot.engine.insights import profile_chart
from bot.engine.outbox import Outbox, message_payload
from bot.engine.reminders import zone_of
from bot.engine.model import (
    Document,
    GROUP,
    Attachment,
    Button,
    ButtonInput,
    ChatMovedInput,
    LeftGroupInput,
    CommandInput,
    EditedInput,
    Input,
    Message,
    Reply,
    TextInput,
)
from bot.engine.ports import (
    AGREE,
    ANSWERED,
    CHANGES,
    LATER,
    NOT_RELEVANT,
    AnswerRecord,
    InviteRecord,
    PersonRecord,
    MemberRecord,
    OutboxRecord,
    ProjectRecord,
    SideRecord,
    UnitOfWork,
)
from bot.engine.progress import (
    load_progress,
    ProjectProgress,
    SideView,
    applies,
    next_question,
    previous_question,
)
from bot.engine.render import (
    side_reference,
    answer_value,
    answers_of_tool,
    compare_tool,
    esc,
    g,
    phase_heading,
    phase_intro,
    question_text,
    side_display,
    side_label,
    tool_intro,
)
from bot.engine.summary import phase_summary
from bot.engine.values import InvalidValue, match_choice, parse_amount, parse_date, parse_scale
from bot.guide.model import Guide, Phase, Question, Side, Tool, other_side
from bot.i18n import DEFAULT_ZONES, FALLBACK_ZONE, Catalogs, Translator

log = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PROJECT_NAME = 200
MAX_ANSWER = 20_000

COMMANDS = (
    "start", "new", "join", "continue", "mine", "theirs", "compare", "summary", "projects",
    "invite", "language", "settings", "help", "back", "skip", "pause", "link", "cancel", "forget", "delete",
    "export",
)


# How long an input's key is kept to recognise the same update delivered again.
INPUT_KEYS_KEPT = dt.timedelta(days=7)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Links:
    """How invite tokens become links people can tap (the transport knows its own URLs)."""

    invite: Callable[[str], str] = lambda token: f"/join {token}"
    group: Callable[[str], str | None] = lambda token: None


@dataclass
class Scope:
    """The project and side an input acts in."""

    project: ProjectRecord
    side: SideRecord

    @property
    def role(self) -> Side:
        return self.side.role  # type: ignore[return-value]


REMINDER_DAY_CHOICES = (2, 3, 5, 7, 14)


class Engine:
    """Transport-free conversation logic over a unit of work."""

    def __init__(
        self,
        guide: Guide,
        catalogs: Catalogs,
        unit_of_work: Callable[[], UnitOfWork],
        links: Links | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        invite_ttl: dt.timedelta = dt.timedelta(days=14),
        nudge_delay: dt.timedelta = dt.timedelta(seconds=20),
    ) -> None:
        self.guide = guide
        self.catalogs = catalogs
        self.unit_of_work = unit_of_work
        self.links = links or Links()
        self.clock = clock
        self.invite_ttl = invite_ttl
        self.nudge_delay = nudge_delay  # a burst of "tool finished" nudges within this becomes one
        self.outbox = Outbox(unit_of_work, clock)
        self.questions_by_ref = {cb.question_ref(q.key): q for q in guide.all_questions()}

    def handle(self, inp: Input) -> Reply:
        """Process one input; messages are returned only after the unit of work committed."""
        now = self.clock()
        try:
            with self.unit_of_work() as uow:
                if inp.key is not None and not uow.claim_input(inp.key, now):
                    return Reply(duplicate=True)
                if isinstance(inp.event, ChatMovedInput):
                    move_group_chat(uow, inp.chat.id, inp.event.new_chat_id)
                    uow.commit()
                    return Reply()
                if isinstance(inp.event, LeftGroupInput):
                    leave_group(uow, inp.chat.id, inp.event)
                    uow.commit()
                    return Reply()
                turn = Turn(self, uow, inp, now)
                turn.run()
                uow.commit()
                return turn.reply()
        except Exception:
            log.exception("input not processed: %s", inp.event)
            return self.not_saved(inp)

    def forget_old_inputs(self, now: dt.datetime | None = None, batch: int = 5_000) -> int:
        """Drop the keys of inputs older than `INPUT_KEYS_KEPT` (Telegram redelivers an update for
        24 hours at most), a short transaction per batch; returns how many were dropped."""
        before = (now or self.clock()) - INPUT_KEYS_KEPT
        dropped = 0
        while True:
            with self.unit_of_work() as uow:
                count = uow.forget_inputs(before, batch)
                uow.commit()
            dropped += count
            if count < batch:
                return dropped

    def mark_unreachable(self, external_id: str) -> None:
        """A person refused our messages (blocked the bot): stop notifying them until they write again."""
        with self.unit_of_work() as uow:
            person = uow.person_by_external_id(external_id)
            if person is not None and not person.unreachable:
                uow.update_person(person.id, unreachable=True)
                uow.commit()

    def not_saved(self, inp: Input) -> Reply:
        t = self.catalogs.translator(self.catalogs.negotiate(inp.sender.language_code))
        text = t.gettext("⚠️ Det du sendte blev ikke gemt på grund af en fejl hos os. Send det venligst igen om lidt.")
        return Reply(messages=(Message(inp.chat.id, text),), notice=text[:190])


class _CountingWrites:
    """A turn's unit of work that counts the writes a project's progress depends on.

    A turn re-reads a project's answers only when one of them happened since it last read them."""

    PROGRESS_WRITES = frozenset({"add_answer", "add_agreement", "add_side", "update_side", "update_project",
                                 "delete_project"})

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.writes = 0
        self.due_now = 0  # outbox rows to send as soon as the turn is committed

    def add_outbox(self, chat: str, person_id: int | None, project_id: int | None, side_id: int | None, kind: str,
                   payload: dict[str, Any], due_at: dt.datetime, at: dt.datetime,
                   debounce_key: str | None = None) -> OutboxRecord:
        if due_at <= at:
            self.due_now += 1
        return self._uow.add_outbox(chat, person_id, project_id, side_id, kind, payload, due_at, at, debounce_key)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._uow, name)
        if name not in self.PROGRESS_WRITES:
            return attribute

        def write(*args: Any, **kwargs: Any) -> Any:
            self.writes += 1
            return attribute(*args, **kwargs)

        return write


class Turn:
    """The work of one input inside one unit of work."""

    def __init__(self, engine: Engine, uow: UnitOfWork, inp: Input, now: dt.datetime) -> None:
        self.engine = engine
        self.guide = engine.guide
        self.writes = _CountingWrites(uow)
        self.uow: UnitOfWork = self.writes  # type: ignore[assignment]
        self.inp = inp
        self.now = now
        self.messages: list[Message] = []
        self.notice: str | None = None
        self.person = self._person()
        self.t = self.translator_for(self.person)
        self.in_group = inp.chat.kind == GROUP
        self.state = uow.chat_state(self.person.id, inp.chat.id).pending
        self._progress: dict[int, tuple[int, ProjectProgress]] = {}  # project id -> (writes when read, progress)

    # ---- people, language, output ------------------------------------------------------

    def _person(self) -> PersonRecord:
        sender = self.inp.sender
        person = self.uow.person_by_external_id(sender.external_id)
        private_chat = self.inp.chat.id if self.inp.chat.kind != GROUP else None
        if person is None:
            locale = self.engine.catalogs.negotiate(sender.language_code)
            return self.uow.add_person(sender.external_id, sender.name[:128], locale, private_chat, self.now)
        changes: dict[str, Any] = {}
        if sender.name and sender.name[:128] != person.name:
            changes["name"] = sender.name[:128]
        if private_chat and private_chat != person.private_chat:
            changes["private_chat"] = private_chat
        if private_chat and person.unreachable:
            changes["unreachable"] = False
        if changes:
            self.uow.update_person(person.id, **changes)
            person = self.uow.person(person.id) or person
        return person

    def translator_for(self, person: PersonRecord) -> Translator:
        return self.engine.catalogs.translator(person.locale).in_zone(person.timezone)

    def say(self, text: str, buttons: Iterable[Iterable[Button]] = (), force_reply: bool = False,
            attachments: tuple[Attachment, ...] = (), documents: tuple[Document, ...] = ()) -> None:
        rows = tuple(tuple(row) for row in buttons if row)
        self.messages.append(Message(self.inp.chat.id, text, rows, force_reply, attachments, documents=documents))

    def reply(self) -> Reply:
        return Reply(messages=tuple(self.messages), notice=self.notice, outbox_due=self.writes.due_now > 0)

    def set_state(self, **pending: Any) -> None:
        self.state = pending
        self.uow.set_chat_state(self.person.id, self.inp.chat.id, pending)

    def clear_state(self) -> None:
        if self.state:
            self.set_state()

    def notify(self, side: SideRecord, render: Callable[[Translator], tuple[str, tuple]], include_self: bool = False,
               kind: str = "nudge") -> None:
        """Tell every member of a side (private chats) and its team group, each in their language.

        Notifications go to the outbox in this unit of work; a worker sends them after commit.
        """
        for chat, person_id, translator in self.recipients(side, include_self):
            text, buttons = render(translator)
            if chat == self.inp.chat.id:  # the person who acted: part of the reply itself
                self.messages.append(Message(chat, text, buttons, notification=True))
                continue
            self.uow.add_outbox(chat, person_id, side.project_id, side.id, kind, message_payload(text, buttons),
                                self.now, self.now)

    def notify_batched(self, side: SideRecord, kind: str, item: str,
                       render: Callable[[Translator, list[str]], tuple[str, tuple]]) -> None:
        """Like `notify`, but a burst of these (e.g. tools finished one after another) becomes one
        message: a pending nudge of the same kind to the same chat is rewritten to cover `item` too."""
        due = self.now + self.engine.nudge_delay
        for chat, person_id, translator in self.recipients(side, include_self=False):
            key = f"{kind}:{side.project_id}:{chat}"
            pending = self.uow.pending_outbox(key, self.now)
            items = list(pending.payload.get("items", [])) if pending else []
            if item not in items:
                items.append(item)
            text, buttons = render(translator, items)
            payload = message_payload(text, buttons, items=items)
            if pending is not None:
                self.uow.update_outbox(pending.id, payload=payload, due_at=due)
            else:
                self.uow.add_outbox(chat, person_id, side.project_id, side.id, kind, payload, due, self.now, key)

    def recipients(self, side: SideRecord, include_self: bool) -> list[tuple[str, int | None, Translator]]:
        """Who hears about a side: members who want to (not muted, reachable) and the team group."""
        found: list[tuple[str, int | None, Translator]] = []
        for member in self.uow.members(side.id):
            if member.person_id == self.person.id and not include_self:
                continue
            person = self.uow.person(member.person_id)
            if person is None or not person.private_chat or person.unreachable or member.muted:
                continue
            found.append((person.private_chat, person.id, self.translator_for(person)))
        if side.group_chat and side.group_chat != self.inp.chat.id:
            found.append((side.group_chat, None, self.engine.catalogs.translator(side.group_locale)))
        return found

    def button(self, label: str, verb: str, project_id: int | None = None, *args: str) -> Button:
        return Button(label, cb.encode(verb, project_id, *args))

    # ---- dispatch -----------------------------------------------------------------------

    def run(self) -> None:
        event = self.inp.event
        if isinstance(event, CommandInput):
            self.on_command(event.name.lower(), event.args.strip())
        elif isinstance(event, ButtonInput):
            self.on_button(event.data)
        elif isinstance(event, TextInput):
            self.on_text(event)
        elif isinstance(event, EditedInput):
            self.on_edited(event)

    def on_edited(self, event: EditedInput) -> None:
        """An edited message that was an answer becomes a new revision of that answer."""
        scope = self.scope()
        ref = self.inp.message_ref
        if scope is None or ref is None or scope.project.closed_at is not None:
            return
        progress = self.progress(scope.project)
        view = progress.view(scope.role)
        answer = next((a for a in view.answers.values() if a.value.get("ref") == ref), None)
        if answer is None or answer.status != ANSWERED or not event.text.strip():
            if not self.in_group:
                self.say(self.t.gettext("Du har rettet en besked, som ikke er et gældende svar, så intet er ændret. Ret svar med /mine."))
            return
        question = self.guide.question(answer.question_key)
        value = dict(answer.value)
        if question.kind == "text" or "choice" in value:
            value["text"] = event.text.strip()[:MAX_ANSWER]
            self.uow.add_answer(scope.side.id, question.key, ANSWERED, value, self.person.id, self.now)
            phase = self.guide.phase(question.phase_id)
            agreement = progress.agreement(phase.id)
            was_outdated = agreement is not None and progress.is_outdated(agreement)
            after = self.refresh(scope.project)
            self.say(self.t.gettext("✓ Svaret på «{question}» er opdateret.").format(question=g(self.t, question.text)))
            self.after_change(scope, after, phase, question, True, True, was_outdated)
        elif not self.in_group:
            self.say(self.t.gettext("Dette svar kan ikke rettes ved at redigere beskeden. Brug /mine."))


    def scope(self, project_id: int | None = None) -> Scope | None:
        """The project and side this input acts in, if the person may act there."""
        if self.in_group:
            side = self.uow.side_by_group_chat(self.inp.chat.id)
            if side is None or not self.is_member(side):
                return None
            project = self.uow.project(side.project_id)
            if project is None or (project_id is not None and project.id != project_id):
                return None
            return Scope(project, side)
        wanted = project_id if project_id is not None else self.person.current_project_id
        if wanted is None:
            return None
        for project, side in self.uow.memberships(self.person.id):
            if project.id == wanted:
                return Scope(project, side)
        return None

    def is_member(self, side: SideRecord) -> bool:
        return any(m.person_id == self.person.id for m in self.uow.members(side.id))

    def progress(self, project: ProjectRecord) -> ProjectProgress:
        """The project's progress as this turn first read it."""
        if project.id not in self._progress:
            self._progress[project.id] = (self.writes.writes, load_progress(self.guide, self.uow, project))
        return self._progress[project.id][1]

    def refresh(self, project: ProjectRecord) -> ProjectProgress:
        """The project's progress now: read again if this turn changed it since."""
        cached = self._progress.get(project.id)
        if cached is not None and cached[0] == self.writes.writes:
            return cached[1]
        self._progress.pop(project.id, None)
        fresh = self.uow.project(project.id) or project
        return self.progress(fresh)

    def add_answer(self, scope: Scope, question: Question, status: str, value: dict[str, Any]) -> ProjectProgress:
        """Store a new revision and return the progress with it (without reading the project again)."""
        before = self.refresh(scope.project)
        record = self.uow.add_answer(scope.side.id, question.key, status, value, self.person.id, self.now)
        after = before.with_answer(record)
        self._progress[scope.project.id] = (self.writes.writes, after)
        return after

    def no_project(self) -> None:
        t = self.t
        if self.in_group:
            self.say(t.gettext(
                "Denne gruppe er ikke knyttet til et projekt, eller du er ikke medlem af dens team. "
                "Et teammedlem kan knytte gruppen med /link og koden fra en invitation."
            ))
            return
        self.say(
            t.gettext("Du er ikke med i et projekt endnu. Start et nyt, eller brug en invitation fra jeres samarbejdspartner."),
            [[self.button(t.gettext("➕ Start et projekt"), cb.NEW_PROJECT), self.button(t.gettext("🔗 Deltag i et projekt"), cb.JOIN_HELP)]],
        )

    # ---- commands -----------------------------------------------------------------------

    def on_command(self, name: str, args: str) -> None:
        handlers: dict[str, Callable[[str], None]] = {
            "start": self.cmd_start, "new": lambda a: self.start_new_project(), "join": self.cmd_join,
            "continue": lambda a: self.cmd_continue(), "mine": lambda a: self.cmd_answers("mine"),
            "theirs": lambda a: self.cmd_answers("theirs"), "compare": lambda a: self.cmd_answers("compare"),
            "summary": lambda a: self.cmd_summary(None), "projects": lambda a: self.cmd_projects(),
            "invite": lambda a: self.cmd_invite(), "language": lambda a: self.cmd_language(),
            "settings": lambda a: self.cmd_settings(), "help": lambda a: self.cmd_help(),
            "back": lambda a: self.cmd_back(None), "skip": lambda a: self.cmd_skip(None, LATER),
            "pause": lambda a: self.cmd_pause(), "link": self.cmd_link, "cancel": lambda a: self.cmd_cancel(),
            "forget": lambda a: self.cmd_forget(), "delete": lambda a: self.cmd_delete_project(),
            "export": lambda a: self.cmd_export(),
        }
        handler = handlers.get(name)
        if handler is None:
            self.say(self.t.gettext("Den kommando kender jeg ikke. Skriv /help for at se, hvad jeg kan."))
            return
        handler(args)

    def cmd_start(self, args: str) -> None:
        if args:
            if self.in_group:
                self.cmd_link(args)
            else:
                self.cmd_join(args)
            return
        self.clear_state()
        t = self.t
        self.say(t.gettext(
            "Hej {name}! 👋\nJeg guider to offentlige organisationer gennem Spredningsguiden: den ene deler en "
            "innovation, den anden genbruger den.\nI svarer hver især på guidens spørgsmål, ser hinandens svar og "
            "aftaler fase for fase, hvordan I kommer videre."
        ).format(name=esc(self.person.name)),
            [[self.button(t.gettext("➕ Start et projekt"), cb.NEW_PROJECT), self.button(t.gettext("🔗 Deltag i et projekt"), cb.JOIN_HELP)]],
        )
        if self.scope() is not None:
            self.say(t.gettext("Du er allerede med i et projekt. Skriv /continue for at fortsætte, hvor I slap."))

    def cmd_help(self) -> None:
        t = self.t
        self.say("\n".join([
            t.gettext("<b>Det kan jeg</b>"),
            t.gettext("/continue – næste spørgsmål"),
            t.gettext("/mine – jeres svar (og ret dem)"),
            t.gettext("/theirs – den anden organisations svar"),
            t.gettext("/compare – begge organisationers svar side om side"),
            t.gettext("/summary – opsummering af fasen"),
            t.gettext("/projects – dine projekter, skift projekt"),
            t.gettext("/new – start et nyt projekt"),
            t.gettext("/invite – invitationer til jeres samarbejdspartner og teamet"),
            t.gettext("/back – forrige spørgsmål"),
            t.gettext("/skip – spring spørgsmålet over til senere"),
            t.gettext("/pause – hold pause"),
            t.gettext("/language – sprog"),
            t.gettext("/settings – notifikationer"),
            t.gettext("/link KODE – knyt en gruppechat til jeres team"),
            t.gettext("/export – hele projektet som PDF og Markdown"),
            t.gettext("/forget – se, hvad jeg har gemt om dig, og slet det"),
            t.gettext("/delete – slet projektet (kun den, der oprettede det)"),
        ]))

    def charts(self, progress: ProjectProgress, tools: list[Tool]) -> tuple[Document, ...]:
        """Pictures of the readiness profiles among `tools` (people read a profile faster than a table)."""
        found = []
        for tool in tools:
            if tool.profile and (png := profile_chart(self.t, progress, tool)) is not None:
                found.append(Document(f"{tool.id}.png", png, "image/png"))
        return tuple(found)

    def cmd_export(self) -> None:
        """The whole project as a PDF and a Markdown file in the reader's language."""
        from bot.export import export_project  # fpdf2 is loaded only when someone exports

        scope = self.scope()
        if scope is None:
            self.no_project()
            return
        t = self.t
        progress = self.progress(scope.project)
        signoffs = [s for phase in progress.phases() for s in self.uow.signoffs(scope.project.id, phase.id)]
        names = self.names(signoffs)
        zone = t.zone or DEFAULT_ZONES.get(t.locale, FALLBACK_ZONE)
        export = export_project(t, progress, signoffs, names, self.now, zone)
        self.say(
            t.gettext("📄 Projektet {project} som PDF og Markdown.").format(project=esc(scope.project.name)),
            documents=(Document(f"{export.basename}.pdf", export.pdf, "application/pdf"),
                       Document(f"{export.basename}.md", export.markdown.encode("utf-8"), "text/markdown")),
        )

    # ---- privacy --------------------------------------------------------------------------

    def cmd_forget(self) -> None:
        """Show what is stored about this person, with a button to delete it."""
        t = self.t
        if self.in_group:
            self.say(t.gettext("Skriv /forget til mig i en privat chat."))
            return
        memberships = self.uow.memberships(self.person.id)
        projects = [f"• {esc(p.name)} ({side_display(t, s)})" for p, s in memberships]
        lines = [
            t.gettext("<b>Det har jeg gemt om dig</b>"),
            t.gettext("Navn: {name}").format(name=esc(self.person.name)),
            t.gettext("Sprog: {language}").format(language=self.engine.catalogs.language_name(self.person.locale or "")),
            t.gettext("Projekter:") if projects else t.gettext("Projekter: ingen"),
            *projects,
            "",
            t.gettext("Sletter du dine data, forsvinder dit navn og dine medlemskaber. Dine svar bliver hos jeres "
                      "team som svar fra et tidligere medlem, indtil projektet slettes."),
        ]
        self.say("\n".join(lines), [[self.button(t.gettext("🗑 Slet mine data"), cb.FORGET)]])

    def forget(self) -> None:
        t = self.t
        self.uow.delete_person(self.person.id)
        self.say(t.gettext("🗑 Dine data er slettet. Skriver du til mig igen, starter du forfra."))

    def cmd_delete_project(self) -> None:
        t = self.t
        scope = self.scope()
        if scope is None:
            self.no_project()
            return
        if scope.project.created_by != self.person.id:
            self.say(t.gettext("Kun den, der oprettede projektet, kan slette det."))
            return
        self.say(t.gettext("Vil du slette projektet {project} med alle svar, aftaler og invitationer for begge "
                           "organisationer? Det kan ikke fortrydes.").format(project=esc(scope.project.name)),
                 [[self.button(t.gettext("🗑 Ja, slet projektet"), cb.DELETE_PROJECT, scope.project.id),
                   self.button(t.gettext("Annullér"), cb.CONTINUE, scope.project.id)]])

    def delete_project(self, scope: Scope) -> None:
        t = self.t
        if scope.project.created_by != self.person.id:
            self.stale_button()
            return
        project = scope.project
        for side in self.uow.sides(project.id):
            for chat, person_id, tr in self.recipients(side, include_self=False):
                text = tr.gettext("🗑 {name} har slettet projektet {project}. Alle dets data er fjernet.").format(
                    name=esc(self.person.name), project=esc(project.name))
                # Not tied to the project: its rows leave with it.
                self.uow.add_outbox(chat, person_id, None, None, "deleted", message_payload(text, ()), self.now, self.now)
        self.uow.delete_project(project.id)
        self.say(t.gettext("🗑 Projektet {project} er slettet.").format(project=esc(project.name)))

    def cmd_cancel(self) -> None:
        self.clear_state()
        self.say(self.t.gettext("Annulleret."))

    # ---- projects ----------------------------------------------------------------------

    def start_new_project(self) -> None:
        if self.in_group:
            self.say(self.t.gettext("Start et projekt i en privat chat med mig – derefter kan I knytte gruppen til jeres team."))
            return
        self.set_state(mode="new_name")
        self.say(self.t.gettext("Hvad hedder innovationen, I vil sprede? Skriv et kort navn."))

    def new_project_step(self, text: str) -> None:
        t = self.t
        mode = self.state.get("mode")
        if mode == "new_name":
            name = " ".join(text.split())
            if not name or len(name) > MAX_PROJECT_NAME:
                self.say(t.gettext("Skriv et navn på 1 til {max} tegn.").format(max=MAX_PROJECT_NAME))
                return
            self.set_state(mode="new_side", name=name)
            self.ask_side()
        elif mode == "new_side":
            self.ask_side()
        elif mode == "new_org":
            organisation = " ".join(text.split())[:200]
            self.create_project(self.state["name"], self.state["side"], organisation or None)

    def ask_side(self) -> None:
        t = self.t
        self.say(
            t.gettext("Hvilken side er I på?\n• <b>Vi vil dele</b>: innovationen er jeres, og I vil dele den.\n• <b>Vi vil genbruge</b>: I vil genbruge en andens innovation."),
            [[self.button(side_label(t, "sharer"), cb.CHOOSE_SIDE, None, "sharer"),
              self.button(side_label(t, "reuser"), cb.CHOOSE_SIDE, None, "reuser")]],
        )

    def choose_side(self, role: str | None) -> None:
        if self.state.get("mode") != "new_side" or role not in ("sharer", "reuser"):
            self.stale_button()
            return
        self.set_state(mode="new_org", name=self.state["name"], side=role)
        t = self.t
        self.say(t.gettext("Hvad hedder jeres organisation? (fx Aarhus Kommune)"),
                 [[self.button(t.gettext("Spring over"), cb.SKIP_ORGANISATION)]])

    def create_project(self, name: str, role: str, organisation: str | None) -> None:
        project = self.uow.add_project(name, self.person.id, self.now)
        own = self.uow.add_side(project.id, role, organisation)
        self.uow.add_side(project.id, other_side(role), None)  # type: ignore[arg-type]
        self.uow.add_member(own.id, self.person.id, self.now)
        self.uow.update_person(self.person.id, current_project_id=project.id)
        self.person = self.uow.person(self.person.id) or self.person
        self.clear_state()
        t = self.t
        self.say(t.gettext("✅ Projektet <b>{name}</b> er oprettet. I er: {side}.").format(
            name=esc(name), side=side_display(t, own)))
        self.show_invites(Scope(project, own))
        self.present_next(Scope(project, own))

    def issue_invite(self, scope: Scope, kind: str) -> InviteRecord:
        role = scope.role if kind == "team" else other_side(scope.role)
        for invite in self.uow.invites(scope.project.id):
            if invite.kind == kind and invite.role == role and invite.revoked_at is None:
                self.uow.revoke_invite(invite.token, self.now)
        invite = InviteRecord(
            token=secrets.token_urlsafe(24), project_id=scope.project.id, role=role, kind=kind,
            created_by=self.person.id, created_at=self.now, expires_at=self.now + self.engine.invite_ttl,
        )
        self.uow.add_invite(invite)
        return invite

    def valid_invite(self, scope: Scope, kind: str) -> InviteRecord:
        role = scope.role if kind == "team" else other_side(scope.role)
        for invite in reversed(list(self.uow.invites(scope.project.id))):
            if invite.kind == kind and invite.role == role and invite.revoked_at is None and invite.expires_at > self.now:
                return invite
        return self.issue_invite(scope, kind)

    def show_invites(self, scope: Scope) -> None:
        t = self.t
        partner = self.valid_invite(scope, "partner")
        team = self.valid_invite(scope, "team")
        expires = t.date(partner.expires_at.date())
        lines = [
            t.gettext("<b>Invitationer til {project}</b>").format(project=esc(scope.project.name)),
            "",
            t.gettext("Til den anden organisation ({side}):").format(side=side_label(t, other_side(scope.role))),
            esc(self.engine.links.invite(partner.token)),
            "",
            t.gettext("Til jeres egne kolleger ({side}):").format(side=side_label(t, scope.role)),
            esc(self.engine.links.invite(team.token)),
        ]
        group_link = self.engine.links.group(team.token)
        if group_link:
            lines += ["", t.gettext("Tilføj mig til jeres teamgruppe:"), esc(group_link)]
        lines += ["", t.gettext("Links udløber {date}. Videresend dem kun til dem, der skal være med.").format(date=expires)]
        self.say("\n".join(lines), [[
            self.button(t.gettext("🔄 Nye links (de gamle holder op med at virke)"), cb.REISSUE, scope.project.id, "all"),
        ]])

    def cmd_invite(self) -> None:
        scope = self.scope()
        if scope is None:
            self.no_project()
            return
        self.show_invites(scope)

    def reissue(self, scope: Scope) -> None:
        self.issue_invite(scope, "partner")
        self.issue_invite(scope, "team")
        self.notice = self.t.gettext("De gamle links virker ikke længere.")
        self.show_invites(scope)

    def cmd_join(self, token: str) -> None:
        t = self.t
        if not token:
            self.say(t.gettext("Send den kode eller det link, I har fået fra jeres samarbejdspartner, fx /join KODE."))
            return
        if not TOKEN_PATTERN.match(token):
            self.say(t.gettext("Den invitation kan jeg ikke læse. Tjek, at hele linket kom med."))
            return
        invite = self.uow.invite(token)
        if invite is None or invite.revoked_at is not None:
            self.say(t.gettext("Den invitation findes ikke eller er trukket tilbage. Bed om et nyt link."))
            return
        if invite.expires_at <= self.now:
            self.say(t.gettext("Den invitation er udløbet. Bed om et nyt link."))
            return
        project = self.uow.project(invite.project_id)
        if project is None:
            self.say(t.gettext("Den invitation findes ikke eller er trukket tilbage. Bed om et nyt link."))
            return
        sides = {s.role: s for s in self.uow.sides(project.id)}
        side = sides[invite.role]
        current = next((s for p, s in self.uow.memberships(self.person.id) if p.id == project.id), None)
        if current is not None and current.role != invite.role:
            self.say(t.gettext("Du er allerede med i {project} på den anden side ({side}). Man kan kun være på én side.").format(
                project=esc(project.name), side=side_display(t, current)))
            return
        self.uow.update_person(self.person.id, current_project_id=project.id)
        self.person = self.uow.person(self.person.id) or self.person
        if current is not None:
            self.say(t.gettext("Du er allerede med i {project}. Jeg skifter til det.").format(project=esc(project.name)))
            self.present_next(Scope(project, current))
            return
        self.uow.add_member(side.id, self.person.id, self.now)
        self.clear_state()
        scope = Scope(project, side)
        self.say(t.gettext("🎉 Velkommen til <b>{project}</b>. Du er med for: {side}.").format(
            project=esc(project.name), side=side_display(t, side)))
        if invite.kind == "partner" and not side.organisation:
            self.set_state(mode="org_for_side", project=project.id)
            self.say(t.gettext("Hvad hedder jeres organisation? (fx Aarhus Kommune)"),
                     [[self.button(t.gettext("Spring over"), cb.SKIP_ORGANISATION, project.id)]])
        name = self.person.name
        for s in sides.values():
            self.notify(s, lambda tr, s=s: (tr.gettext("👋 {name} er kommet med i {project} for {side}.").format(
                name=esc(name), project=esc(project.name), side=side_display(tr, side)), ()))
        if invite.kind != "partner" or side.organisation:
            self.present_next(scope)

    def organisation_for_side(self, text: str | None) -> None:
        scope = self.scope(self.state.get("project"))
        self.clear_state()
        if scope is None:
            self.no_project()
            return
        if text:
            self.uow.update_side(scope.side.id, organisation=" ".join(text.split())[:200])
            scope = Scope(scope.project, self.uow.side(scope.side.id) or scope.side)
        self.present_next(scope)

    def cmd_projects(self) -> None:
        t = self.t
        memberships = list(self.uow.memberships(self.person.id))
        if not memberships:
            self.no_project()
            return
        lines = [t.gettext("<b>Dine projekter</b>")]
        rows = []
        for project, side in memberships:
            marker = "▶ " if project.id == self.person.current_project_id else ""
            status = t.gettext(" (afsluttet)") if project.closed_at else ""
            lines.append(f"{marker}{esc(project.name)} – {side_display(t, side)}{status}")
            if project.id != self.person.current_project_id:
                rows.append([self.button(t.gettext("Skift til {project}").format(project=project.name[:40]), cb.SWITCH, project.id)])
        rows.append([self.button(t.gettext("➕ Start et projekt"), cb.NEW_PROJECT)])
        self.say("\n".join(lines), rows)

    def switch(self, scope: Scope) -> None:
        self.uow.update_person(self.person.id, current_project_id=scope.project.id)
        self.person = self.uow.person(self.person.id) or self.person
        self.clear_state()
        self.say(self.t.gettext("Du arbejder nu i <b>{project}</b>.").format(project=esc(scope.project.name)))
        self.present_next(scope)

    def cmd_link(self, token: str) -> None:
        t = self.t
        if not self.in_group:
            self.say(t.gettext("Brug /link i jeres teamgruppe for at knytte den til jeres team."))
            return
        invite = self.uow.invite(token) if token and TOKEN_PATTERN.match(token) else None
        if invite is None or invite.revoked_at is not None or invite.expires_at <= self.now:
            self.say(t.gettext("Den kode virker ikke (ukendt, udløbet eller trukket tilbage). Hent en ny med /invite i en privat chat med mig."))
            return
        project = self.uow.project(invite.project_id)
        side = next((s for s in self.uow.sides(invite.project_id) if s.role == invite.role), None)
        if project is None or side is None:
            self.say(t.gettext("Den kode virker ikke (ukendt, udløbet eller trukket tilbage). Hent en ny med /invite i en privat chat med mig."))
            return
        if not self.is_member(side):
            self.say(t.gettext("Kun medlemmer af {side} kan knytte en gruppe til teamet. Deltag først via invitationen i en privat chat med mig.").format(
                side=side_display(t, side)))
            return
        self.uow.update_side(side.id, group_chat=self.inp.chat.id, group_locale=self.person.locale)
        self.say(t.gettext("✅ Denne gruppe er nu teamchat for {side} i {project}. Jeg stiller spørgsmålene her – svar ved at svare på mine beskeder.").format(
            side=side_display(t, side), project=esc(project.name)))
        self.present_next(Scope(project, self.uow.side(side.id) or side))

    # ---- language and settings ---------------------------------------------------------

    def cmd_language(self) -> None:
        t = self.t
        buttons = [self.button(self.engine.catalogs.language_name(loc).capitalize(), cb.LANGUAGE, None, loc)
                   for loc in self.engine.catalogs.locales]
        self.say(t.gettext("Vælg sprog:"), [buttons[i:i + 3] for i in range(0, len(buttons), 3)])

    def set_language(self, locale: str | None) -> None:
        if locale not in self.engine.catalogs.locales:
            self.stale_button()
            return
        self.uow.update_person(self.person.id, locale=locale)
        self.person = self.uow.person(self.person.id) or self.person
        self.t = self.translator_for(self.person)
        if self.in_group:
            side = self.uow.side_by_group_chat(self.inp.chat.id)
            if side is not None and self.is_member(side):
                self.uow.update_side(side.id, group_locale=locale)
        self.say(self.t.gettext("Sproget er nu dansk."))

    def cmd_settings(self) -> None:
        scope = self.scope()
        if scope is None:
            self.no_project()
            return
        t = self.t
        member = self.membership(scope)
        project = self.uow.project(scope.project.id) or scope.project
        person = self.uow.person(self.person.id) or self.person
        on, off = t.gettext("slået til"), t.gettext("slået fra")
        lines = [
            t.gettext("<b>Indstillinger for {project}</b>").format(project=esc(project.name)),
            t.gettext("Besked når den anden organisation har svaret: {state}").format(state=off if member.muted else on),
            t.gettext("Påmindelser til dig, når I har ubesvarede spørgsmål: {state}").format(
                state=on if person.reminders and not member.paused else off),
            t.gettext("Projektets påmindelser: efter {first} dage uden aktivitet, så hver {repeat}. dag, højst {max} i træk.").format(
                first=project.reminder_days, repeat=project.reminder_repeat_days, max=project.reminder_max),
            t.gettext("Påmindelser sendes på hverdage kl. 9–16, tidszone {zone}.").format(
                zone=zone_of(person, person.locale).key),
        ]
        pid = project.id
        buttons = [
            [self.button(t.gettext("🔔 Slå beskeder til") if member.muted else t.gettext("🔕 Slå beskeder fra"), cb.MUTE, pid)],
            [self.button(t.gettext("⏰ Slå påmindelser til") if not person.reminders or member.paused
                         else t.gettext("🔕 Ingen påmindelser"), cb.NO_REMINDERS, pid)],
            [self.button(t.gettext("{days} dage").format(days=days), cb.REMINDER_DAYS, pid, str(days))
             for days in REMINDER_DAY_CHOICES if days != project.reminder_days],
        ]
        self.say("\n".join(lines), buttons)

    def membership(self, scope: Scope) -> MemberRecord:
        return next(m for m in self.uow.members(scope.side.id) if m.person_id == self.person.id)

    def toggle_mute(self, scope: Scope) -> None:
        member = self.membership(scope)
        self.uow.update_member(scope.side.id, self.person.id, muted=not member.muted)
        self.cmd_settings()

    def toggle_reminders(self, scope: Scope) -> None:
        member = self.membership(scope)
        enable = not self.person.reminders or member.paused
        self.uow.update_person(self.person.id, reminders=enable)
        if member.paused and enable:
            self.uow.update_member(scope.side.id, self.person.id, paused=False)
        self.person = self.uow.person(self.person.id) or self.person
        self.cmd_settings()

    def set_reminder_days(self, scope: Scope, days: str | None) -> None:
        if days is None or not days.isdigit() or int(days) not in REMINDER_DAY_CHOICES:
            self.stale_button()
            return
        self.uow.update_project(scope.project.id, reminder_days=int(days))
        self.cmd_settings()

    # ---- the next question ---------------------------------------------------------------

    def cmd_continue(self) -> None:
        scope = self.scope()
        if scope is None:
            self.no_project()
            return
        self.clear_state()
        self.resume(scope)
        self.present_next(scope, with_intro=True)

    def cmd_pause(self) -> None:
        """Stop asking and reminding this person in the current project until they continue."""
        self.clear_state()
        scope = self.scope()
        if scope is not None and not self.in_group:
            self.uow.update_member(scope.side.id, self.person.id, paused=True)
        self.say(self.t.gettext("⏸ Pause. Alt er gemt, og jeg sender dig ikke påmindelser. Skriv /continue, når du vil fortsætte."))

    def resume(self, scope: Scope) -> None:
        """Any work in a project ends this person's pause there."""
        if not self.in_group and self.membership(scope).paused:
            self.uow.update_member(scope.side.id, self.person.id, paused=False)

    def present_next(self, scope: Scope, with_intro: bool = False) -> None:
        """Show what the side should do now: the next question, or what it is waiting for."""
        t = self.t
        progress = self.refresh(scope.project)
        if scope.project.closed_at is not None:
            self.say(t.gettext("Projektet {project} er afsluttet. I kan stadig læse svarene med /mine, /theirs og /summary.").format(
                project=esc(scope.project.name)))
            return
        for phase in progress.outdated_phases():
            self.ask_signoff_message(scope, progress, phase, outdated=True)
        phase = progress.current_phase()
        if phase is None:
            self.say(t.gettext("🎉 Alle faser er gennemført og aftalt. Godt arbejde! Se det hele med /summary."))
            return
        view = progress.view(scope.role)
        question = next_question(phase, scope.role, view.answers)
        if question is None:
            self.waiting_message(scope, progress, phase)
            return
        self.show_question(scope, progress, phase, question, with_intro=with_intro)

    def show_question(self, scope: Scope, progress: ProjectProgress, phase: Phase, question: Question,
                      with_intro: bool = False, editing: bool = False) -> None:
        t = self.t
        view = progress.view(scope.role)
        tool = self.guide.tool(question.tool_id)
        own_questions = [q for q in tool.questions_for(scope.role) if applies(q, view.answers)]
        first_in_tool = own_questions and own_questions[0].key == question.key
        if not editing and (with_intro or first_in_tool):
            if question.key == phase.questions_for(scope.role)[0].key:
                self.say(phase_intro(t, phase, scope.role))
            self.say(tool_intro(t, phase, tool, scope.role))
        text = question_text(t, phase, question, scope.role, view.answers)
        current = view.answers.get(question.key)
        if editing:
            shown = answer_value(t, question, current) if current else t.gettext("<i>Ikke besvaret endnu</i>")
            text = t.gettext("✏️ Ret svaret. Nuværende svar: {answer}").format(answer=shown) + "\n\n" + text
        pid = scope.project.id
        ref = cb.question_ref(question.key)
        rows: list[list[Button]] = []
        if question.kind in ("choice", "yes_no"):
            rows.extend([self.button(g(t, o.label), cb.ANSWER, pid, ref, o.id)] for o in question.choices())
        elif question.kind == "scale":
            rows.append([self.button(str(n), cb.ANSWER, pid, ref, str(n)) for n in range(1, 6)])
        rows.append([self.button(t.gettext("Ikke relevant for os"), cb.SKIP, pid, ref, "n"),
                     self.button(t.gettext("Senere"), cb.SKIP, pid, ref, "l")])
        nav = [self.button(t.gettext("◀ Tilbage"), cb.BACK, pid), self.button(t.gettext("⏸ Pause"), cb.PAUSE, pid)]
        if self.other_has_answers(progress, scope.role, tool):
            nav.append(self.button(t.gettext("👀 Deres svar"), cb.THEIRS, pid, tool.id))
        rows.append(nav)
        typed = question.kind in ("text", "amount", "date")
        if self.in_group and typed:
            text += "\n\n" + t.gettext("<i>Svar ved at svare på denne besked. /skip springer over, /back går tilbage.</i>")
            self.say(text, force_reply=True)
            return
        self.say(text, rows)

    def other_has_answers(self, progress: ProjectProgress, role: str, tool: Tool) -> bool:
        other = progress.view(other_side(role))  # type: ignore[arg-type]
        return any(q.key in other.answers for q in tool.questions)

    def waiting_message(self, scope: Scope, progress: ProjectProgress, phase: Phase) -> None:
        t = self.t
        if not progress.both_finished(phase):
            self.say(t.gettext("✅ I har besvaret alle spørgsmål i {phase}. Vi venter på {other}. Jeg giver besked, når de er klar.").format(
                phase=phase_heading(t, phase), other=side_reference(t, progress.view(other_side(scope.role)).side)),
                [[self.button(t.gettext("📋 Jeres svar"), cb.MINE, scope.project.id)]])
            return
        self.ask_signoff_message(scope, progress, phase)

    def ask_signoff_message(self, scope: Scope, progress: ProjectProgress, phase: Phase, outdated: bool = False) -> None:
        signoffs = list(self.uow.signoffs(scope.project.id, phase.id))
        latest = progress.latest_signoffs(signoffs, phase.id).get(scope.side.id)
        current = progress.revision_ids(phase)
        if latest is not None and latest.verdict == AGREE and tuple(sorted(latest.revision_ids)) == current:
            self.say(self.t.gettext("I har godkendt {phase}. Vi venter på, at {other} også godkender.").format(
                phase=phase_heading(self.t, phase), other=side_reference(self.t, progress.view(other_side(scope.role)).side)))
            return
        text, buttons = self.signoff_request(self.t, scope.project, progress, phase, signoffs, outdated)
        self.say(text, buttons)

    def signoff_request(self, t: Translator, project: ProjectRecord, progress: ProjectProgress, phase: Phase,
                        signoffs: list, outdated: bool) -> tuple[str, tuple]:
        intro = (t.gettext("⚠️ Et svar i {phase} er ændret, efter I havde aftalt fasen. Bekræft venligst aftalen igen.")
                 if outdated else t.gettext("Begge organisationer har svaret på alle spørgsmål i {phase}. Læs opsummeringen, og tag stilling."))
        summary = phase_summary(t, progress, phase, signoffs, self.names(signoffs))
        buttons = ((Button(t.gettext("✅ Vi er enige"), cb.encode(cb.SIGNOFF, project.id, phase.id, "a")),
                    Button(t.gettext("✏️ Vi ønsker ændringer"), cb.encode(cb.SIGNOFF, project.id, phase.id, "c"))),)
        return intro.format(phase=phase_heading(t, phase)) + "\n\n" + summary, buttons

    def names(self, signoffs: Iterable) -> dict[int, str]:
        result = {}
        for s in signoffs:
            if s.person_id is not None and s.person_id not in result:
                person = self.uow.person(s.person_id)
                if person is not None:
                    result[s.person_id] = person.name
        return result

    # ---- answering -----------------------------------------------------------------------

    def on_text(self, event: TextInput) -> None:
        mode = self.state.get("mode")
        if mode in ("new_name", "new_side", "new_org"):
            self.new_project_step(event.text)
            return
        if mode == "org_for_side":
            self.organisation_for_side(event.text)
            return
        if self.in_group and not self.inp.replied_to_bot and not mode:
            return  # ordinary group conversation that is not addressed to the bot
        scope = self.scope(self.state.get("project"))
        if scope is None:
            self.clear_state()
            self.no_project()
            return
        if scope.project.closed_at is not None:
            self.present_next(scope)
            return
        progress = self.progress(scope.project)
        if mode == "change_note":
            self.request_changes(scope, progress, self.state.get("phase", ""), event.text)
            return
        question = self.pending_question(scope, progress)
        if question is None:
            self.present_next(scope)
            return
        if mode == "follow_up":
            self.save_follow_up(scope, progress, question, event)
        elif mode == "add":
            self.add_to_answer(scope, progress, question, event)
        else:
            self.answer_typed(scope, progress, question, event)

    def pending_question(self, scope: Scope, progress: ProjectProgress) -> Question | None:
        """The question the next answer is for: one being edited, or the side's next one."""
        key = self.state.get("question")
        if key and self.guide.has_question(key) and self.state.get("project") == scope.project.id:
            return self.guide.question(key)
        phase = progress.current_phase()
        if phase is None:
            return None
        return next_question(phase, scope.role, progress.view(scope.role).answers)

    def answer_typed(self, scope: Scope, progress: ProjectProgress, question: Question, event: TextInput) -> None:
        t = self.t
        text = event.text.strip()
        value: dict[str, Any]
        try:
            if question.kind == "text":
                if not text and not event.attachments:
                    self.say(t.gettext("Svaret er tomt. Skriv en tekst eller send en fil."))
                    return
                if len(text) > MAX_ANSWER:
                    self.say(t.gettext("Svaret er for langt ({length} tegn). Del det op i flere svar med ➕ Tilføj, højst {max} tegn ad gangen.").format(
                        length=t.number(len(text)), max=t.number(MAX_ANSWER)))
                    return
                value = {"text": text} if text else {}
                if event.attachments:
                    value["attachments"] = [attachment_value(a) for a in event.attachments]
            elif question.kind in ("choice", "yes_no"):
                choice = match_choice(question, text, t.gettext)
                if choice is None:
                    self.say(t.gettext("Vælg et af svarene med knapperne."))
                    self.show_question(scope, progress, self.guide.phase(question.phase_id), question, editing=self.is_editing())
                    return
                self.save_choice(scope, progress, question, choice)
                return
            elif question.kind == "scale":
                value = {"scale": parse_scale(text)}
            elif question.kind == "amount":
                amount, currency = parse_amount(text, t.locale)
                value = {"amount": str(amount), "currency": currency}
            else:
                value = {"date": parse_date(text).isoformat()}
        except InvalidValue:
            self.say(self.invalid_message(question))
            return
        self.save(scope, progress, question, ANSWERED, value)

    def invalid_message(self, question: Question) -> str:
        t = self.t
        if question.kind == "scale":
            return t.gettext("Svar med et tal fra 1 til 5.")
        if question.kind == "amount":
            return t.gettext("Det kunne jeg ikke læse som et beløb. Skriv fx 250.000 DKK eller 1 500 000 NOK.")
        return t.gettext("Det kunne jeg ikke læse som en dato. Skriv fx 31-12-2026 eller 2026-12-31.")

    def is_editing(self) -> bool:
        return self.state.get("mode") == "edit"

    def save_choice(self, scope: Scope, progress: ProjectProgress, question: Question, choice: str) -> None:
        """Save a choice; with a follow-up question, keep the choice pending until it is answered."""
        if question.kind == "scale" and not question.follow_up:
            self.save(scope, progress, question, ANSWERED, {"scale": int(choice)})
            return
        if not question.follow_up:
            self.save(scope, progress, question, ANSWERED, {"choice": choice})
            return
        t = self.t
        self.set_state(mode="follow_up", project=scope.project.id, question=question.key, choice=choice,
                       editing=self.is_editing())
        option = question.option(choice)
        chosen = g(t, option.label) if option else esc(f"{choice}/5" if question.kind == "scale" else choice)
        self.say(t.gettext("Valgt: {choice}").format(choice=chosen) + f"\n\n<b>{g(t, question.follow_up)}</b>",
                 [[self.button(t.gettext("Spring over"), cb.SKIP_FOLLOW_UP, scope.project.id, cb.question_ref(question.key))]],
                 force_reply=self.in_group)

    def save_follow_up(self, scope: Scope, progress: ProjectProgress, question: Question, event: TextInput | None) -> None:
        chosen = str(self.state.get("choice"))
        value: dict[str, Any] = {"scale": int(chosen)} if question.kind == "scale" else {"choice": chosen}
        if event is not None and event.text.strip():
            value["text"] = event.text.strip()[:MAX_ANSWER]
        if event is not None and event.attachments:
            value["attachments"] = [attachment_value(a) for a in event.attachments]
        self.save(scope, progress, question, ANSWERED, value)

    def add_to_answer(self, scope: Scope, progress: ProjectProgress, question: Question, event: TextInput) -> None:
        current = progress.view(scope.role).answers.get(question.key)
        value = dict(current.value) if current and current.status == ANSWERED else {}
        addition = event.text.strip()
        if addition:
            value["text"] = (value.get("text", "") + "\n\n" + addition).strip()[:MAX_ANSWER * 2]
        if event.attachments:
            value["attachments"] = list(value.get("attachments", [])) + [attachment_value(a) for a in event.attachments]
        self.clear_state()
        self.save(scope, progress, question, ANSWERED, value)

    def save(self, scope: Scope, progress: ProjectProgress, question: Question, status: str,
             value: dict[str, Any]) -> None:
        """Store a new revision, confirm it, tell the others what it changed, and move on."""
        t = self.t
        role = scope.role
        phase = self.guide.phase(question.phase_id)
        before = progress
        was_finished_tool = self.tool_finished(before, role, question.tool_id)
        was_finished_phase = before.finished(phase, role)
        agreement = before.agreement(phase.id)
        was_outdated = agreement is not None and before.is_outdated(agreement)
        if self.inp.message_ref and status == ANSWERED and isinstance(self.inp.event, TextInput):
            value = {**value, "ref": self.inp.message_ref}
        after = self.add_answer(scope, question, status, value)
        self.clear_state()
        self.resume(scope)
        confirmations = {ANSWERED: t.gettext("✓ Gemt."), NOT_RELEVANT: t.gettext("✓ Markeret som ikke relevant for jer."),
                         LATER: t.gettext("✓ Sprunget over. Spørgsmålet står som åbent punkt, til I vender tilbage.")}
        self.say(confirmations[status])
        self.after_change(scope, after, phase, question, was_finished_tool, was_finished_phase, was_outdated)
        self.present_next(scope)

    def tool_finished(self, progress: ProjectProgress, role: str, tool_id: str) -> bool:
        tool = self.guide.tool(tool_id)
        answers = progress.view(role).answers
        return all(q.key in answers for q in tool.questions_for(role) if applies(q, answers))  # type: ignore[arg-type]

    def after_change(self, scope: Scope, progress: ProjectProgress, phase: Phase, question: Question,
                     was_finished_tool: bool, was_finished_phase: bool, was_outdated: bool) -> None:
        """Notifications the change causes for the other side (and teammates)."""
        role = scope.role
        other = progress.view(other_side(role)).side
        own = scope.side
        project = scope.project
        agreement = progress.agreement(phase.id)
        if agreement is not None and progress.is_outdated(agreement) and not was_outdated:
            signoffs = list(self.uow.signoffs(project.id, phase.id))
            for side in (other, own):
                self.notify(side, lambda tr: self.signoff_request(tr, project, progress, phase, signoffs, True))
            return
        if question.decision:
            answer = progress.view(role).answers.get(question.key)
            option = question.option(str(answer.value.get("choice"))) if answer and answer.status == ANSWERED else None
            if option is not None:
                self.notify(other, lambda tr: (tr.gettext("🧭 {side} har truffet en beslutning i {project}: «{question}» – {choice}").format(
                    side=side_display(tr, own), project=esc(project.name), question=g(tr, question.text),
                    choice=g(tr, option.label)),
                    ((Button(tr.gettext("👀 Se deres svar"), cb.encode(cb.THEIRS, project.id, question.tool_id)),),)),
                    kind="decision")
        current = progress.current_phase()
        if current is None or current.id != phase.id:
            return
        tool = self.guide.tool(question.tool_id)
        if not was_finished_tool and self.tool_finished(progress, role, tool.id):
            self.notify_batched(other, "tools_done", tool.id, lambda tr, ids: self.tools_done_nudge(tr, own, project, ids))
        if not was_finished_phase and progress.finished(phase, role) and progress.both_finished(phase):
            signoffs = list(self.uow.signoffs(project.id, phase.id))
            for side in (other, own):
                self.notify(side, lambda tr: self.signoff_request(tr, project, progress, phase, signoffs, False))

    def tools_done_nudge(self, t: Translator, side: SideRecord, project: ProjectRecord,
                         tool_ids: list[str]) -> tuple[str, tuple]:
        """"The other side has answered tool X (and Y)", with a button per tool to read those answers."""
        tools = [self.guide.tool(tool_id) for tool_id in tool_ids]
        names = t.join([f"«{g(t, tool.title)}»" for tool in tools])
        text = t.ngettext("📬 {side} har besvaret værktøjet {tools} i {project}.",
                          "📬 {side} har besvaret værktøjerne {tools} i {project}.", len(tools)).format(
            side=side_display(t, side), tools=names, project=esc(project.name))
        buttons = tuple((Button(t.gettext("👀 {tool}").format(tool=g(t, tool.title))[:60],
                                cb.encode(cb.THEIRS, project.id, tool.id)),) for tool in tools[-6:])
        return text, buttons

    def skip(self, scope: Scope, question: Question, how: str) -> None:
        progress = self.progress(scope.project)
        if not self.answerable(scope, progress, question):
            self.stale_button()
            return
        self.save(scope, progress, question, NOT_RELEVANT if how == "n" else LATER, {})

    def cmd_skip(self, ref: str | None, status: str) -> None:
        scope = self.scope(self.state.get("project"))
        if scope is None:
            self.no_project()
            return
        progress = self.progress(scope.project)
        question = self.pending_question(scope, progress)
        if question is None:
            self.present_next(scope)
            return
        if self.state.get("mode") == "follow_up":
            self.save_follow_up(scope, progress, question, None)
            return
        self.save(scope, progress, question, status, {})

    def cmd_back(self, project_id: int | None) -> None:
        scope = self.scope(project_id)
        if scope is None:
            self.no_project()
            return
        progress = self.progress(scope.project)
        phase = progress.current_phase()
        if phase is None:
            self.present_next(scope)
            return
        answers = progress.view(scope.role).answers
        key = self.state.get("question")
        current = self.guide.question(key) if key and self.guide.has_question(key) else next_question(phase, scope.role, answers)
        if current is not None and current.phase_id != phase.id:
            current = None
        previous = previous_question(phase, scope.role, answers, current)
        if previous is None:
            self.say(self.t.gettext("Dette er det første spørgsmål i fasen."))
            if current is not None:
                self.show_question(scope, progress, phase, current, editing=self.is_editing())
            return
        self.start_edit(scope, progress, previous)

    def start_edit(self, scope: Scope, progress: ProjectProgress, question: Question) -> None:
        self.set_state(mode="edit", project=scope.project.id, question=question.key)
        self.show_question(scope, progress, self.guide.phase(question.phase_id), question, editing=True)

    def answerable(self, scope: Scope, progress: ProjectProgress, question: Question) -> bool:
        """A button for this question still applies: it is the next one, or the one being edited."""
        if scope.role not in question.sides or scope.project.closed_at is not None:
            return False
        if self.state.get("question") == question.key and self.state.get("project") == scope.project.id:
            return True
        phase = progress.current_phase()
        return phase is not None and next_question(phase, scope.role, progress.view(scope.role).answers) == question

    def editable(self, scope: Scope, progress: ProjectProgress, question: Question) -> bool:
        if scope.role not in question.sides or scope.project.closed_at is not None:
            return False
        tool = self.guide.tool(question.tool_id)
        return progress.reached(scope.role, tool) and applies(question, progress.view(scope.role).answers)

    # ---- reading answers -----------------------------------------------------------------

    def cmd_answers(self, which: str, tool_id: str | None = None, project_id: int | None = None) -> None:
        scope = self.scope(project_id)
        if scope is None:
            self.no_project()
            return
        t = self.t
        progress = self.progress(scope.project)
        verb = {"mine": cb.MINE, "theirs": cb.THEIRS, "compare": cb.COMPARE}[which]
        if tool_id is None or not self.guide.has_tool(tool_id):
            rows = []
            for phase in progress.phases():
                for tool in phase.tools:
                    if progress.reached(scope.role, tool):
                        rows.append([self.button(f"{t.gettext(phase.title)} · {t.gettext(tool.title)}", verb, scope.project.id, tool.id)])
            titles = {"mine": t.gettext("Jeres svar – vælg et værktøj:"),
                      "theirs": t.gettext("Den anden organisations svar – vælg et værktøj:"),
                      "compare": t.gettext("Sammenlign svarene – vælg et værktøj:")}
            if not rows:
                self.say(t.gettext("Der er ingen svar at vise endnu."))
                return
            self.say(titles[which], rows)
            return
        tool = self.guide.tool(tool_id)
        if not progress.reached(scope.role, tool):
            self.notice = t.gettext("I er ikke nået til det værktøj endnu.")
            self.say(self.notice)
            return
        if which == "compare":
            self.say(compare_tool(t, progress, tool, preview=False), documents=self.charts(progress, [tool]))
            return
        role = scope.role if which == "mine" else other_side(scope.role)
        view = progress.view(role)
        authors = self.authors(view.side)
        header = side_display(t, view.side)
        text = f"<u>{header}</u>\n" + answers_of_tool(t, tool, role, view.answers, authors)  # type: ignore[arg-type]
        attachments = tuple(
            Attachment(a.get("kind", "document"), a["file_id"], a.get("name"))
            for q in tool.questions_for(role)  # type: ignore[arg-type]
            if (ans := view.answers.get(q.key)) is not None
            for a in ans.value.get("attachments", [])
        )
        rows: list[list[Button]] = []
        if which == "mine" and scope.project.closed_at is None:
            for q in tool.questions_for(scope.role):
                if applies(q, view.answers):
                    label = t.gettext("✏️ {question}").format(question=short(t.gettext(q.text), 40))
                    rows.append([self.button(label, cb.EDIT, scope.project.id, cb.question_ref(q.key))])
                    if (ans := view.answers.get(q.key)) is not None and ans.status == ANSWERED and q.kind == "text":
                        rows[-1].append(self.button(t.gettext("➕ Tilføj"), cb.ADD, scope.project.id, cb.question_ref(q.key)))
        self.say(text, rows, attachments=attachments)

    def authors(self, side: SideRecord) -> dict[int, str]:
        result = {}
        for member in self.uow.members(side.id):
            person = self.uow.person(member.person_id)
            if person is not None:
                result[person.id] = person.name
        return result

    def cmd_summary(self, phase_id: str | None, project_id: int | None = None) -> None:
        scope = self.scope(project_id)
        if scope is None:
            self.no_project()
            return
        t = self.t
        progress = self.progress(scope.project)
        phases = progress.phases()
        current = progress.current_phase()
        if phase_id is None:
            phase = current or phases[-1]
        elif self.guide.has_phase(phase_id):
            phase = self.guide.phase(phase_id)
        else:
            self.stale_button()
            return
        signoffs = list(self.uow.signoffs(scope.project.id, phase.id))
        self.say(phase_summary(t, progress, phase, signoffs, self.names(signoffs)),
                 [[self.button(t.gettext("🔍 {tool} – hele svarene").format(tool=g(t, tool.title))[:60], cb.COMPARE,
                               scope.project.id, tool.id)] for tool in phase.tools if progress.reached(scope.role, tool)],
                 documents=self.charts(progress, list(phase.tools)))
        others = [p for p in phases if p.id != phase.id and (current is None or p.number <= current.number)]
        if others:
            self.say(t.gettext("Andre faser:"), [[self.button(t.gettext(p.title), cb.SUMMARY, scope.project.id, p.id) for p in others]])

    # ---- sign-off ------------------------------------------------------------------------

    def signoff(self, scope: Scope, phase_id: str | None, verdict: str | None) -> None:
        t = self.t
        if phase_id is None or not self.guide.has_phase(phase_id) or verdict not in ("a", "c"):
            self.stale_button()
            return
        progress = self.progress(scope.project)
        phase = self.guide.phase(phase_id)
        if scope.project.closed_at is not None or not progress.both_finished(phase):
            self.stale_button()
            return
        agreement = progress.agreement(phase.id)
        if agreement is not None and not progress.is_outdated(agreement):
            self.notice = t.gettext("Fasen er allerede aftalt.")
            self.say(self.notice)
            return
        if verdict == "c":
            self.set_state(mode="change_note", project=scope.project.id, phase=phase.id)
            self.say(t.gettext("Hvad ønsker I ændret? Skriv en kort note til den anden organisation."))
            return
        revisions = progress.revision_ids(phase)
        self.uow.add_signoff(scope.project.id, phase.id, scope.side.id, self.person.id, AGREE, None, revisions, self.now)
        signoffs = list(self.uow.signoffs(scope.project.id, phase.id))
        other = progress.view(other_side(scope.role)).side
        own = scope.side
        if not progress.agreed_now(signoffs, phase):
            self.say(t.gettext("✅ I har godkendt {phase}. Vi venter på {other}.").format(
                phase=phase_heading(t, phase), other=side_reference(t, other)))
            self.notify(other, lambda tr: (tr.gettext("✅ {side} har godkendt {phase}. Nu mangler jeres stillingtagen.").format(
                side=side_display(tr, own), phase=phase_heading(tr, phase)),
                ((Button(tr.gettext("📄 Se opsummering"), cb.encode(cb.SUMMARY, scope.project.id, phase.id)),),)))
            self.notify(own, lambda tr: (tr.gettext("✅ {name} har godkendt {phase} for jer.").format(
                name=esc(self.person.name), phase=phase_heading(tr, phase)), ()))
            return
        latest = progress.latest_signoffs(signoffs, phase.id)
        self.uow.add_agreement(scope.project.id, phase.id, revisions, tuple(s.id for s in latest.values()), self.now)
        progress = self.refresh(scope.project)
        project = scope.project
        if phase.id == "check" and progress.no_go():
            self.uow.update_project(project.id, closed_at=self.now, closed_reason="no_go")
            progress = self.refresh(project)
            final = list(self.uow.signoffs(project.id, phase.id))
            for side in (own, other):
                self.notify(side, lambda tr: self.closing_message(tr, progress, phase, final), include_self=not self.in_group)
            if self.in_group:
                text, _ = self.closing_message(t, progress, phase, final)
                self.say(text)
            return
        for side in (own, other):
            self.notify(side, lambda tr: self.agreed_message(tr, progress, phase), include_self=False)
        text, buttons = self.agreed_message(t, progress, phase)
        self.say(text, buttons)

    def agreed_message(self, t: Translator, progress: ProjectProgress, phase: Phase) -> tuple[str, tuple]:
        nxt = progress.current_phase()
        lines = [t.gettext("🤝 Begge organisationer har aftalt {phase}.").format(phase=phase_heading(t, phase))]
        if phase.id == "test" and progress.adapt_skipped():
            lines.append(t.gettext("I har begge valgt at kopiere løsningen, som den er, så fasen Tilpas springes over."))
        if nxt is None:
            lines.append(t.gettext("🎉 Alle faser er gennemført. Se det hele med /summary."))
            return "\n".join(lines), ()
        lines.append(t.gettext("Næste fase: {phase}.").format(phase=phase_heading(t, nxt)))
        return "\n".join(lines), ((Button(t.gettext("▶ Fortsæt"), cb.encode(cb.CONTINUE, progress.project.id)),),)

    def closing_message(self, t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list) -> tuple[str, tuple]:
        text = t.gettext("🛑 I har aftalt ikke at gå videre. Projektet {project} er afsluttet efter fasen Tjek. Tak for samarbejdet.").format(
            project=esc(progress.project.name))
        return text + "\n\n" + phase_summary(t, progress, phase, signoffs, self.names(signoffs)), ()

    def request_changes(self, scope: Scope, progress: ProjectProgress, phase_id: str, note: str) -> None:
        t = self.t
        note = note.strip()
        if not self.guide.has_phase(phase_id):
            self.clear_state()
            self.present_next(scope)
            return
        if not note:
            self.say(t.gettext("Skriv en kort note om, hvad I ønsker ændret."))
            return
        phase = self.guide.phase(phase_id)
        self.clear_state()
        self.uow.add_signoff(scope.project.id, phase.id, scope.side.id, self.person.id, CHANGES, note[:2000],
                             progress.revision_ids(phase), self.now)
        other = progress.view(other_side(scope.role)).side
        own = scope.side
        self.say(t.gettext("✓ Jeres ønske om ændringer er sendt. I kan rette jeres egne svar med /mine."))
        self.notify(other, lambda tr: (tr.gettext("✏️ {side} ønsker ændringer i {phase}:\n«{note}»\nRet jeres svar med /mine, og godkend derefter igen.").format(
            side=side_display(tr, own), phase=phase_heading(tr, phase), note=esc(note[:2000])),
            ((Button(tr.gettext("📋 Jeres svar"), cb.encode(cb.MINE, scope.project.id)),
              Button(tr.gettext("✅ Vi er enige"), cb.encode(cb.SIGNOFF, scope.project.id, phase.id, "a"))),)))

    # ---- buttons -------------------------------------------------------------------------

    def stale_button(self) -> None:
        self.notice = self.t.gettext("Den knap gælder ikke længere.")
        self.say(self.t.gettext("Den knap gælder ikke længere. Skriv /continue for at komme videre."))

    def on_button(self, raw: str) -> None:
        data = cb.decode(raw)
        if data is None:
            self.stale_button()
            return
        if data.verb == cb.NEW_PROJECT:
            self.start_new_project()
            return
        if data.verb == cb.JOIN_HELP:
            self.say(self.t.gettext("Tryk på det invitationslink, I har fået, eller send /join og koden fra invitationen."))
            return
        if data.verb == cb.CHOOSE_SIDE:
            self.choose_side(data.arg(0))
            return
        if data.verb == cb.SKIP_ORGANISATION:
            if self.state.get("mode") == "new_org":
                self.create_project(self.state["name"], self.state["side"], None)
            elif self.state.get("mode") == "org_for_side":
                self.organisation_for_side(None)
            else:
                self.stale_button()
            return
        if data.verb == cb.LANGUAGE:
            self.set_language(data.arg(0))
            return
        if data.verb == cb.FORGET and not self.in_group:
            self.forget()
            return
        scope = self.scope(data.project_id) if data.project_id is not None else None
        if scope is None:
            self.notice = self.t.gettext("Den knap hører til et projekt, du ikke er med i.")
            self.say(self.notice)
            return
        self.on_project_button(scope, data)

    def on_project_button(self, scope: Scope, data: cb.Data) -> None:
        verb = data.verb
        pid = scope.project.id
        if verb in (cb.ANSWER, cb.SKIP, cb.EDIT, cb.ADD, cb.SKIP_FOLLOW_UP):
            question = self.engine.questions_by_ref.get(data.arg(0) or "")
            if question is None:
                self.stale_button()
                return
            self.on_question_button(scope, data, question)
        elif verb == cb.BACK:
            self.cmd_back(pid)
        elif verb == cb.PAUSE:
            self.cmd_pause()
        elif verb == cb.CONTINUE:
            self.clear_state()
            self.resume(scope)
            if self.person.current_project_id != pid and not self.in_group:
                self.uow.update_person(self.person.id, current_project_id=pid)
            self.present_next(scope, with_intro=True)
        elif verb in (cb.THEIRS, cb.MINE, cb.COMPARE):
            which = {cb.THEIRS: "theirs", cb.MINE: "mine", cb.COMPARE: "compare"}[verb]
            self.cmd_answers(which, data.arg(0), pid)
        elif verb == cb.SIGNOFF:
            self.signoff(scope, data.arg(0), data.arg(1))
        elif verb == cb.SWITCH:
            self.switch(scope)
        elif verb == cb.MUTE:
            self.toggle_mute(scope)
        elif verb == cb.DELETE_PROJECT:
            self.delete_project(scope)
        elif verb == cb.NO_REMINDERS:
            self.toggle_reminders(scope)
        elif verb == cb.REMINDER_DAYS:
            self.set_reminder_days(scope, data.arg(0))
        elif verb == cb.REISSUE:
            self.reissue(scope)
        elif verb == cb.SUMMARY:
            self.cmd_summary(data.arg(0), pid)
        else:
            self.stale_button()

    def on_question_button(self, scope: Scope, data: cb.Data, question: Question) -> None:
        progress = self.progress(scope.project)
        if data.verb == cb.EDIT:
            if not self.editable(scope, progress, question):
                self.stale_button()
                return
            self.start_edit(scope, progress, question)
        elif data.verb == cb.ADD:
            if not self.editable(scope, progress, question):
                self.stale_button()
                return
            self.set_state(mode="add", project=scope.project.id, question=question.key)
            self.say(self.t.gettext("Skriv det, I vil tilføje til svaret på: <b>{question}</b>").format(question=g(self.t, question.text)))
        elif data.verb == cb.SKIP_FOLLOW_UP:
            if self.state.get("mode") != "follow_up" or self.state.get("question") != question.key:
                self.stale_button()
                return
            self.save_follow_up(scope, progress, question, None)
        elif data.verb == cb.SKIP:
            self.skip(scope, question, data.arg(1) or "l")
        else:
            option = data.arg(1) or ""
            valid = {o.id for o in question.choices()} | ({"1", "2", "3", "4", "5"} if question.kind == "scale" else set())
            if option not in valid or not self.answerable(scope, progress, question):
                self.stale_button()
                return
            self.save_choice(scope, progress, question, option)


def move_group_chat(uow: UnitOfWork, old_chat: str, new_chat: str) -> None:
    """A team group got a new id (became a supergroup): keep its link to the side."""
    side = uow.side_by_group_chat(old_chat)
    if side is not None:
        uow.update_side(side.id, group_chat=new_chat)


def leave_group(uow: UnitOfWork, chat: str, event: LeftGroupInput) -> None:
    """Leaving a side's team group means leaving the team: no more reading its project's answers.
    When the bot itself is removed, the group is no longer the team's chat."""
    side = uow.side_by_group_chat(chat)
    if side is None:
        return
    if event.is_bot:
        uow.update_side(side.id, group_chat=None)
        return
    person = uow.person_by_external_id(event.member.external_id)
    if person is not None:
        uow.remove_member(side.id, person.id)


def attachment_value(attachment: Attachment) -> dict[str, Any]:
    return {"kind": attachment.kind, "file_id": attachment.file_id, "name": attachment.name, "size": attachment.size}


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
