"""`SqlUnitOfWork`: the engine's `UnitOfWork` protocol on one SQLAlchemy session, as repositories."""

from __future__ import annotations

import threading
from functools import cached_property

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.read_cache import ReadCache
from storage.repositories.answers import SqlAnswers
from storage.repositories.chats import SqlChats
from storage.repositories.inputs import SqlInputs
from storage.repositories.invites import SqlInvites
from storage.repositories.members import SqlMembers
from storage.repositories.memo import Memo
from storage.repositories.outbox import SqlOutbox
from storage.repositories.people import SqlPeople
from storage.repositories.projects import SqlProjects
from storage.repositories.signoffs import SqlSignoffs
from storage.repositories.uploads import SqlUploads

CHAT_LOCKS = 0x5350  # the first key of our per-chat advisory locks ("SP"), the second is the chat's hash
PROJECT_LOCKS = 0x5351  # … of our per-project advisory locks, the second is the project's id


class SqlUnitOfWork:
    """One transaction; rolled back on exit unless `commit()` was called.

    Its repositories share what the unit read (`Memo`): read once per unit of work and kept until
    written through a repository; a project's parts and a side's answers also come from the
    database's `ReadCache` when their revision is unchanged. Writes that change a project count up
    its revision at commit, and `writes` at once.
    """

    def __init__(self, sessions: sessionmaker[Session], writer: threading.Lock | None = None,
                 cache: ReadCache | None = None) -> None:
        self.sessions = sessions
        self.writer = writer
        self.cache = cache or ReadCache(capacity=0)
        self.session: Session
        self.memo = Memo(self.cache)

    # The repositories, each made when a turn first uses it (most turns use a few).
    @cached_property
    def inputs(self) -> SqlInputs:
        return SqlInputs(self.memo)

    @cached_property
    def people(self) -> SqlPeople:
        return SqlPeople(self.memo)

    @cached_property
    def projects(self) -> SqlProjects:
        return SqlProjects(self.memo)

    @cached_property
    def members(self) -> SqlMembers:
        return SqlMembers(self.memo, self.projects)

    @cached_property
    def answers(self) -> SqlAnswers:
        return SqlAnswers(self.memo)

    @cached_property
    def signoffs(self) -> SqlSignoffs:
        return SqlSignoffs(self.memo)

    @cached_property
    def invites(self) -> SqlInvites:
        return SqlInvites(self.memo)

    @cached_property
    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.memo)

    @cached_property
    def chats(self) -> SqlChats:
        return SqlChats(self.memo)

    @cached_property
    def uploads(self) -> SqlUploads:
        return SqlUploads(self.memo)

    @property
    def writes(self) -> int:
        """How many writes of this unit changed what a project's progress shows."""
        return self.memo.writes

    def __enter__(self) -> SqlUnitOfWork:
        if self.writer is not None:
            self.writer.acquire()
        self.session = self.memo.session = self.sessions()
        return self

    def __exit__(self, *exc: object) -> None:
        self.memo.state_writes.clear()
        self.memo.forget_reads()
        try:
            self.session.rollback()
        finally:
            self.session.close()
            if self.writer is not None:
                self.writer.release()

    def commit(self) -> None:
        if "chats" in vars(self):  # made, so perhaps written to
            self.chats.write_states()
        if "inputs" in vars(self):
            self.inputs.write_claim()
        self.memo.count_revisions()
        self.session.commit()
        self.memo.committed()

    def rollback(self) -> None:
        self.session.rollback()
        self.inputs.drop_claim()
        self.memo.rolled_back()

    def lock_chat(self, chat: str) -> None:
        """On PostgreSQL, one transaction per chat at a time across every process sharing the database
        (held until commit or rollback); SQLite has one writer anyway (`BEGIN IMMEDIATE`)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(CHAT_LOCKS, func.hashtext(chat))))

    def lock_project(self, project_id: int) -> None:
        """On PostgreSQL, one transaction per project at a time (after its chat's lock, until commit), and
        what this unit read of the project before is read again unless its revisions show it unchanged;
        SQLite has one writer anyway."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(PROJECT_LOCKS, project_id)))
            self.memo.recheck_project(project_id)
