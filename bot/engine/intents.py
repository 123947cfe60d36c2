"""What a person means: one frozen dataclass per thing they can do, whatever the channel.

A button carries an intent (`bot.engine.callbacks` encodes it in at most 64 bytes); a command, typed
text or an edited message becomes one in `bot.engine.understand`; the web page builds one per form.
The router hands each intent type to its feature. Intents that act in a project name it
(`project_id`) and act only for a member of that project (`IN_PROJECT`).

Fields after `project_id` are the intent's arguments as short strings, in the order a button
carries them (question references are `callbacks.question_ref` digests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from bot.engine.model import Attachment

# `Skip.how`
LATER = "l"
NOT_RELEVANT = "n"
# `SignOff.verdict`
AGREE = "a"
CHANGES = "c"
# `LaterChoice.choice`
ANSWER_NOW = "a"
LEAVE_OPEN = "o"
YES = "y"


@dataclass(frozen=True)
class Intent:
    """Something a person means to do."""

    verb: ClassVar[str] = ""  # the button verb (empty: never a button)


# ---- what is not a button --------------------------------------------------------------------

@dataclass(frozen=True)
class Typed(Intent):
    """Text (and files) a person typed: an answer, a note or a name, depending on where they are."""

    text: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Command(Intent):
    """A slash command with what follows it."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class EditedMessage(Intent):
    """A person edited a message they sent earlier (the input's `message_ref` names it)."""

    text: str


@dataclass(frozen=True)
class Unreadable(Intent):
    """Button data that decodes to nothing we make: an old or forged button."""

    data: str


@dataclass(frozen=True)
class GiveAnswer(Intent):
    """A whole answer to one question at once, as the web page's form gives it: a typed value or a
    choice (with its follow-up text, if the choice asks one), or "later" / "not relevant"."""

    project_id: int
    question: str  # the question's reference
    text: str = ""
    choice: str | None = None
    skip: str | None = None  # LATER or NOT_RELEVANT instead of an answer
    attachments: tuple[Attachment, ...] = ()


# ---- buttons outside a project -----------------------------------------------------------------

@dataclass(frozen=True)
class NewProject(Intent):
    verb: ClassVar[str] = "n"


@dataclass(frozen=True)
class JoinHelp(Intent):
    verb: ClassVar[str] = "j"


@dataclass(frozen=True)
class ChooseSide(Intent):
    verb: ClassVar[str] = "cs"
    side: str | None = None


@dataclass(frozen=True)
class SkipOrganisation(Intent):
    """No organisation name for now (a new project's creator, or a side just joined)."""

    verb: ClassVar[str] = "so"
    project_id: int | None = None


@dataclass(frozen=True)
class SetLanguage(Intent):
    verb: ClassVar[str] = "l"
    locale: str | None = None


@dataclass(frozen=True)
class ForgetMe(Intent):
    verb: ClassVar[str] = "fg"


@dataclass(frozen=True)
class ShowProjects(Intent):
    verb: ClassVar[str] = "pj"
    page: str | None = None


# ---- buttons in a project ------------------------------------------------------------------------

@dataclass(frozen=True)
class InProject(Intent):
    """An intent that acts in a project, for its members only."""

    project_id: int


@dataclass(frozen=True)
class Choose(InProject):
    """An option of a choice, or a number on a scale."""

    verb: ClassVar[str] = "a"
    question: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class Skip(InProject):
    verb: ClassVar[str] = "k"
    question: str | None = None
    how: str | None = None  # LATER or NOT_RELEVANT


@dataclass(frozen=True)
class Edit(InProject):
    verb: ClassVar[str] = "e"
    question: str | None = None


@dataclass(frozen=True)
class AddTo(InProject):
    verb: ClassVar[str] = "d"
    question: str | None = None


@dataclass(frozen=True)
class SkipFollowUp(InProject):
    verb: ClassVar[str] = "sf"
    question: str | None = None


@dataclass(frozen=True)
class PlaceDraft(InProject):
    """Where typed text waiting for its place goes (see `features.placing`)."""

    verb: ClassVar[str] = "df"
    question: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class LaterChoice(InProject):
    """Answer the questions left for later now, or leave them open."""

    verb: ClassVar[str] = "lt"
    phase: str | None = None
    choice: str | None = None  # ANSWER_NOW or LEAVE_OPEN


@dataclass(frozen=True)
class ToSignoff(InProject):
    verb: ClassVar[str] = "ts"
    phase: str | None = None


@dataclass(frozen=True)
class Back(InProject):
    verb: ClassVar[str] = "b"


@dataclass(frozen=True)
class Pause(InProject):
    verb: ClassVar[str] = "p"


@dataclass(frozen=True)
class Continue(InProject):
    verb: ClassVar[str] = "c"


@dataclass(frozen=True)
class ShowTheirs(InProject):
    verb: ClassVar[str] = "t"
    tool: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class ShowMine(InProject):
    verb: ClassVar[str] = "m"
    tool: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class Compare(InProject):
    verb: ClassVar[str] = "v"
    tool: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class ShowSummary(InProject):
    verb: ClassVar[str] = "s"
    phase: str | None = None


@dataclass(frozen=True)
class SignOff(InProject):
    """"We agree" or "we want changes" on a phase; the web page gives the note with it."""

    verb: ClassVar[str] = "g"
    phase: str | None = None
    verdict: str | None = None  # AGREE or CHANGES
    version: str | None = None  # the answers the card showed (`render.card.card_version`): an older card's
    # press shows the card as it is now, and records nothing
    confirmed: str | None = None  # YES once told that agreeing closes the project
    note: str | None = field(default=None, metadata={"button": False})  # the chat asks for it next


@dataclass(frozen=True)
class SwitchProject(InProject):
    verb: ClassVar[str] = "sw"


@dataclass(frozen=True)
class ShowTeam(InProject):
    verb: ClassVar[str] = "tm"


@dataclass(frozen=True)
class RemoveMember(InProject):
    verb: ClassVar[str] = "rm"
    person: str | None = None
    confirmed: str | None = None  # YES once asked "are you sure?"


@dataclass(frozen=True)
class ReissueInvites(InProject):
    verb: ClassVar[str] = "ri"
    which: str | None = None


@dataclass(frozen=True)
class DeleteProject(InProject):
    verb: ClassVar[str] = "dp"


@dataclass(frozen=True)
class ToggleMute(InProject):
    verb: ClassVar[str] = "mu"


@dataclass(frozen=True)
class ToggleReminders(InProject):
    verb: ClassVar[str] = "nr"


@dataclass(frozen=True)
class SetReminderDays(InProject):
    verb: ClassVar[str] = "rd"
    days: str | None = None


@dataclass(frozen=True)
class SetNotifyWhere(InProject):
    verb: ClassVar[str] = "nw"
    where: str | None = None


@dataclass(frozen=True)
class PickReading(InProject):
    """Which of two readings of a typed amount or date was meant (`recording.reading_args`)."""

    verb: ClassVar[str] = "pr"
    question: str | None = None
    first: str | None = None  # an amount in hundredths, or a date as YYYYMMDD
    second: str | None = None  # the amount's currency


@dataclass(frozen=True)
class Undo(InProject):
    """Take back the answer revision `answer` to `question`, just given here (`features.undoing`)."""

    verb: ClassVar[str] = "un"
    question: str | None = None
    answer: str | None = None


@dataclass(frozen=True)
class SetCurrency(InProject):
    """The currency of the person's organisation (None: show the choices); `then` "n": go on with the
    next question (just after the organisation was named), else back to /settings."""

    verb: ClassVar[str] = "cu"
    currency: str | None = None
    then: str | None = None


@dataclass(frozen=True)
class SetToldBy(Intent):
    """Where the person is told of what others do: "chat", "mail" or "both" (`records.CHAT` …)."""

    verb: ClassVar[str] = "tb"
    by: str | None = None


@dataclass(frozen=True)
class RemoveEmail(Intent):
    verb: ClassVar[str] = "re"


@dataclass(frozen=True)
class WebLink(InProject):
    verb: ClassVar[str] = "wb"


BUTTONS: tuple[type[Intent], ...] = (
    NewProject, JoinHelp, ChooseSide, SkipOrganisation, SetLanguage, ForgetMe, ShowProjects,
    Choose, Skip, Edit, AddTo, SkipFollowUp, PlaceDraft, LaterChoice, ToSignoff, Back, Pause, Continue,
    ShowTheirs, ShowMine, Compare, ShowSummary, SignOff, SwitchProject, ShowTeam, RemoveMember,
    ReissueInvites, DeleteProject, ToggleMute, ToggleReminders, SetReminderDays, SetNotifyWhere,
    SetCurrency, PickReading, WebLink, Undo, SetToldBy, RemoveEmail,
)
