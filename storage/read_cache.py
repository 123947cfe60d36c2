"""Read caches of what every turn reads, each entry valid only at the revision it was read at.

A side's latest answers are kept with the side's `revision` (it counts the side's answer writes);
a project's members, sign-offs and agreements with the project's `revision` (it counts every other
change of the project). Every turn still reads both counters from the database, with the person
and the chat's state in one statement, and uses an entry only on an exact match: several
processes, restarts and concurrent transactions see what is committed. Entries are put in only
after the transaction that read them committed, and a counter is read before what it guards, so
an entry is never older than its revision.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.engine.records import AgreementRecord, AnswerRecord, MemberRecord, SignoffRecord

Answers = dict[str, AnswerRecord]


@dataclass(frozen=True)
class ProjectParts:
    """What a turn reads of a project besides its answers."""

    members: dict[int, tuple[MemberRecord, ...]]  # side id -> members, in the order they joined
    signoffs: tuple[SignoffRecord, ...]
    agreements: tuple[AgreementRecord, ...]


V = TypeVar("V")


class RevisionCache(Generic[V]):
    """Up to `capacity` values, each with the revision it was read at (least recently used go)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[int, tuple[int, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: int, revision: int) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != revision:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: int, revision: int, value: V) -> None:
        """Keep `value` (the cache owns it from now on: never change it) for `revision` of `key`."""
        with self._lock:
            self._entries[key] = (revision, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def discard(self, key: int) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class ReadCache:
    """The caches of one database: each side's latest answers, each project's other parts."""

    def __init__(self, capacity: int = 4096) -> None:
        self.answers: RevisionCache[Answers] = RevisionCache(capacity)
        self.projects: RevisionCache[ProjectParts] = RevisionCache(capacity)
