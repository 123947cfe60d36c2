"""`SqlMembers`: who is on which side of which project (members come with their project's parts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from bot.engine.records import MemberRecord, ProjectRecord, SideRecord
from storage.models import Member, Project, Side
from storage.repositories import rows
from storage.repositories.memo import MEMBERS, Memo
from storage.repositories.projects import SqlProjects

_MEMBERS = select(*MEMBERS.c).where(MEMBERS.c.side_id == bindparam("side_id")).order_by(MEMBERS.c.joined_at)


class SqlMembers:
    """Membership of sides; every write here makes the unit read the side's project afresh."""

    def __init__(self, memo: Memo, projects: SqlProjects) -> None:
        self.memo = memo
        self.projects = projects

    def add(self, side_id: int, person_id: int, at: dt.datetime) -> None:
        session = self.memo.session
        self.memo.touch(side_id=side_id)
        if session.get(Member, (side_id, person_id)) is None:
            session.add(Member(side_id=side_id, person_id=person_id, joined_at=at, muted=False, paused=False))
            session.execute(update(Side).where(Side.id == side_id).values(last_activity_at=at))
            session.flush()

    def remove(self, side_id: int, person_id: int) -> None:
        self.memo.touch(side_id=side_id)
        self.memo.session.execute(delete(Member).where(Member.side_id == side_id, Member.person_id == person_id))

    def of_side(self, side_id: int) -> Sequence[MemberRecord]:
        memo = self.memo
        project_id = memo.side_projects.get(side_id)
        if project_id is not None:
            return list(memo.project_parts(project_id).members.get(side_id, ()))
        if side_id not in memo.members:
            memo.members[side_id] = [rows.member(r) for r in memo.run(_MEMBERS, {"side_id": side_id})]
        return list(memo.members[side_id])

    def memberships(self, person_id: int) -> Sequence[tuple[ProjectRecord, SideRecord]]:
        found = self.memo.session.execute(
            select(Project, Side)
            .join(Side, Side.project_id == Project.id)
            .join(Member, Member.side_id == Side.id)
            .where(Member.person_id == person_id)
            .order_by(Project.id)
        )
        return [(rows.project(project), rows.side(side)) for project, side in found]

    def membership(self, person_id: int, project_id: int) -> tuple[ProjectRecord, SideRecord] | None:
        """The project and the person's side in it, if they are a member."""
        project = self.projects.get(project_id)
        if project is None:
            return None
        for side in self.projects.sides(project_id):
            if any(m.person_id == person_id for m in self.of_side(side.id)):
                return project, side
        return None

    def update(self, side_id: int, person_id: int, **changes: Any) -> None:
        self.memo.touch(side_id=side_id)
        self.memo.session.execute(
            update(Member).where(Member.side_id == side_id, Member.person_id == person_id).values(**changes)
        )
