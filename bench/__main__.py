"""`python -m bench …`: the benchmarks of bench/README.md, one command each.

    python -m bench load     spredning, the PTB questionnaire peer and the bare PTB echo bot under one load
    python -m bench scale    spredning with 10 and with 10,000 preloaded projects
    python -m bench ops      single operations on a fully answered project, and start-up
    python -m bench replay   a single-process replay through Engine.handle: ms and SQL statements per input
    python -m bench preload  fill a database with fully answered projects
    python -m bench all      all of the above on SQLite and PostgreSQL
    python -m bench report   bench/README.md's figures, written from bench/results.json

Every command prints a table and, with --json FILE, writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from bench.load import measure
from bench.preload import preload

BACKENDS = ("sqlite", "postgresql")


@contextlib.contextmanager
def database(backend: str, workdir: Path) -> Iterator[str]:
    """A fresh, empty database URL on `backend` (PostgreSQL: a throwaway cluster)."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    from devtools.postgres import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found (set PG_BIN)")
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server.create_database()
    finally:
        server.stop()


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import datetime as dt
    import os

    import sqlalchemy
    import telegram

    return {
        "date": dt.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "ptb": telegram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "system": platform.platform(),
    }


def print_rows(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    print(f"\n{title}")
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(w) for c, w in zip(columns, widths, strict=True)))


LOAD_COLUMNS = ["scenario", "backend", "chats", "updates", "updates_per_second", "p50_ms", "p95_ms", "p99_ms",
                "cpu_ms_per_update", "bot_cpu_share", "harness_cpu_share", "peak_mib", "quiet_turns"]


RATIO_FIGURES = {"throughput": "updates_per_second", "p99": "p99_ms", "p50": "p50_ms",
                 "cpu_per_update": "cpu_ms_per_update"}


def ratios(spredning: dict[str, Any], **baselines: dict[str, Any]) -> dict[str, float]:
    """spredning's figures over each baseline's: `throughput_vs_echo`, …, `cpu_per_update_vs_peer`."""
    return {f"{name}_vs_{baseline}": round(spredning[key] / row[key], 2)
            for baseline, row in baselines.items() for name, key in RATIO_FIGURES.items()}


def cmd_load(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"load": []}
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="spredning-bench-") as tmp:
            workdir = Path(tmp)
            echo = asyncio.run(measure("echo", workdir / "echo", args.chats, args.warmup, args.duration)).summary()
            peer = asyncio.run(measure("peer", workdir / "peer", args.chats, args.warmup, args.duration)).summary()
            with database(backend, workdir) as url:
                ours = asyncio.run(measure("spredning", workdir / "spredning", args.chats, args.warmup,
                                           args.duration, url)).summary()
            for row in (echo, peer, ours):
                row["backend"] = backend if row["scenario"] == "spredning" else "-"
            results["load"].append({"backend": backend, "echo": echo, "peer": peer, "spredning": ours,
                                    "ratios": ratios(ours, echo=echo, peer=peer)})
            print_rows(f"load, {args.chats} concurrent chats, {args.duration:.0f} s ({backend})",
                       [echo, peer, ours], LOAD_COLUMNS)
            print("ratios:", results["load"][-1]["ratios"])
    return results


SCALE_COLUMNS = ["backend", "projects", "updates_per_second", "p50_ms", "p95_ms", "p99_ms", "cpu_ms_per_update",
                 "rss_mib", "peak_mib", "preload_s"]


def cmd_scale(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"scale": []}
    for backend in args.backends:
        rows = []
        for projects in args.projects:
            with tempfile.TemporaryDirectory(prefix="spredning-bench-") as tmp, database(backend, Path(tmp)) as url:
                filled = preload(url, projects)
                row = asyncio.run(measure("spredning", Path(tmp) / "run", args.chats, args.warmup, args.duration,
                                          url)).summary()
            row.update(backend=backend, projects=projects,
                       preload_s=round(filled["template_seconds"] + filled["copy_seconds"]
                                       + filled["settle_seconds"], 1))
            rows.append(row)
        small, large = rows[0], rows[-1]
        comparison = {
            "p50_large_vs_small": round(large["p50_ms"] / small["p50_ms"], 2),
            "p99_large_vs_small": round(large["p99_ms"] / small["p99_ms"], 2),
            "throughput_large_vs_small": round(large["updates_per_second"] / small["updates_per_second"], 2),
            "memory_growth": round(large["rss_mib"] / small["rss_mib"] - 1, 3),
        }
        results["scale"].append({"backend": backend, "runs": rows, "comparison": comparison})
        print_rows(f"scale, {args.chats} concurrent chats, {args.duration:.0f} s ({backend})", rows, SCALE_COLUMNS)
        print("comparison:", comparison)
    return results


def cmd_ops(args: argparse.Namespace) -> dict[str, Any]:
    from bench.ops import measure_ops

    results: dict[str, Any] = {"ops": {}}
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="spredning-bench-") as tmp, database(backend, Path(tmp)) as url:
            figures = measure_ops(url, args.repeat)
        results["ops"][backend] = figures
        print(f"\nsingle operations, median ms ({backend})")
        for name, value in figures.items():
            print(f"  {value:>9.2f}  {name}")
    return results


def next_url(urls: Iterator[str], name: str) -> str:
    """The next of the databases made for a replay (they are made before, not by name)."""
    return next(urls)


def cmd_replay(args: argparse.Namespace) -> dict[str, Any]:
    from bench.replay import measure_replay

    results: dict[str, Any] = {"replay": {}}
    columns = ["kind", "inputs", "ms_median", "ms_mean", "statements_mean", "statements_median", "statements_max",
               "commits_mean"]
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="spredning-bench-") as tmp:
            if backend == "sqlite":
                figures = measure_replay(lambda name: f"sqlite:///{Path(tmp) / name}.sqlite3", args.profile)
            else:
                with database(backend, Path(tmp)) as first, database(backend, Path(tmp) / "2") as second:
                    urls = iter([first, second])
                    figures = measure_replay(partial(next_url, urls), args.profile)
        results["replay"][backend] = figures
        print_rows(f"replay through Engine.handle ({backend})",
                   [{"kind": k, **v} for k, v in figures["per_kind"].items()], columns)
        for kind, shapes in figures["statement_shapes"].items():
            print(f"\n  statements per {kind} input, by shape:")
            for text, count in shapes.items():
                print(f"    {count:>6.2f}  {text}")
    return results


def cmd_walk(args: argparse.Namespace) -> dict[str, Any]:
    from bench.walk import measure_walks

    return {"walk": measure_walks()}


def cmd_preload(args: argparse.Namespace) -> dict[str, Any]:
    figures = preload(args.database_url, args.projects)
    print(figures)
    return {"preload": figures}


def cmd_all(args: argparse.Namespace) -> dict[str, Any]:
    """Everything, on both backends, with the defaults of each command."""
    results: dict[str, Any] = {}
    common = {"backends": list(BACKENDS), "chats": args.chats, "warmup": args.warmup, "duration": args.duration}
    # The replay first: it times this process, before the preloads below fill its heap.
    results.update(cmd_replay(argparse.Namespace(backends=list(BACKENDS), profile=0)))
    results.update(cmd_load(argparse.Namespace(**common)))
    results.update(cmd_scale(argparse.Namespace(**common, projects=[10, 10_000])))
    results.update(cmd_ops(argparse.Namespace(backends=list(BACKENDS), repeat=20)))
    return results


def cmd_report(args: argparse.Namespace) -> None:
    from bench.report import write_report

    write_report(args.results, args.readme)
    print(f"{args.readme}: figures written from {args.results}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    main.add_argument("--json", type=Path, help="also write the figures to this file")
    commands = main.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="spredning against the PTB questionnaire peer and the echo bot")
    load.add_argument("--backends", nargs="+", choices=BACKENDS, default=["sqlite"])
    load.add_argument("--chats", type=int, default=20)
    load.add_argument("--warmup", type=float, default=5)
    load.add_argument("--duration", type=float, default=30)
    scale = commands.add_parser("scale", help="10 against 10,000 preloaded projects")
    scale.add_argument("--backends", nargs="+", choices=BACKENDS, default=["sqlite"])
    scale.add_argument("--projects", nargs="+", type=int, default=[10, 10_000])
    scale.add_argument("--chats", type=int, default=20)
    scale.add_argument("--warmup", type=float, default=5)
    scale.add_argument("--duration", type=float, default=30)
    ops = commands.add_parser("ops", help="single operations and start-up")
    ops.add_argument("--backends", nargs="+", choices=BACKENDS, default=["sqlite"])
    ops.add_argument("--repeat", type=int, default=20)
    everything = commands.add_parser("all", help="load, scale, ops and replay on SQLite and PostgreSQL")
    everything.add_argument("--chats", type=int, default=20)
    everything.add_argument("--warmup", type=float, default=5)
    everything.add_argument("--duration", type=float, default=30)
    rep = commands.add_parser("replay", help="a single-process replay: ms and SQL statements per input")
    rep.add_argument("--backends", nargs="+", choices=BACKENDS, default=["sqlite"])
    rep.add_argument("--profile", type=int, default=0, help="print this many cProfile rows (by own time)")
    report = commands.add_parser("report", help="write bench/README.md's figures from bench/results.json")
    report.add_argument("--results", type=Path, default=Path(__file__).with_name("results.json"))
    report.add_argument("--readme", type=Path, default=Path(__file__).with_name("README.md"))
    commands.add_parser("walk", help="the files one typed answer and one web answer pass through, in order")
    pre = commands.add_parser("preload", help="fill a database with fully answered projects")
    pre.add_argument("--database-url", required=True)
    pre.add_argument("--projects", type=int, default=10_000)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "report":
        cmd_report(args)
        return 0
    handlers = {
        "load": cmd_load,
        "scale": cmd_scale,
        "ops": cmd_ops,
        "preload": cmd_preload,
        "replay": cmd_replay,
        "walk": cmd_walk,
        "all": cmd_all,
    }
    results = {"machine": machine(), **handlers[args.command](args)}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
