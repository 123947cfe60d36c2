"""What changed in a phase since a card showed it: each answer stored after the card's revision,
with the one it replaced (read from the answers' history)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.ports import UnitOfWork
from bot.engine.progress import ProjectProgress
from bot.engine.records import AnswerRecord
from bot.guide.model import SIDES, Phase, Question, Side


@dataclass(frozen=True)
class Change:
    """A side's answer to a question, `before` (None: not answered then) and `after`."""

    role: Side
    question: Question
    before: AnswerRecord | None
    after: AnswerRecord


def changes_since(uow: UnitOfWork, progress: ProjectProgress, phase: Phase, since: int) -> list[Change]:
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
