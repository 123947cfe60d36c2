"""What one unit of work has read and is about to write, shared by its repositories.

What a turn reads is read once per unit of work and kept here until written through a repository
(people, chat states, projects, sides, members, sign-offs, agreements, answers); a project's parts
and a side's answers also come from the database's `ReadCache` when their revision is unchanged.
Writes that change a project count up its revision at commit, and `writes` at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.engine.records import AnswerRecord, MemberRecord, PersonRecord, ProjectRecord, SideRecord
from storage.models import Agreement, Member, ProcessedInput, Project, Side, Signoff, table
from storage.read_cache import ProjectParts, ReadCache
from storage.repositories import rows

PROJECTS, SIDES, MEMBERS = table(Project), table(Side), table(Member)
MEMBERS_OF_PROJECT = (
    select(*MEMBERS.c).join(SIDES, SIDES.c.id == MEMBERS.c.side_id)
    .where(SIDES.c.project_id == bindparam("project_id"))
    .order_by(MEMBERS.c.joined_at)
)

_REVISIONS = (
    select(PROJECTS.c.revision, SIDES.c.id.label("side_id"), SIDES.c.revision.label("side_revision"))
    .select_from(PROJECTS.outerjoin(SIDES, SIDES.c.project_id == PROJECTS.c.id))
    .where(PROJECTS.c.id == bindparam("project_id"))
)


class Memo:
    """One unit of work's reads, its pending writes and its count of writes (see the module)."""

    def __init__(self, cache: ReadCache) -> None:
        self.cache = cache
        self.session: Session
        self.writes = 0  # writes that change what a project's progress shows
        self.deleted_someone = False  # a person or a project: no reply of this unit is kept
        self.deleted_projects: set[int] = set()
        self.touched_projects: set[int] = set()  # their revision counts up at commit
        self.touched_sides: set[int] = set()  # … their project's revision
        # Chat states as set here: written once, at commit.
        self.state_writes: dict[tuple[int, str], dict[str, Any]] = {}
        self.forget_reads()

    def forget_reads(self) -> None:
        self.states: dict[tuple[int, str], dict[str, Any] | None] = {}  # as read (None: no row)
        self.persons: dict[int, PersonRecord | None] = {}
        self.senders: dict[str, int | None] = {}  # external id -> person id (None: no such person)
        self.projects: dict[int, tuple[ProjectRecord, int] | None] = {}  # with the project's revision
        self.sides: dict[int, list[SideRecord]] = {}  # by project
        self.side_revisions: dict[int, int] = {}
        self.side_projects: dict[int, int] = {}
        self.group: tuple[str, SideRecord | None] | None = None  # a group chat and its side, as read
        self.parts: dict[int, ProjectParts] = {}
        self.members: dict[int, list[MemberRecord]] = {}  # sides of projects not read here
        # Read here and unchanged since: into the cache after commit.
        self.parts_read: dict[int, tuple[int, ProjectParts]] = {}
        self.answers_read: dict[int, tuple[int, dict[str, AnswerRecord]]] = {}

    def recheck_project(self, project_id: int) -> None:
        """What was read of the project is kept if its revision and its sides' are unchanged (one small
        statement), else forgotten (see `SqlUnitOfWork.lock_project`); nothing read, nothing to do."""
        known = self.projects.get(project_id)
        if known is None or project_id not in self.sides:
            self.forget_project(project_id)
            return
        found = self.run(_REVISIONS, {"project_id": project_id}).all()
        sides = {row.side_id: row.side_revision for row in found if row.side_id is not None}
        read = {side.id: self.side_revisions.get(side.id) for side in self.sides[project_id]}
        if not found or found[0].revision != known[1] or sides != read:
            self.forget_project(project_id)

    def forget_project(self, project_id: int) -> None:
        """What was read of a project (its row, sides, parts and answers): another transaction may have
        changed it since (see `SqlUnitOfWork.lock_project`)."""
        self.projects.pop(project_id, None)
        self.parts.pop(project_id, None)
        self.parts_read.pop(project_id, None)
        for side in self.sides.pop(project_id, []):
            self.side_revisions.pop(side.id, None)
            self.answers_read.pop(side.id, None)
        self.members.clear()

    def run(self, statement: Any, parameters: dict[str, Any]) -> Any:
        """A prebuilt Core statement on the session's connection (without the ORM's execution path)."""
        return self.session.connection().execute(statement, parameters)

    def touch(self, project_id: int | None = None, side_id: int | None = None) -> None:
        """The project (or the side's project) changed here: read it afresh, count its revision up."""
        self.writes += 1
        if side_id is not None:
            project_id = self.side_projects.get(side_id)
            if project_id is None:  # some project: read every one afresh in this unit of work
                self.touched_sides.add(side_id)
                self.parts.clear()
                self.parts_read.clear()
        if project_id is not None:
            self.touched_projects.add(project_id)
            self.parts.pop(project_id, None)
            self.parts_read.pop(project_id, None)
        self.members.clear()

    def count_revisions(self) -> None:
        """Count up the revision of each project this unit changed (most units change none)."""
        if self.touched_projects - self.deleted_projects:
            self.count_up(PROJECTS, self.touched_projects - self.deleted_projects)
        if self.touched_sides:  # sides whose project was not read here
            self.count_up(PROJECTS, select(SIDES.c.project_id).where(SIDES.c.id.in_(self.touched_sides)))
        self.touched_projects.clear()
        self.touched_sides.clear()

    def count_up(self, table: Any, ids: Any) -> None:
        """`revision + 1` for the rows of `table` (projects or sides) with these ids (or a query of ids)."""
        self.session.execute(update(table).where(table.c.id.in_(ids)).values(revision=table.c.revision + 1))

    def committed(self) -> None:
        """After commit: what was read here at an unchanged revision goes into the database's cache."""
        for project_id, (revision, parts) in self.parts_read.items():
            self.cache.projects.put(project_id, revision, parts)
        for side_id, (revision, answers) in self.answers_read.items():
            self.cache.answers.put(side_id, revision, answers)
        for project_id in self.deleted_projects:  # SQLite may give a deleted row's id to a new one
            self.cache.projects.discard(project_id)
        if self.deleted_projects:  # … and to a new side
            self.cache.answers.clear()
        self.parts_read.clear()
        self.answers_read.clear()
        self.deleted_projects.clear()

    def rolled_back(self) -> None:
        self.touched_projects.clear()
        self.touched_sides.clear()
        self.deleted_projects.clear()
        self.state_writes.clear()
        self.forget_reads()

    def forget_replies(self, person_ids: Any) -> None:
        """The kept replies to these people go: they name who or what is being deleted."""
        self.session.execute(update(ProcessedInput).where(ProcessedInput.person_id.in_(person_ids))
                             .values(person_id=None, reply=None))
        self.deleted_someone = True

    def remember_sides(self, project_id: int, found: Sequence[Any]) -> list[SideRecord]:
        sides = self.sides[project_id] = [rows.side(row) for row in found]
        for row in found:
            self.side_revisions[row.id] = row.revision
            self.side_projects[row.id] = project_id
        return sides

    def project_parts(self, project_id: int) -> ProjectParts:
        """The project's members, sign-offs and agreements: from the cache at its revision, or read."""
        if project_id in self.parts:
            return self.parts[project_id]
        known = self.projects.get(project_id)
        changed_here = project_id in self.touched_projects or self.touched_sides
        revision = known[1] if known is not None and not changed_here else None
        parts = self.cache.projects.get(project_id, revision) if revision is not None else None
        if parts is None:
            members: dict[int, list[MemberRecord]] = {}
            for r in self.run(MEMBERS_OF_PROJECT, {"project_id": project_id}):
                members.setdefault(r.side_id, []).append(rows.member(r))
            parts = ProjectParts(
                {side_id: tuple(found) for side_id, found in members.items()},
                tuple(rows.signoff(r) for r in self.session.scalars(
                    select(Signoff).where(Signoff.project_id == project_id).order_by(Signoff.id))),
                tuple(rows.agreement(r) for r in self.session.scalars(
                    select(Agreement).where(Agreement.project_id == project_id).order_by(Agreement.id))))
            if revision is not None:
                self.parts_read[project_id] = (revision, parts)
        self.parts[project_id] = parts
        return parts
