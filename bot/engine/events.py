"""What a turn changed that others hear about: plain records, decided by the features.

A feature says what happened (`Turn.emit`); `bot.engine.announce` alone decides who is told and
how, by the rules of `bot.engine.audience`. Events carry what the notices show, read when they
happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.progress import ProjectProgress
from bot.engine.records import AnswerRecord, PersonRecord, ProjectRecord, SideRecord, SignoffRecord
from bot.guide.model import Option, Phase, Question


@dataclass(frozen=True)
class Event:
    """Something that happened in a project."""


@dataclass(frozen=True)
class MemberJoined(Event):
    """`name` joined `side`: both sides are told."""

    project: ProjectRecord
    side: SideRecord
    sides: tuple[SideRecord, ...]
    name: str


@dataclass(frozen=True)
class MemberRemoved(Event):
    """`by` removed `person` from `side`: the person is told, and both sides."""

    project: ProjectRecord
    side: SideRecord
    sides: tuple[SideRecord, ...]
    person: PersonRecord
    by: str


@dataclass(frozen=True)
class ProjectDeleted(Event):
    """The project is about to be deleted: everyone who hears about it is told, before it goes."""

    project: ProjectRecord
    sides: tuple[SideRecord, ...]
    by: str


@dataclass(frozen=True)
class DecisionTaken(Event):
    """`own` took a decision: the other side is told."""

    project: ProjectRecord
    own: SideRecord
    other: SideRecord
    question: Question
    option: Option


@dataclass(frozen=True)
class ToolFinished(Event):
    """`own` answered every question of a tool (batched: a session of answering is one nudge)."""

    project: ProjectRecord
    own: SideRecord
    other: SideRecord
    tool_id: str


@dataclass(frozen=True)
class AnswersChanged(Event):
    """An answer changed after both sides had the phase card (or had agreed the phase): everyone on
    `sides` but the editor gets the card again, headed with what changed since revision `since` (the
    newest answer their card showed). A burst of edits is one card."""

    progress: ProjectProgress
    phase: Phase
    sides: tuple[SideRecord, ...]
    since: int
    outdated: bool  # the phase was agreed: the agreement no longer counts


@dataclass(frozen=True)
class PhaseFinished(Event):
    """Both sides answered the phase (or an agreement was reached): nudges that say less than the
    phase card, and would arrive after it, are dropped."""

    project: ProjectRecord
    phase: Phase


@dataclass(frozen=True)
class PhaseCardDue(Event):
    """Everyone on `sides` gets the phase card with the sign-off buttons (again when `outdated`)."""

    progress: ProjectProgress
    phase: Phase
    sides: tuple[SideRecord, ...]
    outdated: bool


@dataclass(frozen=True)
class SideAgreed(Event):
    """`own` agreed a phase; the other side has yet to."""

    project: ProjectRecord
    phase: Phase
    own: SideRecord
    other: SideRecord
    name: str


@dataclass(frozen=True)
class PhaseAgreed(Event):
    """Both sides agreed a phase."""

    progress: ProjectProgress
    phase: Phase
    sides: tuple[SideRecord, ...]


@dataclass(frozen=True)
class ProjectClosed(Event):
    """Agreeing a no-go closed the project; the person who acted hears it too, unless in a group."""

    progress: ProjectProgress
    phase: Phase
    sides: tuple[SideRecord, ...]
    signoffs: tuple[SignoffRecord, ...]
    names: dict[int, str]
    include_self: bool


@dataclass(frozen=True)
class ChangesRequested(Event):
    """`own` wants changes before it agrees a phase: the other side reads the note."""

    project: ProjectRecord
    phase: Phase
    own: SideRecord
    other: SideRecord
    note: str
    version: str  # of the answers the note is about (the notice's "We agree" agrees those)


@dataclass(frozen=True)
class AnswerTakenBack(Event):
    """`name` of `own` undid `answer` to `question`; `restored` is what stands now (None: not
    answered). What the answer queued is withdrawn, or its readers are told once."""

    project: ProjectRecord
    own: SideRecord
    other: SideRecord | None
    question: Question
    answer: AnswerRecord
    restored: AnswerRecord | None
    name: str
