"""`python -m bench report`: bench/README.md's figures, written from bench/results.json.

Everything between the `results:begin` and `results:end` markers of the README is replaced: the
machine, every table of the latest run, and the targets with what was measured against each. The
text around the markers (how the load is made, why a target is missed) is written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BOT_NAMES = {"echo": "echo (PTB only)", "peer": "peer (PTB questionnaire)", "spredning": "spredning"}
ACTIONS = {"press a": "chooses an answer", "press sf": "skips a follow-up question", "press g": "signs off a phase",
           "press t": "opens a tool from `/theirs`", "press v": "opens a tool from `/compare`"}


def table(header: Iterable[str], rows: Iterable[Iterable[Any]], right_from: int = 1) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---" if i < right_from else "---:" for i in range(len(header))) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def times(value: float) -> str:
    return f"{value:.2f}×"


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def machine_section(results: dict[str, Any], date: str) -> list[str]:
    m = results["machine"]
    return [
        "## Machine", "",
        (f"{m['cores']} cores of an `{m['cpu']}` (a shared virtual machine); {m['system']}; Python {m['python']}, "
         f"python-telegram-bot {m['ptb']}, SQLAlchemy {m['sqlalchemy']}, SQLite, PostgreSQL 15 (a throwaway cluster "
         "with `fsync=off`, on the same cores). The bots, the harness and PostgreSQL share the cores."), "",
        (f"The figures below come from one run of `python -m bench --json bench/results.json all` ({date}), "
         "written here by `python -m bench report`; `bench/results.json` has all of them. On this shared machine "
         "repeated runs vary by about ±8 % in throughput, so compare ratios measured in one run."), "",
    ]


def load_section(results: dict[str, Any]) -> list[str]:
    runs = results.get("load", [])
    if not runs:
        return []
    chats = runs[0]["spredning"]["chats"]
    seconds = runs[0]["spredning"]["seconds"]
    lines = [f"### spredning against the peer and the echo bot, {chats} concurrent chats, {seconds:.0f} s each", ""]
    rows = []
    for run in runs:
        for key in ("echo", "peer", "spredning"):
            if key not in run:
                continue
            r = run[key]
            database = BACKEND_NAMES[run["backend"]] if key == "spredning" else "–"
            rows.append([BOT_NAMES[key], database, number(r["updates_per_second"]), number(r["p50_ms"]),
                         number(r["p95_ms"]), number(r["p99_ms"]), number(r["cpu_ms_per_update"], 2),
                         number(r["peak_mib"])])
    lines += table(["bot", "database", "updates/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/update", "peak MiB"],
                   rows, right_from=2)
    ratio_rows = []
    for run in runs:
        r = run["ratios"]
        ratio_rows.append([BACKEND_NAMES[run["backend"]], times(r["throughput_vs_echo"]), times(r["p50_vs_echo"]),
                           times(r["p99_vs_echo"]), times(r["cpu_per_update_vs_echo"]),
                           times(r["throughput_vs_peer"]) if "throughput_vs_peer" in r else "–",
                           times(r["cpu_per_update_vs_peer"]) if "cpu_per_update_vs_peer" in r else "–"])
    lines += ["Each ratio compares spredning with the bot measured just before it in the same run.", ""]
    lines += table(["database", "throughput vs echo", "p50 vs echo", "p99 vs echo", "CPU per update vs echo",
                    "throughput vs peer", "CPU per update vs peer"], ratio_rows)
    first = runs[0]["spredning"]
    lines += [(f"What the people did in the {BACKEND_NAMES[runs[0]['backend']]} run (turns, and latency p50/p99 "
              "per action):"), ""]
    lines += table(["action", "turns", "p50 ms", "p99 ms"],
                   [[f"`{action}`", figures["count"], number(figures["p50_ms"]), number(figures["p99_ms"])]
                    for action, figures in first["by_action"].items()])
    lines += [", ".join(f"`{action}` {meaning}" for action, meaning in ACTIONS.items()) + ".", ""]
    return lines


def replay_section(results: dict[str, Any]) -> list[str]:
    replay = results.get("replay", {})
    if not replay:
        return []
    lines = ["### The engine alone: a single-process replay of a whole project (`python -m bench replay`)", "",
             ("Every input of the template project (two organisations through all six phases) and a stranger's "
             "texts, through `Engine.handle` on a fresh database: milliseconds per input and SQL statements "
             "sent per input (`BEGIN` and `COMMIT` not counted; every input commits once)."), ""]
    rows = []
    for backend, figures in replay.items():
        for kind, r in figures["per_kind"].items():
            rows.append([BACKEND_NAMES[backend], kind, r["inputs"], number(r["ms_median"], 2), number(r["ms_mean"], 2),
                         number(r["statements_mean"], 2), r["statements_median"], r["statements_max"]])
    lines += table(["database", "input", "inputs", "ms median", "ms mean", "statements mean", "median", "max"],
                   rows, right_from=2)
    for backend, figures in replay.items():
        shapes = figures["statement_shapes"].get("typed answer", {})
        if shapes:
            lines += [f"Statements per typed answer ({BACKEND_NAMES[backend]}), on average:", ""]
            lines += table(["statement", "per input"], [[f"`{text[:70]}…`" if len(text) > 70 else f"`{text}`",
                                                         number(count, 2)] for text, count in shapes.items()])
    return lines


def scale_section(results: dict[str, Any]) -> list[str]:
    scale = results.get("scale", [])
    if not scale:
        return []
    first = scale[0]["runs"][0]
    lines = [(f"### 10 against 10,000 preloaded projects, {first['chats']} concurrent chats, "
             f"{first['seconds']:.0f} s each"), ""]
    rows = [[BACKEND_NAMES[s["backend"]], f"{r['projects']:,}", number(r["updates_per_second"]), number(r["p50_ms"]),
             number(r["p95_ms"]), number(r["p99_ms"]), number(r["cpu_ms_per_update"], 2), number(r["rss_mib"]),
             number(r["preload_s"])] for s in scale for r in s["runs"]]
    lines += table(["database", "projects", "updates/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/update",
                    "RSS after MiB", "preload s"], rows)
    lines += table(["database", "p50, 10,000 vs 10", "p99, 10,000 vs 10", "throughput, 10,000 vs 10",
                    "memory growth"],
                   [[BACKEND_NAMES[s["backend"]], times(s["comparison"]["p50_large_vs_small"]),
                     times(s["comparison"]["p99_large_vs_small"]), times(s["comparison"]["throughput_large_vs_small"]),
                     f"{100 * s['comparison']['memory_growth']:+.1f} %"] for s in scale])
    lines += ["10,000 projects are 1.28 million answer revisions, 120,000 sign-offs and 60,000 agreements.", ""]
    return lines


def ops_section(results: dict[str, Any]) -> list[str]:
    ops = results.get("ops", {})
    if not ops:
        return []
    backends = list(ops)
    names = list(ops[backends[0]])
    lines = [f"### Single operations on a fully answered project (median of {results.get('ops_repeat', 20)}, ms)", ""]
    lines += table(["operation", *(BACKEND_NAMES[b] for b in backends)],
                   [[name, *(number(ops[b].get(name, float("nan")), 2) for b in backends)] for name in names])
    lines += [('"render" rows build text, images or files from a project already read. "turn" rows are whole '
              "engine turns, as a person sets them off: the transaction, the reads and the rendering."), ""]
    return lines


def targets_section(results: dict[str, Any]) -> list[str]:
    rows: list[list[str]] = []
    load = {run["backend"]: run["ratios"] for run in results.get("load", [])}
    if load:
        floors = {"sqlite": 0.7, "postgresql": 0.5}
        rows.append(["throughput ≥ 0.7× the echo bot (SQLite), ≥ 0.5× (PostgreSQL)",
                     ", ".join(f"{times(r['throughput_vs_echo'])} ({BACKEND_NAMES[b]})" for b, r in load.items()),
                     met(all(r["throughput_vs_echo"] >= floors[b] for b, r in load.items()))])
        rows.append(["p99 ≤ 1.5× the echo bot's at 20 concurrent chats",
                     ", ".join(f"{times(r['p99_vs_echo'])} ({BACKEND_NAMES[b]})" for b, r in load.items()),
                     met(all(r["p99_vs_echo"] <= 1.5 for r in load.values()))])
    replay = results.get("replay", {})
    if replay:
        typed = {b: f["per_kind"]["typed answer"] for b, f in replay.items() if "typed answer" in f["per_kind"]}
        rows.append(["≤ 5 statements plus COMMIT per typical answer",
                     ", ".join(f"median {t['statements_median']}, mean {number(t['statements_mean'], 2)} "
                               f"({BACKEND_NAMES[b]})" for b, t in typed.items()),
                     met(typed.get("sqlite", {}).get("statements_median", 99) <= 5)])
        every = {b: f["per_kind"]["every input"] for b, f in replay.items() if "every input" in f["per_kind"]}
        rows.append(["the engine's own CPU per input ≤ 1.5 ms in a single-process replay",
                     ", ".join(f"median {number(e['ms_median'], 2)} ms, mean {number(e['ms_mean'], 2)} ms "
                               f"({BACKEND_NAMES[b]})" for b, e in every.items()),
                     met(every.get("sqlite", {}).get("ms_mean", 99) <= 1.5)] if every else [])
        rows = [row for row in rows if row]
    scale = results.get("scale", [])
    if scale:
        rows.append(
            [
                "latency with 10,000 projects ≤ 1.2× that with 10",
                "; ".join(
                    f"p50 {times(s['comparison']['p50_large_vs_small'])}, p99 "
                    f"{times(s['comparison']['p99_large_vs_small'])} ({BACKEND_NAMES[s['backend']]})"
                    for s in scale
                ),
                met(
                    all(
                        s["comparison"]["p50_large_vs_small"] <= 1.2 and s["comparison"]["p99_large_vs_small"] <= 1.2
                        for s in scale
                    )
                ),
            ]
        )
        rows.append(["memory growth < 10 % from 10 to 10,000 projects",
                     ", ".join(f"{100 * s['comparison']['memory_growth']:+.1f} % ({BACKEND_NAMES[s['backend']]})"
                               for s in scale),
                     met(all(s["comparison"]["memory_growth"] < 0.10 for s in scale))])
    ops = results.get("ops", {})
    if ops:
        def worst(prefix: str) -> float:
            return max(value for figures in ops.values() for name, value in figures.items() if name.startswith(prefix))

        summary, export, startup = worst("/summary turn"), worst("/export turn"), worst("start-up")
        rows.append(["phase summary < 20 ms", f"{number(summary, 1)} ms as a whole `/summary` turn (slowest)",
                     met(summary < 20)])
        rows.append(["PDF export of a full project < 1 s", f"{number(export / 1000, 2)} s as a whole `/export` turn",
                     met(export < 1000)])
        rows.append(["start-up < 1 s", f"{number(startup / 1000, 2)} s (dialogs and catalogs, fresh interpreter)",
                     met(startup < 1000)])
    if not rows:
        return []
    return ["## Against the targets", "", *table(["target", "measured", ""], rows, right_from=3)]


def render(results: dict[str, Any], date: str) -> str:
    lines = [*machine_section(results, date), "## Latest figures", "", *load_section(results),
             *replay_section(results), *scale_section(results), *ops_section(results), *targets_section(results)]
    return "\n".join(lines).rstrip() + "\n"


def write_report(results_path: Path, readme_path: Path) -> None:
    results = json.loads(results_path.read_text())
    date = results["machine"].get("date") or dt.date.fromtimestamp(results_path.stat().st_mtime).isoformat()
    readme = readme_path.read_text()
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{readme_path}: the markers {BEGIN} and {END} are missing")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme_path.write_text(f"{head}{BEGIN}\n{render(results, date)}{END}{tail}")
