"""The guide as typed, immutable data: phases, tools, questions (no I/O here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from bot.i18n_marker import N_

Side = Literal["sharer", "reuser"]
SIDES: tuple[Side, Side] = ("sharer", "reuser")

Kind = Literal["text", "choice", "yes_no", "scale", "amount", "date"]
KINDS: tuple[str, ...] = ("text", "choice", "yes_no", "scale", "amount", "date")

DECISIONS: dict[str, tuple[str, ...]] = {
    "go_no_go": ("go", "no_go"),
    "adopt_or_adapt": ("adopt", "adapt"),
}


def other_side(side: Side) -> Side:
    """The partner organisation's side."""
    return "reuser" if side == "sharer" else "sharer"


@dataclass(frozen=True)
class Text:
    """A source (Danish) text and where it stands in the dialog files."""

    msgid: str
    file: str
    line: int
    path: str


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Ask a question only if an earlier answer of the same side is one of `values`."""

    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class Question:
    key: str
    id: str
    tool_id: str
    phase_id: str
    text: str
    sides: tuple[Side, ...]
    hints: tuple[str, ...] = ()
    kind: str = "text"
    options: tuple[Option, ...] = ()
    follow_up: str | None = None
    follow_up_for: frozenset[str] | None = None  # the choices the follow-up is asked after (None: all)
    low: str | None = None
    high: str | None = None
    when: Condition | None = None
    decision: str | None = None
    file: str = ""
    line: int = 0
    total: str | None = None  # amounts: "gross" or "net", summed per organisation

    @property
    def shared(self) -> bool:
        """Asked of both sides, so the answers can be compared."""
        return len(self.sides) == 2

    def follow_up_after(self, choice: str) -> str | None:
        """The follow-up question asked after this choice, if any."""
        if self.follow_up and (self.follow_up_for is None or choice in self.follow_up_for):
            return self.follow_up
        return None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.choices() if o.id == option_id), None)

    def choices(self) -> tuple[Option, ...]:
        """The buttons of a choice or yes/no question."""
        if self.kind == "yes_no":
            return (Option("yes", N_("Ja")), Option("no", N_("Nej")))
        return self.options


@dataclass(frozen=True)
class Tool:
    id: str
    phase_id: str
    title: str
    intro: str
    guidance: dict[str, tuple[str, ...]]
    questions: tuple[Question, ...]
    line: int = 0
    source: str = "spredningsguiden"  # or "meld_st_30": an addition from the Norwegian white paper
    profile: bool = False  # scale questions shown as both sides' profile, largest differences first
    benefits: str | None = None  # "plan" or "outcome": amounts totalled, plan shown against outcome

    @property
    def from_guide(self) -> bool:
        return self.source == "spredningsguiden"

    def questions_for(self, side: Side) -> tuple[Question, ...]:
        """The side's own questions first, then those asked of both sides (worked out once per side:
        every turn asks)."""
        return self._questions_by_side[side]

    @cached_property
    def _questions_by_side(self) -> dict[str, tuple[Question, ...]]:
        both = tuple(q for q in self.questions if q.shared)
        return {side: tuple(q for q in self.questions if q.sides == (side,)) + both for side in SIDES}


@dataclass(frozen=True)
class Phase:
    id: str
    number: int
    title: str
    purpose: str
    activities: dict[str, tuple[str, ...]]
    tools: tuple[Tool, ...]
    file: str = ""

    def questions_for(self, side: Side) -> tuple[Question, ...]:
        return tuple(q for t in self.tools for q in t.questions_for(side))


@dataclass(frozen=True)
class Guide:
    phases: tuple[Phase, ...]
    texts: tuple[Text, ...] = ()
    _questions: dict[str, Question] = field(default_factory=dict, repr=False)
    _tools: dict[str, Tool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for phase in self.phases:
            for tool in phase.tools:
                self._tools[tool.id] = tool
                for q in tool.questions:
                    self._questions[q.key] = q

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def has_phase(self, phase_id: str) -> bool:
        return any(p.id == phase_id for p in self.phases)

    def tool(self, tool_id: str) -> Tool:
        return self._tools[tool_id]

    def has_tool(self, tool_id: str) -> bool:
        return tool_id in self._tools

    def question(self, key: str) -> Question:
        return self._questions[key]

    def has_question(self, key: str) -> bool:
        return key in self._questions

    def phase_of_tool(self, tool_id: str) -> Phase:
        return self.phase(self._tools[tool_id].phase_id)

    def all_questions(self) -> Iterator[Question]:
        return iter(self._questions.values())

    def decision_question(self, decision: str) -> Question | None:
        return next((q for q in self._questions.values() if q.decision == decision), None)
