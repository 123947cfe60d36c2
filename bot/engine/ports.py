"""What the engine needs from outside: a unit of work over storage, and documents it cannot draw.

The engine never imports SQLAlchemy, Pillow or fpdf2: `storage.unit_of_work` implements `UnitOfWork`;
`bot.export.files` implements `DocumentMaker`. The records they pass are in `bot.engine.records`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.engine.model import Document, SentTopic, Topic
from bot.engine.progress import ProjectProgress
from bot.engine.records import (
    AgreementRecord,
    AnswerRecord,
    ChatStateRecord,
    InviteRecord,
    MemberRecord,
    OutboxRecord,
    PersonRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
    UploadRecord,
)
from bot.guide.model import Tool
from bot.i18n import Translator


@dataclass(frozen=True)
class Links:
    """How invite tokens become links people can tap (the transport knows its own URLs), and a
    member's personal link to the project's web page (None: no web page is served)."""

    invite: Callable[[str], str] = lambda token: f"/join {token}"
    group: Callable[[str], str | None] = lambda token: None
    # (person id, project id, when the person joined the side) -> the signed personal link
    web: Callable[[int, int, dt.datetime], str | None] = lambda person, project, joined: None
    web_days: int = 14  # how long a personal link works
    # project id -> the page Telegram opens as a Mini App (it signs the person in with initData)
    mini_app: Callable[[int], str | None] = lambda project: None
    # invite token -> the page where someone without Telegram joins by that invite (None: no web page)
    web_invite: Callable[[str], str | None] = lambda token: None
    web_served: bool = False  # the project's web page is served (its links are personal: see /web)
    mail: bool = False  # the bot sends mail (and serves the page that confirms an address)
    # (person id, address) -> the link that confirms the address, and the one that unsubscribes it
    confirm_mail: Callable[[int, str], str | None] = lambda person, address: None
    unsubscribe_mail: Callable[[int, str], str | None] = lambda person, address: None


class Inputs(Protocol):
    """Claimed input keys and the replies kept with them: a redelivered input is answered again."""

    def claim(self, key: str | None, chat: str, sender: str, at: dt.datetime) -> bool:
        """Claim the input's key (after `lock_chat`): False when it was processed before (see
        `kept_reply`); the claim is stored at commit. Storage may read ahead here what a turn reads
        next: the sender (an external id), their state in `chat`, the project the chat is about."""
    def keep_reply(self, key: str, person_id: int | None, reply: dict[str, Any]) -> None:
        """Keep the reply to a claimed input with its key (not in a unit of work that deleted a
        person or a project: its reply names them)."""
    def kept_reply(self, key: str) -> dict[str, Any] | None: ...
    def forget(self, before: dt.datetime, limit: int) -> int:
        """Delete up to `limit` input keys claimed before `before`; returns how many."""


class People(Protocol):
    """People, by id and by their transport's external id."""

    def by_external_id(self, external_id: str) -> PersonRecord | None: ...
    def get(self, person_id: int) -> PersonRecord | None: ...
    def add(
        self, external_id: str, name: str, locale: str | None, private_chat: str | None, at: dt.datetime
    ) -> PersonRecord: ...
    def update(self, person_id: int, **changes: Any) -> None: ...
    def delete(self, person_id: int) -> None: ...


class Projects(Protocol):
    """Projects and their sides."""

    def add(self, name: str, created_by: int, at: dt.datetime) -> ProjectRecord: ...
    def get(self, project_id: int) -> ProjectRecord | None: ...
    def update(self, project_id: int, **changes: Any) -> None: ...
    def delete(self, project_id: int) -> None: ...
    def add_side(self, project_id: int, role: str, organisation: str | None) -> SideRecord: ...
    def sides(self, project_id: int) -> Sequence[SideRecord]: ...
    def side(self, side_id: int) -> SideRecord | None: ...
    def side_by_group_chat(self, chat: str) -> SideRecord | None: ...
    def update_side(self, side_id: int, **changes: Any) -> None: ...


class Members(Protocol):
    """Membership: who is on which side of which project."""

    def add(self, side_id: int, person_id: int, at: dt.datetime) -> None: ...
    def remove(self, side_id: int, person_id: int) -> None: ...
    def of_side(self, side_id: int) -> Sequence[MemberRecord]: ...
    def memberships(self, person_id: int) -> Sequence[tuple[ProjectRecord, SideRecord]]: ...
    def membership(self, person_id: int, project_id: int) -> tuple[ProjectRecord, SideRecord] | None:
        """The project and the person's side in it, if they are a member."""
    def update(self, side_id: int, person_id: int, **changes: Any) -> None: ...


class Answers(Protocol):
    """Answers: revisions are only ever added."""

    def add(
        self,
        side_id: int,
        question_key: str,
        status: str,
        value: dict[str, Any],
        author_id: int | None,
        at: dt.datetime,
    ) -> AnswerRecord: ...
    def latest(self, side_id: int) -> dict[str, AnswerRecord]: ...
    def history(self, side_id: int, question_key: str) -> Sequence[AnswerRecord]: ...
    def last_activity(self, side_id: int) -> dt.datetime | None: ...


class Signoffs(Protocol):
    """Sign-offs of a phase by each side, and the agreements they make."""

    def add(
        self,
        project_id: int,
        phase_id: str,
        side_id: int,
        person_id: int,
        verdict: str,
        note: str | None,
        revision_ids: tuple[int, ...],
        at: dt.datetime,
    ) -> SignoffRecord: ...
    def of_phase(self, project_id: int, phase_id: str) -> Sequence[SignoffRecord]: ...
    def add_agreement(
        self,
        project_id: int,
        phase_id: str,
        revision_ids: tuple[int, ...],
        signoff_ids: tuple[int, ...],
        at: dt.datetime,
    ) -> AgreementRecord: ...
    def agreements(self, project_id: int) -> Sequence[AgreementRecord]: ...


class Invites(Protocol):
    """Invites, and the invite codes that did not work for someone."""

    def add(self, invite: InviteRecord) -> None: ...
    def get(self, token: str) -> InviteRecord | None: ...
    def of_project(self, project_id: int) -> Sequence[InviteRecord]: ...
    def revoke(self, token: str, at: dt.datetime) -> None: ...
    def add_failure(self, person_id: int, at: dt.datetime, forget_before: dt.datetime) -> None:
        """An invite code that did not work for this person (their failures before `forget_before` go)."""
    def failures(self, person_id: int, since: dt.datetime) -> Sequence[dt.datetime]: ...
    def forget_failures(self, before: dt.datetime) -> int: ...


class Outbox(Protocol):
    """Outbox: nudges and reminders, sent by a worker after commit."""

    def add(
        self,
        chat: str,
        person_id: int | None,
        project_id: int | None,
        side_id: int | None,
        kind: str,
        payload: dict[str, Any],
        due_at: dt.datetime,
        at: dt.datetime,
        debounce_key: str | None = None,
        answer_id: int | None = None,
    ) -> OutboxRecord: ...
    def has(self, key_prefix: str) -> bool: ...
    def caused_by(self, answer_id: int) -> Sequence[OutboxRecord]:
        """The messages that tell of this answer revision's change, pending or settled."""
    def take_back(self, outbox_id: int, now: dt.datetime) -> bool:
        """Withdraw a message not yet sent, nor being sent (claimed by a worker): whether it was."""
    def drop_pending(self, project_id: int, kinds: Sequence[str]) -> int: ...
    def pending(self, debounce_key: str, now: dt.datetime, kind: str | None = None) -> OutboxRecord | None: ...
    def withdraw(self, key_prefix: str, kind: str) -> int: ...
    def update(self, outbox_id: int, **changes: Any) -> None: ...
    def settle(self, outbox_id: int, state: str, at: dt.datetime, error: str | None = None) -> None:
        """Sent or failed for good: the row keeps what it was about, not its text (names, answers)."""
    def forget(self, before: dt.datetime, limit: int, counted_kind: str) -> int:
        """Delete up to `limit` settled rows created before `before`, except rows of `counted_kind`
        (reminders) newer than their side's latest activity; returns how many."""
    def claim(self, now: dt.datetime, limit: int, lease_until: dt.datetime,
              mail: bool | None = None) -> Sequence[OutboxRecord]:
        """Due rows, leased until `lease_until`: mails only (`mail=True`: chat "mail:…"), chat
        messages only (False), or both."""
    def for_side(self, side_id: int, kind: str, since: dt.datetime) -> Sequence[OutboxRecord]: ...
    def idle_sides(
        self, idle_since: dt.datetime, active_since: dt.datetime | None = None
    ) -> Sequence[tuple[ProjectRecord, SideRecord, dt.datetime]]: ...
    def project_changed_at(self, project_id: int) -> dt.datetime | None:
        """When the project last got an answer, a member or an agreement (None: never)."""
    def mark_reminders_checked(self, side_id: int, changed_at: dt.datetime) -> None:
        """The scan found nothing to remind the side of in the project as of `changed_at`:
        `idle_sides` leaves the side out until the project changes again."""


class Chats(Protocol):
    """Per-chat conversation state, and the questions sent in which message."""

    def add_sent_questions(self, sent: Sequence[SentTopic], at: dt.datetime) -> None: ...
    def sent_question(self, chat: str, message_ref: str) -> Topic | None: ...
    def forget_sent_questions(self, before: dt.datetime) -> int: ...
    def state(self, person_id: int, chat: str) -> ChatStateRecord: ...
    def set_state(self, person_id: int, chat: str, pending: dict[str, Any]) -> None: ...


class Uploads(Protocol):
    """The web page: files given there, and when each person last opened it."""

    def add(self, project_id: int, name: str, mime: str, data: bytes, at: dt.datetime) -> int: ...
    def get(self, upload_id: int) -> UploadRecord | None: ...
    def web_visit(self, person_id: int, project_id: int, at: dt.datetime) -> dt.datetime | None:
        """When the person last opened the project's page (None: never); from now on, `at`."""


class UnitOfWork(Protocol):
    """One transaction: everything is rolled back unless `commit()` is called. Reads and writes go
    through its repositories; each keeps what it read current across its own writes."""

    # The repositories (read-only: a repository's own type may be narrower)
    @property
    def inputs(self) -> Inputs: ...
    @property
    def people(self) -> People: ...
    @property
    def projects(self) -> Projects: ...
    @property
    def members(self) -> Members: ...
    @property
    def answers(self) -> Answers: ...
    @property
    def signoffs(self) -> Signoffs: ...
    @property
    def invites(self) -> Invites: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def chats(self) -> Chats: ...
    @property
    def uploads(self) -> Uploads: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

    def lock_chat(self, chat: str) -> None:
        """Inputs of one chat are handled one at a time, also by several processes on one database."""
    def lock_project(self, project_id: int) -> None:
        """What a turn decides about a project (a sign-off, a phase both sides finished) is decided one
        turn at a time, also from two chats at once; what was read of it before is read again."""
    @property
    def writes(self) -> int:
        """Counts the writes (of answers, projects, sides, members, sign-offs, agreements) that change
        what a project's progress shows: a progress read at one count is current while it holds."""


class DocumentMaker(Protocol):
    """Pictures and files the engine sends but does not draw itself."""

    def profile_chart(self, t: Translator, progress: ProjectProgress, tool: Tool) -> bytes | None:
        """Both sides' readiness profile as a PNG, or None until one side has rated something."""

    def project_files(self, t: Translator, progress: ProjectProgress, signoffs: list[SignoffRecord],
                      names: dict[int, str], now: dt.datetime, zone: str) -> tuple[Document, ...]:
        """The whole project as files to send (a PDF and a Markdown file)."""
