"""`SqlSignoffs`: each side's sign-off of a phase, and the agreements both sides' sign-offs make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import update

from bot.engine.records import AgreementRecord, SignoffRecord
from storage.models import Agreement, Project, Signoff
from storage.repositories import rows
from storage.repositories.memo import Memo


class SqlSignoffs:
    """Sign-offs and agreements, read with their project's parts (see `Memo.project_parts`)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, project_id: int, phase_id: str, side_id: int, person_id: int, verdict: str,
            note: str | None, revision_ids: tuple[int, ...], at: dt.datetime) -> SignoffRecord:
        self.memo.touch(project_id)
        row = Signoff(project_id=project_id, phase_id=phase_id, side_id=side_id, person_id=person_id,
                      verdict=verdict, note=note, revision_ids=list(revision_ids), created_at=at)
        self.memo.session.add(row)
        self.memo.session.flush()
        return rows.signoff(row)

    def of_phase(self, project_id: int, phase_id: str) -> Sequence[SignoffRecord]:
        return [s for s in self.memo.project_parts(project_id).signoffs if s.phase_id == phase_id]

    def add_agreement(self, project_id: int, phase_id: str, revision_ids: tuple[int, ...],
                      signoff_ids: tuple[int, ...], at: dt.datetime) -> AgreementRecord:
        session = self.memo.session
        self.memo.touch(project_id)
        row = Agreement(project_id=project_id, phase_id=phase_id, revision_ids=list(revision_ids),
                        signoff_ids=list(signoff_ids), created_at=at)
        session.add(row)
        session.execute(update(Project).where(Project.id == project_id).values(changed_at=at))
        session.flush()
        return AgreementRecord(row.id, project_id, phase_id, tuple(revision_ids), tuple(signoff_ids), at)

    def agreements(self, project_id: int) -> Sequence[AgreementRecord]:
        return list(self.memo.project_parts(project_id).agreements)
