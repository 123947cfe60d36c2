"""`SqlProjects`: projects and their two sides, read once per unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from bot.engine.records import ProjectRecord, SideRecord
from storage.models import Member, Person, Project, Side
from storage.repositories import rows
from storage.repositories.memo import PROJECTS, SIDES, Memo

_SIDES_OF_PROJECT = select(*SIDES.c).where(SIDES.c.project_id == bindparam("project_id")).order_by(SIDES.c.id)
_PROJECT_BY_ID = select(*PROJECTS.c).where(PROJECTS.c.id == bindparam("id"))


class SqlProjects:
    """Projects and sides; every write here makes the unit read the project afresh."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, name: str, created_by: int, at: dt.datetime) -> ProjectRecord:
        row = Project(name=name, created_by=created_by, created_at=at, reminder_days=3, reminder_repeat_days=7,
                      reminder_max=3, revision=0)
        self.memo.session.add(row)
        self.memo.session.flush()
        return rows.project(row)

    def get(self, project_id: int) -> ProjectRecord | None:
        memo = self.memo
        if project_id not in memo.projects:
            row = memo.run(_PROJECT_BY_ID, {"id": project_id}).first()
            memo.projects[project_id] = (rows.project(row), row.revision) if row else None  # type: ignore[arg-type]
        known = memo.projects[project_id]
        return known[0] if known else None

    def update(self, project_id: int, **changes: Any) -> None:
        self.memo.projects.pop(project_id, None)
        self.memo.touch(project_id)
        self.memo.session.execute(update(Project).where(Project.id == project_id).values(**changes))

    def delete(self, project_id: int) -> None:
        memo, session = self.memo, self.memo.session
        memo.forget_replies(select(Member.person_id).join(Side, Side.id == Member.side_id)
                            .where(Side.project_id == project_id))
        session.execute(
            update(Person).where(Person.current_project_id == project_id).values(current_project_id=None)
        )
        session.execute(delete(Project).where(Project.id == project_id))
        memo.deleted_projects.add(project_id)
        memo.forget_reads()  # their current project, its sides and members
        memo.writes += 1

    def add_side(self, project_id: int, role: str, organisation: str | None) -> SideRecord:
        row = Side(project_id=project_id, role=role, organisation=organisation,
                   last_activity_at=dt.datetime.now(dt.UTC), revision=0)
        self.memo.session.add(row)
        self.memo.session.flush()
        self.memo.sides.pop(project_id, None)
        self.memo.group = None
        self.memo.touch(project_id)
        return rows.side(row)

    def sides(self, project_id: int) -> Sequence[SideRecord]:
        memo = self.memo
        if project_id not in memo.sides:
            memo.remember_sides(project_id, memo.run(_SIDES_OF_PROJECT, {"project_id": project_id}).all())
        return list(memo.sides[project_id])

    def side(self, side_id: int) -> SideRecord | None:
        memo = self.memo
        project_id = memo.side_projects.get(side_id)
        if project_id is not None and project_id in memo.sides:
            return next((s for s in memo.sides[project_id] if s.id == side_id), None)
        row = memo.session.get(Side, side_id)
        return rows.side(row) if row else None

    def side_by_group_chat(self, chat: str) -> SideRecord | None:
        memo = self.memo
        if memo.group is not None and memo.group[0] == chat:
            return memo.group[1]
        row = memo.session.scalar(select(Side).where(Side.group_chat == chat))
        return rows.side(row) if row else None

    def update_side(self, side_id: int, **changes: Any) -> None:
        self.memo.sides.clear()
        self.memo.group = None
        self.memo.touch(side_id=side_id)
        self.memo.session.execute(update(Side).where(Side.id == side_id).values(**changes))
