"""A single-process replay through `Engine.handle`: milliseconds and SQL statements per input.

The template project of bench/preload.py (two organisations answer all six phases and agree on
each, about 400 inputs) is played twice on fresh SQLite or PostgreSQL databases: once to warm up
imports, catalogs and statement caches, once measured. Every call of `Engine.handle` is timed, and
an SQLAlchemy `before_cursor_execute` listener counts the statements it sends (`BEGIN` not
counted; `COMMIT` counted apart, as the DBAPI commits without a statement). Then a stranger (a
person in no project) writes a few times. Figures are per kind of input: a typed answer, a chosen
answer (a button), other inputs of the template, and the stranger.

    python -m bench replay [--backends sqlite postgresql] [--profile 30]
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from bench.preload import ANSWER_TEXT, play_template
from bot.engine import callbacks, intents
from bot.engine.model import ButtonInput, Chat, Input, Sender, TextInput
from storage import Database

STRANGER_INPUTS = 20


def kind_of(inp: Input) -> str:
    event_ = inp.event
    if isinstance(event_, TextInput) and event_.text == ANSWER_TEXT:
        return "typed answer"
    if isinstance(event_, ButtonInput) and isinstance(callbacks.decode(event_.data), intents.Choose):
        return "chosen answer"
    return "other"


def shape(statement: str) -> str:
    """A statement's shape for the tally: its first words and tables, no values."""
    text = " ".join(statement.split())
    text = re.sub(r"\b\d+\b", "N", text)
    match = re.match(r"(SELECT .*? FROM \S+|INSERT INTO \S+|UPDATE \S+|DELETE FROM \S+|\S+ ?\S*)", text)
    return (match.group(1) if match else text)[:90]


@dataclass
class Tally:
    ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    commits: list[int] = field(default_factory=list)
    shapes: list[list[str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": len(self.ms),
            "ms_median": round(statistics.median(self.ms), 2),
            "ms_mean": round(statistics.fmean(self.ms), 2),
            "statements_mean": round(statistics.fmean(self.statements), 2),
            "statements_median": statistics.median(self.statements),
            "statements_max": max(self.statements),
            "commits_mean": round(statistics.fmean(self.commits), 2),
        }


class Recorder:
    """Wraps `engine.handle`: times each input and counts the statements it sends."""

    def __init__(self) -> None:
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.current: list[str] | None = None
        self.commits = 0
        self.kind_of: Callable[[Input], str] = kind_of

    def observe(self, engine: Any, database: Database) -> None:
        event.listen(database.engine, "before_cursor_execute", self._statement)
        event.listen(database.engine, "commit", self._commit)
        handle = engine.__dict__.get("unwrapped_handle", engine.handle)
        engine.unwrapped_handle = handle

        def timed(inp: Input) -> Any:
            self.current, self.commits = [], 0
            started = time.perf_counter()
            try:
                return handle(inp)
            finally:
                elapsed = time.perf_counter() - started
                tally = self.tallies[self.kind_of(inp)]
                tally.ms.append(1000 * elapsed)
                tally.statements.append(len(self.current))
                tally.commits.append(self.commits)
                tally.shapes.append([shape(s) for s in self.current])
                self.current = None

        engine.handle = timed

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.current is not None and not statement.lstrip().upper().startswith("BEGIN"):
            self.current.append(statement)

    def _commit(self, _conn: Any) -> None:
        self.commits += 1


def replay(url: str, recorder: Recorder) -> Any:
    """Play the template project into the empty database at `url`, then a stranger writes."""
    engine_box: list[Any] = []

    def observe(engine: Any, database: Database) -> None:
        recorder.observe(engine, database)
        engine_box.append(engine)

    play_template(url, observe)
    engine = engine_box[0]
    stranger = Sender("test:stranger", "Stranger", "da")
    recorder.kind_of = lambda inp: "stranger"
    database = Database(url)
    engine.unit_of_work = database.unit_of_work
    recorder.observe(engine, database)
    for number in range(STRANGER_INPUTS + 1):
        engine.handle(Input(stranger, Chat("test:stranger"), TextInput("hej"), f"stranger-{number}"))
    recorder.tallies["stranger"].ms.pop(0)  # the first contact adds the person
    recorder.tallies["stranger"].statements.pop(0)
    recorder.tallies["stranger"].commits.pop(0)
    recorder.tallies["stranger"].shapes.pop(0)
    database.dispose()
    return engine


def measure_replay(make_url: Callable[[str], str], profile: int = 0) -> dict[str, Any]:
    """Warm up on one database, measure on a second; `profile` > 0 prints that many cProfile rows."""
    replay(make_url("warmup"), Recorder())
    recorder = Recorder()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        replay(make_url("measured"), recorder)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
        stats.print_stats(profile)
    else:
        replay(make_url("measured"), recorder)
    figures = {kind: tally.summary() for kind, tally in sorted(recorder.tallies.items())}
    every = Tally()
    for tally in recorder.tallies.values():
        every.ms += tally.ms
        every.statements += tally.statements
        every.commits += tally.commits
    figures["every input"] = every.summary()
    shapes = {
        kind: {
            text: round(count / len(tally.ms), 2)
            for text, count in Counter(text for one in tally.shapes for text in one).most_common(25)
        }
        for kind, tally in recorder.tallies.items()
        if kind in ("typed answer", "chosen answer", "stranger")
    }
    return {"per_kind": figures, "statement_shapes": shapes}
