"""What one turn knows about the project it acts in: scope, members and progress, read once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.engine.model import Chat
from bot.engine.ports import UnitOfWork
from bot.engine.progress import ProjectProgress, load_progress
from bot.engine.records import (
    AnswerRecord,
    MemberRecord,
    PersonRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
)
from bot.guide.model import Guide, Question, Side


@dataclass(frozen=True)
class Scope:
    """The project and side an input acts in."""

    project: ProjectRecord
    side: SideRecord

    @property
    def role(self) -> Side:
        return self.side.role


class ProjectKnowledge:
    """The project as one turn reads it: who may act where, who is who, and how far each side is.

    Progress is read once per turn and kept current across the turn's own writes (`uow.writes`)."""

    def __init__(self, guide: Guide, uow: UnitOfWork, chat: Chat, in_group: bool, now: dt.datetime,
                 person: Callable[[], PersonRecord]) -> None:
        self.guide = guide
        self.uow = uow
        self.chat = chat
        self.in_group = in_group
        self.now = now
        self._person = person  # the turn's person, who may change during the turn (a new project, a language)
        self._progress: dict[int, tuple[int, ProjectProgress]] = {}  # project id -> (`uow.writes` when read, progress)
        self._locked: int | None = None  # the one project this turn decides about

    @property
    def person(self) -> PersonRecord:
        return self._person()

    # ---- who and where ---------------------------------------------------------------------

    def scope(self, project_id: int | None = None) -> Scope | None:
        """The project and side this input acts in, if the person may act there."""
        if self.in_group:
            side = self.uow.projects.side_by_group_chat(self.chat.id)
            if side is None or not self.is_member(side):
                return None
            project = self.uow.projects.get(side.project_id)
            if project is None or (project_id is not None and project.id != project_id):
                return None
            return Scope(project, side)
        wanted = project_id if project_id is not None else self.person.current_project_id
        if wanted is None:
            return None
        found = self.uow.members.membership(self.person.id, wanted)
        return Scope(*found) if found is not None else None

    def note_group_reader(self) -> None:
        """A member who writes in their side's team group reads it: they are told there, not twice."""
        side = self.uow.projects.side_by_group_chat(self.chat.id) if self.in_group else None
        if side is None:
            return
        member = next((m for m in self.uow.members.of_side(side.id) if m.person_id == self.person.id), None)
        if member is not None and not member.in_group:
            self.uow.members.update(side.id, self.person.id, in_group=True)

    def is_member(self, side: SideRecord) -> bool:
        return any(m.person_id == self.person.id for m in self.uow.members.of_side(side.id))

    def membership(self, scope: Scope) -> MemberRecord:
        member = member_of(self.uow, scope.side.id, self.person.id)
        assert member is not None, "a scope is a membership"
        return member

    def names(self, signoffs: Iterable[SignoffRecord]) -> dict[int, str]:
        """The names of the people who signed off."""
        return self.names_of(s.person_id for s in signoffs)

    def names_of(self, person_ids: Iterable[int | None]) -> dict[int, str]:
        """The names of these people (those who are still known)."""
        result = {}
        for person_id in person_ids:
            if person_id is not None and person_id not in result:
                person = self.uow.people.get(person_id)
                if person is not None:
                    result[person_id] = person.name
        return result

    def authors(self, side: SideRecord) -> dict[int, str]:
        """The names of a side's members, by person id."""
        result = {}
        for member in self.uow.members.of_side(side.id):
            person = self.uow.people.get(member.person_id)
            if person is not None:
                result[person.id] = person.name
        return result

    # ---- progress, read once and kept current --------------------------------------------

    def progress(self, project: ProjectRecord) -> ProjectProgress:
        """The project's progress as this turn first read it.

        The first project whose progress a turn reads is locked first (`UnitOfWork.lock_project`): two
        teammates pressing "We agree" in two chats, or both sides finishing a phase at once, are decided
        one after the other, each on what the other committed. One project per turn, so no deadlock."""
        if project.id not in self._progress:
            if self._locked is None:
                self._locked = project.id
                self.uow.lock_project(project.id)
                project = self.uow.projects.get(project.id) or project
            self._progress[project.id] = (self.uow.writes, load_progress(self.guide, self.uow, project))
        return self._progress[project.id][1]

    def refresh(self, project: ProjectRecord) -> ProjectProgress:
        """The project's progress now: read again if the unit of work wrote to a project since."""
        cached = self._progress.get(project.id)
        if cached is not None and cached[0] == self.uow.writes:
            return cached[1]
        self._progress.pop(project.id, None)
        fresh = self.uow.projects.get(project.id) or project
        return self.progress(fresh)

    def add_answer(self, scope: Scope, question: Question, status: str, value: dict[str, Any]) -> AnswerRecord:
        """Store a new revision of the side's answer."""
        return self.uow.answers.add(scope.side.id, question.key, status, value, self.person.id, self.now)

    def save_answer(self, scope: Scope, question: Question, status: str, value: dict[str, Any]) -> ProjectProgress:
        """Store a new revision and return the progress with it (without reading the project again)."""
        before = self.refresh(scope.project)
        after = before.with_answer(self.add_answer(scope, question, status, value))
        self._progress[scope.project.id] = (self.uow.writes, after)
        return after


def member_of(uow: UnitOfWork, side_id: int, person_id: int) -> MemberRecord | None:
    """The person's membership of the side (when they joined it), if they are a member."""
    return next((m for m in uow.members.of_side(side_id) if m.person_id == person_id), None)
