"""The `spredning` command: run the bot, try it in a terminal, check the guide, migrate the database.

    spredning run [--webhook …]   the Telegram bot (long polling by default)
    spredning console             the same conversation in a terminal
    spredning check [--data]      validate dialogs and catalogs, print what they hold (and doubtful amounts)
    spredning migrate             bring the database schema up to date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.logs import configure_logging

if TYPE_CHECKING:
    from storage import Database


def cmd_check_data(settings: Settings) -> int:
    """List stored amounts that look like a thousandth of what was meant (`storage.data_check`)."""
    from bot.guide.loader import load_guide
    from storage import Database
    from storage.data_check import suspect_amounts

    guide = load_guide()
    keys = [q.key for q in guide.all_questions() if q.kind == "amount"]
    database = Database(settings.database_url)
    try:
        found = suspect_amounts(database, keys)
    finally:
        database.dispose()
    print()
    print(f"{len(found)} stored amount(s) under 1,000 crowns to confirm with the people who gave them:")
    for suspect in found:
        print(f"  {suspect.project} · {suspect.organisation or '-'} · {suspect.question_key}: "
              f"{suspect.amount} {suspect.currency}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate dialogs and catalogs; print questions per tool and side, and translation coverage.

    Also fails on a button label over its length limit and on a word the terminology table rules out."""
    from bot.catalog_check import all_problems
    from bot.guide.loader import DialogError, check_translations, load_guide
    from bot.i18n import Catalogs

    try:
        guide = load_guide(args.dialogs)
    except DialogError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the dialogs.", file=sys.stderr)
        return 1
    catalogs = Catalogs(args.locales)
    header = f"{'phase':<10} {'tool':<18} {'sharer q/sub':>12} {'reuser q/sub':>12}"
    print(header)
    print("-" * len(header))
    totals = {"sharer": [0, 0], "reuser": [0, 0]}
    for phase in guide.phases:
        for tool in phase.tools:
            cells = []
            for side in ("sharer", "reuser"):
                questions = tool.questions_for(side)
                hints = sum(len(q.hints) for q in questions)
                totals[side][0] += len(questions)
                totals[side][1] += hints
                cells.append(f"{len(questions)}/{hints}")
            print(f"{phase.id:<10} {tool.id:<18} {cells[0]:>12} {cells[1]:>12}")
    print("-" * len(header))
    print(f"{'total':<29} {'/'.join(map(str, totals['sharer'])):>12} {'/'.join(map(str, totals['reuser'])):>12}")
    print()
    problems: list[str] = []
    texts = {t.msgid for t in guide.texts}
    print(f"{'locale':<8} {'dialog texts translated':>24}")
    for locale in catalogs.locales:
        missing = check_translations(guide, [locale], catalogs.translate)
        problems += missing
        done = len(texts) - len({p.rsplit(': ', 1)[-1] for p in missing})
        print(f"{locale:<8} {done:>12}/{len(texts)} ({100 * done // max(len(texts), 1)} %)")
    root = Path(__file__).resolve().parents[1]
    problems += all_problems(guide, catalogs, root)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) in the catalogs.", file=sys.stderr)
        return 1
    print("\nOK")
    return 0


def open_database(settings: Settings) -> Database:
    from storage import Database

    database = Database(settings.database_url)
    database.upgrade()
    return database


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_engine
    from bot.console import run_console

    database = open_database(settings)
    engine = build_engine(database, default_locale=settings.default_locale)
    run_console(engine, speaker=args.speaker)
    database.dispose()
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    database = open_database(settings)
    print(f"database at revision {database.current_revision()}")
    database.dispose()
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    return run_bot(settings, args)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="spredning", description=__doc__.splitlines()[0])
    main.add_argument("--database-url", help="SQLAlchemy URL (default: $DATABASE_URL or the embedded SQLite file)")
    main.add_argument("--log-level", help="DEBUG, INFO, WARNING … (default: $LOG_LEVEL or INFO)")
    main.add_argument("--default-locale", help="language for people whose language has no catalog (default: en)")
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Telegram bot")
    run.add_argument("--token", help="bot token (default: $TELEGRAM_BOT_TOKEN)")
    run.add_argument("--api-base", help="Bot API base URL (default: $TELEGRAM_API_BASE or Telegram's)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of long polling")
    run.add_argument("--listen", default="0.0.0.0", help="webhook listen address")
    run.add_argument("--port", type=int, default=8443, help="webhook port")
    run.add_argument("--url", help="public webhook URL (https://…)")
    run.add_argument("--secret", help="webhook secret token (default: $TELEGRAM_WEBHOOK_SECRET)")
    console = commands.add_parser("console", help="talk to the bot in the terminal")
    console.add_argument("--as", dest="speaker", default="anna", help="who speaks first")
    check = commands.add_parser("check", help="validate dialogs and catalogs")
    check.add_argument("--dialogs", type=Path, default=None)
    check.add_argument("--locales", type=Path, default=None)
    check.add_argument("--data", action="store_true",
                       help="also list stored amounts to confirm with the people who gave them")
    commands.add_parser("migrate", help="upgrade the database schema")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    overrides = {
        "database_url": args.database_url, "log_level": args.log_level, "default_locale": args.default_locale,
        "token": getattr(args, "token", None), "api_base": getattr(args, "api_base", None),
        "webhook_secret": getattr(args, "secret", None),
    }
    settings = settings.__class__(**{**settings.__dict__, **{k: v for k, v in overrides.items() if v}})
    configure_logging(settings.log_level, (settings.token or "", settings.webhook_secret or ""))
    if args.command == "check":
        return cmd_check(args) or (cmd_check_data(settings) if args.data else 0)
    if args.command == "console":
        return cmd_console(args, settings)
    if args.command == "migrate":
        return cmd_migrate(args, settings)
    return cmd_run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
