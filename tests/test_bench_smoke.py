"""The benchmark harness keeps working: a tiny run of each part, with no timing assertion."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bench.load import measure
from bench.ops import measure_ops
from bench.preload import preload
from bot.app import load_content
from bot.engine.progress import load_progress
from storage import Database
from storage.models import Answer, Person, Project


async def test_every_bot_answers_the_load_and_every_figure_is_filled(tmp_path):
    echo = await measure("echo", tmp_path / "echo", chats=2, warmup=0.5, duration=2)
    peer = await measure("peer", tmp_path / "peer", chats=2, warmup=0.5, duration=2)
    ours = await measure("spredning", tmp_path / "spredning", chats=2, warmup=0.5, duration=3)
    for result in (echo, peer, ours):
        figures = result.summary()
        assert result.updates > 0 and result.timeouts == 0
        assert figures["p50_ms"] > 0 and figures["p99_ms"] >= figures["p50_ms"]
        assert result.bot_cpu > 0 and figures["peak_mib"] > 10
    assert {"text", "press", "command"} <= set(echo.mix)
    # The peer's people answered questions (typed and chosen) and read their summary.
    assert {"text", "press", "command"} <= set(peer.mix)
    assert {"text", "press c", "/summary"} <= set(peer.by_action)
    assert (tmp_path / "peer" / "peer.pickle").stat().st_size > 0, "PicklePersistence flushed on stop"
    # Two people in one project answered questions (typed and chosen) and read the other side.
    assert {"text", "press a"} <= set(ours.by_action) or {"text", "press sf"} <= set(ours.by_action)


def test_preloaded_projects_are_whole_projects_of_their_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'preloaded.sqlite3'}"
    figures = preload(url, 3)
    database = Database(url)
    guide, _ = load_content()
    with database.unit_of_work() as uow:
        session = uow.session
        assert session.scalar(select(func.count()).select_from(Project)) == 3
        assert session.scalar(select(func.count(func.distinct(Person.external_id)))) == 6
        assert session.scalar(select(func.count()).select_from(Answer)) == 3 * figures["answers_per_project"]
        for project_id in (1, 2, 3):
            project = uow.projects.get(project_id)
            assert project is not None
            progress = load_progress(guide, uow, project)
            assert progress.current_phase() is None, "every phase answered and agreed"
            assert len(progress.phases()) == 6 and not any(progress.outdated_phases())
    database.dispose()


def test_single_operations_are_timed_on_a_whole_project(tmp_path):
    figures = measure_ops(f"sqlite:///{tmp_path / 'ops.sqlite3'}", repeat=1)
    assert all(value > 0 for value in figures.values())
    assert any(name.startswith("PDF") for name in figures) and any("summary" in name for name in figures)


def test_the_replay_counts_statements_per_input(tmp_path):
    from bench.replay import measure_replay

    figures = measure_replay(lambda name: f"sqlite:///{tmp_path / name}.sqlite3")
    per_kind = figures["per_kind"]
    assert {"typed answer", "stranger", "every input"} <= set(per_kind)
    assert all(row["statements_mean"] > 0 and row["ms_median"] > 0 for row in per_kind.values())
    # The answer path's budget (issue 17): a typical typed answer is read, written and claimed in
    # five statements besides COMMIT; a stranger's text costs the read and the claim.
    assert per_kind["typed answer"]["statements_median"] <= 5
    assert per_kind["stranger"]["statements_max"] <= 2
    assert figures["statement_shapes"]["typed answer"]


def test_the_readme_figures_are_written_from_the_results(tmp_path):
    from bench.__main__ import machine
    from bench.report import BEGIN, END, write_report

    results = tmp_path / "results.json"
    replay = {"per_kind": {"typed answer": {"inputs": 99, "ms_median": 1.1, "ms_mean": 1.4, "statements_mean": 5.28,
                                            "statements_median": 5, "statements_max": 9, "commits_mean": 1.0}},
              "statement_shapes": {"typed answer": {"INSERT INTO answers": 0.86}}}
    results.write_text(json.dumps({"machine": machine(), "replay": {"sqlite": replay}}))
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\nHow.\n\n{BEGIN}\nold figures\n{END}\n\n## Why\n")
    write_report(results, readme)
    text = readme.read_text()
    assert "old figures" not in text and text.startswith("# Benchmarks") and text.endswith("## Why\n")
    assert "| SQLite | typed answer | 99 | 1.10 | 1.40 | 5.28 | 5 | 9 |" in text
    assert "| ≤ 5 statements plus COMMIT per typical answer | median 5, mean 5.28 (SQLite) | met |" in text
