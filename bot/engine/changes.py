"""What changed in a phase since a card showed it.

Each answer stored after the card's revision, with the one it replaced (read from the answers' history)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.engine.progress import ProjectProgress
from bot.engine.records import AnswerRecord
from bot.guide.model import SIDES, Phase, Question, Side


class _History(Protocol):
    def history(self, side_id: int, question_key: str) -> Sequence[AnswerRecord]: ...


class AnswerHistory(Protocol):
    """The read changes are made of (a `UnitOfWork` provides it)."""

    @property
    def answers(self) -> _History: ...


@dataclass(frozen=True)
class Change:
    """A side's answer to a question, `before` (None: not answered then) and `after`."""

    role: Side
    question: Question
    before: AnswerRecord | None
    after: AnswerRecord


def changes_since(uow: AnswerHistory, progress: ProjectProgress, phase: Phase, since: int) -> list[Change]:
    """The phase's answers stored after revision `since` (a card's `version_basis`), in guide order."""
    found = []
    for role in SIDES:
        view = progress.stored.get(role)
        if view is None:
            continue
        for question in phase.questions_for(role):
            after = view.answers.get(question.key)
            if after is None or after.id <= since:
                continue
            older = [a for a in uow.answers.history(view.side.id, question.key) if a.id <= since]
            found.append(Change(role, question, older[-1] if older else None, after))
    return found
