"""Single operations on a fully answered project, timed in this process; and start-up.

Each figure is the median of `repeat` runs (after one warm-up run), in milliseconds. "render"
rows take a loaded project and only build text, images or files; "turn" rows are whole engine
turns as a person triggers them (`/summary`, `/compare` and a tool, `/export`): database reads,
rendering, and the transaction that records the input.
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.preload import play_template
from bot.app import build_engine
from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import ButtonInput, Chat, CommandInput, Input, Sender
from bot.engine.progress import load_progress
from bot.engine.render.answers import compare_tool
from bot.engine.render.summary import phase_summary
from bot.export.chart import _draw_profiles, profile_chart
from bot.export.project import export_project
from storage import Database

ROOT = Path(__file__).resolve().parents[1]
STARTUP = ("import time; t = time.perf_counter(); from bot.app import load_content; load_content(); "
           "print(time.perf_counter() - t)")


def timed(action: Callable[[], Any], repeat: int) -> float:
    """Median milliseconds of `repeat` runs of `action`, after a warm-up run."""
    action()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return round(1000 * statistics.median(runs), 2)


def startup_ms(repeat: int = 3) -> float:
    """Loading and validating the dialogs and all catalogs, in a fresh interpreter each time."""
    runs = [float(subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout) for _ in range(repeat)]
    return round(1000 * statistics.median(runs), 1)


def web_page_ms(engine: Any, repeat: int) -> float:
    """The web page of a fully answered project for its creator: reads, rules, renderers, template."""
    from bot.app import web_app
    from bot.web.access import Reader
    from bot.web.tokens import Signer

    web = web_app(engine, Signer("bench-secret-0123456789abcdef"), "http://localhost")
    with engine.unit_of_work() as uow:
        project = uow.projects.get(1)
        assert project is not None
        person = uow.people.get(project.created_by)
        side = next(s for p, s in uow.members.memberships(project.created_by) if p.id == 1)
    assert person is not None
    reader = Reader(person, project, side, "bench")
    return timed(lambda: web.page_html(reader), repeat)


def measure_ops(database_url: str, repeat: int = 20) -> dict[str, float]:
    """Play a whole project into the (empty) database and time operations on it."""
    play_template(database_url)
    database = Database(database_url)
    engine = build_engine(database)
    t = engine.catalogs.translator("da")
    readers = {locale: engine.catalogs.translator(locale) for locale in ("da", "nb", "en")}
    keys = itertools.count()
    anna = Sender("test:anna", "Anna", "da")

    def turn(event: Any) -> None:
        engine.handle(Input(anna, Chat("test:anna"), event, f"bench-{next(keys)}"))

    with database.unit_of_work() as uow:
        project = uow.projects.get(1)
        assert project is not None
        progress = load_progress(engine.guide, uow, project)
        signoffs = {p.id: list(uow.signoffs.of_phase(1, p.id)) for p in progress.phases()}
    all_signoffs = [s for phase in progress.phases() for s in signoffs[phase.id]]
    names = {s.person_id: "Anna" for s in all_signoffs if s.person_id is not None}
    phases = progress.phases()
    tools = [tool for phase in phases for tool in phase.tools]
    profile_tool = next(tool for tool in tools if tool.profile)
    check = phases[0]

    def load(cached: bool) -> None:
        if not cached:
            database.cache.answers.clear()
            database.cache.projects.clear()
        with database.unit_of_work() as uow:
            load_progress(engine.guide, uow, project)
            uow.commit()

    def chart(cached: bool) -> None:
        if not cached:
            _draw_profiles.cache_clear()
        profile_chart(t, progress, profile_tool)

    figures = {
        "load_progress, read from the database (both sides, every answer)": timed(lambda: load(False), repeat),
        "load_progress, unchanged since the last read (cache checked)": timed(lambda: load(True), repeat),
        "phase summary, render (largest phase)": max(
            timed(partial(phase_summary, t, progress, p, signoffs[p.id], names), repeat) for p in phases
        ),
        "phase summary, Tjek, render": timed(
            lambda: phase_summary(t, progress, check, signoffs[check.id], names), repeat
        ),
        "compare two sides, render (every tool)": timed(
            lambda: [compare_tool(t, progress, x, False) for x in tools], repeat
        ),
        "compare two sides, render (one tool, median)": round(
            statistics.median(timed(partial(compare_tool, t, progress, x, False), repeat) for x in tools), 2
        ),
        "readiness chart PNG, drawn": timed(lambda: chart(False), repeat),
        "readiness chart PNG, same ratings again (cached)": timed(lambda: chart(True), repeat),
        **{
            f"PDF + Markdown export, render (whole project, {locale})": timed(
                partial(export_project, reader, progress, all_signoffs, names, engine.clock(), "Europe/Copenhagen"),
                max(3, repeat // 4),
            )
            for locale, reader in readers.items()
        },
        "/summary turn, Tjek (with chart)": timed(
            lambda: turn(ButtonInput(cb.encode(intents.ShowSummary(1, check.id)))), repeat
        ),
        "/summary turn, Høst": timed(lambda: turn(CommandInput("summary")), repeat),
        "/compare turn, one tool": timed(lambda: turn(ButtonInput(cb.encode(intents.Compare(1, tools[1].id)))), repeat),
        "/export turn (PDF + Markdown)": timed(lambda: turn(CommandInput("export")), max(3, repeat // 4)),
        "web page, render (whole project, reader's side; target < 50 ms)": web_page_ms(engine, repeat),
        "start-up (dialogs + catalogs, fresh interpreter)": startup_ms(),
    }
    database.dispose()
    return figures
