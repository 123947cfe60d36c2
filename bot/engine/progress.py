"""Where a project stands, derived only from stored answers and agreements (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.engine.records import (
    AGREE,
    ANSWERED,
    LATER,
    NOT_RELEVANT,
    UNANSWERED,
    AgreementRecord,
    AnswerRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
)
from bot.guide.model import Guide, Phase, Question, Side, Tool, other_side

ADAPT_PHASE = "adapt"
CHECK_PHASE = "check"  # where a no-go, once agreed, closes the project


def applies(question: Question, answers: dict[str, AnswerRecord]) -> bool:
    """Whether a question is asked, given the side's answers (its `when` condition)."""
    if question.when is None:
        return True
    earlier = answers.get(question.when.question)
    if earlier is None or earlier.status != ANSWERED:
        return False
    return str(earlier.value.get("choice")) in question.when.values


def side_questions(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> list[Question]:
    """The questions a side is asked in a phase, in order."""
    return [q for q in phase.questions_for(role) if applies(q, answers)]


def open_questions(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> list[Question]:
    """Questions without an answer or a skip yet."""
    return [q for q in side_questions(phase, role, answers) if q.key not in answers]


def later_questions(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> list[Question]:
    """Questions the side left for later (open points)."""
    return [q for q in side_questions(phase, role, answers) if q.key in answers and answers[q.key].status == LATER]


def open_decisions(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> list[Question]:
    """Decisions of the phase the side has not taken yet."""
    return [q for q in side_questions(phase, role, answers)
            if q.decision and (q.key not in answers or answers[q.key].status != ANSWERED)]


@dataclass(frozen=True)
class Tally:
    """How a side's questions in a phase stand: answered, answered "not relevant", and still open
    (put off, or not reached)."""

    answered: int
    not_relevant: int
    open: int


def tally(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> Tally:
    statuses = [answers[q.key].status if q.key in answers else None for q in side_questions(phase, role, answers)]
    answered = statuses.count(ANSWERED)
    not_relevant = statuses.count(NOT_RELEVANT)
    return Tally(answered, not_relevant, len(statuses) - answered - not_relevant)


def next_question(phase: Phase, role: Side, answers: dict[str, AnswerRecord]) -> Question | None:
    remaining = open_questions(phase, role, answers)
    return remaining[0] if remaining else None


def previous_question(
    phase: Phase, role: Side, answers: dict[str, AnswerRecord], current: Question | None
) -> Question | None:
    """The question before `current` (or the last one when the side has finished the phase)."""
    asked = side_questions(phase, role, answers)
    if current is None:
        return asked[-1] if asked else None
    keys = [q.key for q in asked]
    index = keys.index(current.key) if current.key in keys else len(keys)
    return asked[index - 1] if index > 0 else None


def position(
    phase: Phase, question: Question, role: Side, answers: dict[str, AnswerRecord]
) -> tuple[int, int, int, int]:
    """(tool number, tools in phase, question number in tool, questions in tool), 1-based."""
    tool_index = next(i for i, t in enumerate(phase.tools) if t.id == question.tool_id)
    tool = phase.tools[tool_index]
    asked = [q for q in tool.questions_for(role) if applies(q, answers)]
    keys = [q.key for q in asked]
    number = keys.index(question.key) + 1 if question.key in keys else 1
    return tool_index + 1, len(phase.tools), number, max(len(asked), 1)


@dataclass
class SideView:
    side: SideRecord
    answers: dict[str, AnswerRecord]

    @property
    def role(self) -> Side:
        return self.side.role


@dataclass
class ProjectProgress:
    """A project's state: both sides' latest answers, sign-offs and agreements."""

    guide: Guide
    project: ProjectRecord
    sides: dict[Side, SideView]
    agreements: list[AgreementRecord]
    # Set by `for_reader`: who reads, and every answer (where the project stands is derived from them).
    reader: Side | None = None
    everything: dict[Side, SideView] | None = field(default=None, repr=False)

    @property
    def stored(self) -> dict[Side, SideView]:
        """Both sides with every latest answer, also those hidden from a reader."""
        return self.everything if self.everything is not None else self.sides

    def view(self, role: Side) -> SideView:
        return self.sides[role]

    def for_reader(self, reader: Side) -> ProjectProgress:
        """What a member of `reader`'s side may read: the one rule of every reading path (summary,
        comparison, chart, export, /theirs; SECURITY.md, "reached tools only"). Their own side's
        answers, and the other side's only in tools `reader` has reached. Phases, agreements and
        whether they are outdated are still derived from every answer."""
        full = self.stored
        unreached = {q.key for phase in self.guide.phases for tool in phase.tools if not self.reached(reader, tool)
                     for q in tool.questions}
        sides = {role: view if role == reader else
                 SideView(view.side, {k: a for k, a in view.answers.items() if k not in unreached})
                 for role, view in full.items()}
        return replace(self, sides=sides, reader=reader, everything=full)

    def hidden(self, role: Side, item: Tool | Question) -> bool:
        """Whether `role`'s answers to a tool (or a question's tool) are kept from this reader."""
        if self.reader is None or role == self.reader:
            return False
        tool = item if isinstance(item, Tool) else self.guide.tool(item.tool_id)
        return not self.reached(self.reader, tool)

    def with_answer(self, answer: AnswerRecord) -> ProjectProgress:
        """This progress after `answer` was stored (a new object; this one is left as it was)."""
        sides = dict(self.stored)
        for role, view in self.stored.items():
            if view.side.id == answer.side_id:
                side = replace(view.side, last_activity_at=answer.created_at)
                answers = {**view.answers, answer.question_key: answer}
                if answer.status == UNANSWERED:  # an undo of the first answer: not answered
                    answers.pop(answer.question_key)
                sides[role] = SideView(side, answers)
        updated = replace(self, sides=sides, reader=None, everything=None)
        return updated.for_reader(self.reader) if self.reader is not None else updated

    def decision(self, role: Side, decision: str) -> str | None:
        question = self.guide.decision_question(decision)
        if question is None:
            return None
        answer = self.stored[role].answers.get(question.key)
        if answer is None or answer.status != ANSWERED:
            return None
        return answer.value.get("choice")

    def adapt_skipped(self) -> bool:
        """Both sides chose to adopt the solution as it is: Tilpas is skipped."""
        return all(self.decision(role, "adopt_or_adapt") == "adopt" for role in self.sides)

    def phases(self) -> list[Phase]:
        """The phases this project goes through."""
        skip = self.adapt_skipped()
        return [p for p in self.guide.phases if not (skip and p.id == ADAPT_PHASE)]

    def agreement(self, phase_id: str) -> AgreementRecord | None:
        found = [a for a in self.agreements if a.phase_id == phase_id]
        return found[-1] if found else None

    def revision_ids(self, phase: Phase) -> tuple[int, ...]:
        """The answer revisions (both sides) a sign-off of this phase covers."""
        keys = {q.key for t in phase.tools for q in t.questions}
        ids = [a.id for view in self.stored.values() for k, a in view.answers.items() if k in keys]
        return tuple(sorted(ids))

    def is_outdated(self, agreement: AgreementRecord) -> bool:
        return tuple(sorted(agreement.revision_ids)) != self.revision_ids(self.guide.phase(agreement.phase_id))

    def current_phase(self) -> Phase | None:
        """The first phase without an agreement; None when every phase is agreed."""
        for phase in self.phases():
            if self.agreement(phase.id) is None:
                return phase
        return None

    def outdated_phases(self) -> list[Phase]:
        """Agreed phases whose answers changed since: both sides must confirm again."""
        result = []
        for phase in self.phases():
            agreement = self.agreement(phase.id)
            if agreement is not None and self.is_outdated(agreement):
                result.append(phase)
        return result

    def finished(self, phase: Phase, role: Side) -> bool:
        return not open_questions(phase, role, self.stored[role].answers)

    def both_finished(self, phase: Phase) -> bool:
        return all(self.finished(phase, role) for role in self.sides)

    def blocking_decisions(self, phase: Phase, role: Side) -> list[Question]:
        """Decisions the side must take before it can sign off the phase (none once either side
        has decided to stop: then the project ends with the phase)."""
        return [] if self.no_go() else open_decisions(phase, role, self.sides[role].answers)

    def no_go(self) -> bool:
        return any(self.decision(role, "go_no_go") == "no_go" for role in self.sides)

    def reached(self, role: Side, tool: Tool) -> bool:
        """Whether a side has got as far as a tool (so it may read the other side's answers there)."""
        phases = self.phases()
        phase_ids = [p.id for p in phases]
        if tool.phase_id not in phase_ids:
            return False
        current = self.current_phase()
        if current is None:
            return True
        tool_phase_index = phase_ids.index(tool.phase_id)
        current_index = phase_ids.index(current.id)
        if tool_phase_index != current_index:
            return tool_phase_index < current_index
        upcoming = next_question(current, role, self.stored[role].answers)
        if upcoming is None:
            return True
        tool_ids = [t.id for t in current.tools]
        return tool_ids.index(tool.id) <= tool_ids.index(upcoming.tool_id)

    def latest_signoffs(self, signoffs: list[SignoffRecord], phase_id: str) -> dict[int, SignoffRecord]:
        """Each side's newest sign-off of a phase, by side id."""
        result: dict[int, SignoffRecord] = {}
        for signoff in signoffs:
            if signoff.phase_id == phase_id:
                result[signoff.side_id] = signoff
        return result

    def agreed_now(self, signoffs: list[SignoffRecord], phase: Phase) -> bool:
        """Both sides' newest sign-offs agree and cover exactly the current answers."""
        latest = self.latest_signoffs(signoffs, phase.id)
        current = self.revision_ids(phase)
        return len(latest) == len(self.sides) and all(agrees_to(s, current) for s in latest.values())




def agreeing_closes(progress: ProjectProgress, signoffs: list[SignoffRecord], phase: Phase, role: Side) -> bool:
    """`role` agreeing now would close the project: a no-go in Tjek the other side already agreed."""
    if phase.id != CHECK_PHASE or not progress.no_go() or len(progress.sides) < 2:
        return False
    theirs = progress.latest_signoffs(signoffs, phase.id).get(progress.sides[other_side(role)].side.id)
    return theirs is not None and agrees_to(theirs, progress.revision_ids(phase))


def agrees_to(signoff: SignoffRecord, revisions: tuple[int, ...]) -> bool:
    """The sign-off agrees exactly these answer revisions (a phase's, from `revision_ids`)."""
    return signoff.verdict == AGREE and tuple(sorted(signoff.revision_ids)) == revisions


class _Sides(Protocol):
    def sides(self, project_id: int) -> Sequence[SideRecord]: ...


class _LatestAnswers(Protocol):
    def latest(self, side_id: int) -> dict[str, AnswerRecord]: ...


class _Agreements(Protocol):
    def agreements(self, project_id: int) -> Sequence[AgreementRecord]: ...


class ProgressSource(Protocol):
    """The reads a project's progress is made of (a `UnitOfWork`'s repositories provide them)."""

    @property
    def projects(self) -> _Sides: ...
    @property
    def answers(self) -> _LatestAnswers: ...
    @property
    def signoffs(self) -> _Agreements: ...


def load_progress(guide: Guide, uow: ProgressSource, project: ProjectRecord) -> ProjectProgress:
    """A project's progress from its stored answers and agreements."""
    views = {s.role: SideView(s, uow.answers.latest(s.id)) for s in uow.projects.sides(project.id)}
    return ProjectProgress(guide, project, views, list(uow.signoffs.agreements(project.id)))
