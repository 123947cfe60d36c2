"""Who a request speaks for: a signed link checked against the store, a rate limit on bad attempts."""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.knowledge import member_of
from bot.engine.ports import UnitOfWork
from bot.engine.records import PersonRecord, ProjectRecord, SideRecord
from bot.web.tokens import Grant, Signer, stamp


@dataclass(frozen=True)
class Reader:
    """The member a valid link speaks for, in its project and side."""

    person: PersonRecord
    project: ProjectRecord
    side: SideRecord
    token: str


def resolve(signer: Signer, unit_of_work: Callable[[], UnitOfWork], token: str, now: dt.datetime) -> Reader | None:
    """The reader of an authentic, unexpired link whose membership still stands: a link dies with
    /forget (the person is gone), leaving the side and deleting the project (the membership is gone);
    joining again makes a new membership, which the old link does not name."""
    grant = signer.verify(token, now)
    if grant is None:
        return None
    with unit_of_work() as uow:
        return _member(uow, grant, token)


def _member(uow: UnitOfWork, grant: Grant, token: str) -> Reader | None:
    person = uow.people.get(grant.person_id)
    if person is None:
        return None
    for project, side in uow.members.memberships(person.id):
        if project.id != grant.project_id:
            continue
        member = member_of(uow, side.id, person.id)
        if member is not None and stamp(member.joined_at) == grant.joined:
            return Reader(person, project, side, token)
    return None


class AttemptLimit:
    """At most `limit` refused link attempts per client in `window` seconds (in memory, per process:
    it slows guessing; the 256-bit signature is what makes guessing useless)."""

    def __init__(self, limit: int = 20, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._refused: dict[str, deque[float]] = {}

    def blocked(self, client: str) -> bool:
        recent = self._recent(client)
        return len(recent) >= self.limit

    def refused(self, client: str) -> None:
        self._recent(client).append(self.clock())
        if len(self._refused) > 10_000:  # never grows without bound
            self._refused = {k: v for k, v in self._refused.items() if v}

    def _recent(self, client: str) -> deque[float]:
        recent = self._refused.setdefault(client, deque())
        cutoff = self.clock() - self.window
        while recent and recent[0] < cutoff:
            recent.popleft()
        return recent
