"""A read cache of each side's latest answers, valid only for the rows it was read from.

Answers are only ever added, so a side's set of answer rows is known by its (newest id, count):
if both are unchanged, so are the latest answers. Every read still asks the database for that pair
(one indexed aggregate) and uses the cache only on an exact match, so several processes, restarts
and concurrent transactions see what is committed. Entries are put in only after the transaction
that read them committed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.engine.records import AnswerRecord

Version = tuple[int | None, int]  # (newest answer id, number of answer rows) of one side
Answers = dict[str, AnswerRecord]


class AnswerCache:
    """The latest answers of up to `max_sides` recently read sides."""

    def __init__(self, max_sides: int = 4096) -> None:
        self.max_sides = max_sides
        self._entries: OrderedDict[int, tuple[Version, Answers]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, side_id: int, version: Version) -> Answers | None:
        with self._lock:
            entry = self._entries.get(side_id)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(side_id)
            return dict(entry[1])

    def put(self, side_id: int, version: Version, answers: Answers) -> None:
        """Keep `answers` (the cache owns the dict from now on) for `version` of the side."""
        with self._lock:
            self._entries[side_id] = (version, answers)
            self._entries.move_to_end(side_id)
            while len(self._entries) > self.max_sides:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
