"""`SqlAnswers`: answer revisions (only ever added), each side's latest kept at the side's revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, func, select, update

from bot.engine.records import UNANSWERED, AnswerRecord
from storage.models import Answer, table
from storage.repositories import rows
from storage.repositories.memo import SIDES, Memo

_ANSWERS = table(Answer)
_SIDE_REVISION = select(SIDES.c.revision).where(SIDES.c.id == bindparam("side_id"))
_ADD_ANSWER = _ANSWERS.insert().returning(_ANSWERS.c.id)
_ANSWERED = (update(SIDES).where(SIDES.c.id == bindparam("side_id"))
             .values(last_activity_at=bindparam("at"), revision=SIDES.c.revision + 1).returning(SIDES.c.revision))


class SqlAnswers:
    """Answers by side: the latest of each question, or one question's every revision."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, side_id: int, question_key: str, status: str, value: dict[str, Any],
            author_id: int | None, at: dt.datetime) -> AnswerRecord:
        """Two statements: the answer, and the side's last activity and answer revision."""
        memo = self.memo
        memo.writes += 1
        answer_id = memo.run(_ADD_ANSWER, {
            "side_id": side_id, "question_key": question_key, "status": status, "value": value,
            "author_id": author_id, "created_at": at}).scalar_one()
        revision = memo.run(_ANSWERED, {"side_id": side_id, "at": at}).scalar_one()
        record = AnswerRecord(answer_id, side_id, question_key, status, dict(value), author_id, at)
        before = memo.side_revisions.get(side_id)
        memo.side_revisions[side_id] = revision
        project_id = memo.side_projects.get(side_id)
        if project_id is not None and project_id in memo.sides:
            memo.sides[project_id] = [replace(s, last_activity_at=at) if s.id == side_id else s
                                      for s in memo.sides[project_id]]
        read = memo.answers_read.pop(side_id, None)
        if read is not None and before is not None and read[0] == before and revision == before + 1:
            # The side's answers as read, and this one: the next turn finds them in the cache.
            answers = {**read[1], question_key: record}
            if status == UNANSWERED:
                answers.pop(question_key)
            memo.answers_read[side_id] = (revision, answers)
        return record

    def latest(self, side_id: int) -> dict[str, AnswerRecord]:
        memo = self.memo
        revision = memo.side_revisions.get(side_id)
        if revision is None:
            revision = memo.run(_SIDE_REVISION, {"side_id": side_id}).scalar()
            if revision is None:
                return {}
            memo.side_revisions[side_id] = revision
        read = memo.answers_read.get(side_id)
        if read is not None and read[0] == revision:
            return dict(read[1])
        answers = memo.cache.answers.get(side_id, revision)
        if answers is None:
            answers = self._read_latest(side_id)
        memo.answers_read[side_id] = (revision, answers)
        return dict(answers)

    def _read_latest(self, side_id: int) -> dict[str, AnswerRecord]:
        newest = (
            select(func.max(Answer.id)).where(Answer.side_id == side_id).group_by(Answer.question_key)
        ).scalar_subquery()
        # Columns, not entities: a project's answers are read on every turn, and rows are cheaper.
        found = self.memo.session.execute(select(*rows.ANSWER_COLUMNS).where(Answer.id.in_(newest)))
        return {row.question_key: rows.answer(row) for row in found if row.status != UNANSWERED}

    def history(self, side_id: int, question_key: str) -> Sequence[AnswerRecord]:
        found = self.memo.session.scalars(
            select(Answer).where(Answer.side_id == side_id, Answer.question_key == question_key).order_by(Answer.id)
        )
        return [rows.answer(row) for row in found]

    def last_activity(self, side_id: int) -> dt.datetime | None:
        return self.memo.session.scalar(select(func.max(Answer.created_at)).where(Answer.side_id == side_id))
