"""Composition root: load the guide and catalogs, open the database, build the engine and its parts."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.engine.engine import Engine
from bot.engine.model import Document
from bot.engine.ports import Links, UnitOfWork
from bot.engine.progress import ProjectProgress
from bot.engine.records import SignoffRecord
from bot.engine.reminders import Reminders
from bot.guide.loader import DialogError, check_translations, load_guide
from bot.guide.model import Guide, Tool
from bot.i18n import Catalogs, Translator
from storage import Database


def load_content(dialogs_dir: Path | None = None, locales_dir: Path | None = None,
                 default_locale: str = "en") -> tuple[Guide, Catalogs]:
    """The validated guide and its catalogs; `DialogError` lists every problem."""
    guide = load_guide(dialogs_dir)
    catalogs = Catalogs(locales_dir, default_locale)
    problems = check_translations(guide, [loc for loc in catalogs.locales if loc != "da"], catalogs.translate)
    if problems:
        raise DialogError(problems)
    return guide, catalogs


class ExportFiles:
    """Charts and exports from `bot.export`, imported on first use (Pillow and fpdf2 load slowly)."""

    def profile_chart(self, t: Translator, progress: ProjectProgress, tool: Tool) -> bytes | None:
        from bot.export.chart import profile_chart

        return profile_chart(t, progress, tool)

    def project_files(self, t: Translator, progress: ProjectProgress, signoffs: list[SignoffRecord],
                      names: dict[int, str], now: dt.datetime, zone: str) -> tuple[Document, ...]:
        from bot.export.project import export_project

        export = export_project(t, progress, signoffs, names, now, zone)
        return (Document(f"{export.basename}.pdf", export.pdf, "application/pdf"),
                Document(f"{export.basename}.md", export.markdown.encode("utf-8"), "text/markdown"))


def compose_engine(guide: Guide, catalogs: Catalogs, unit_of_work: Callable[[], UnitOfWork],
                   links: Links | None = None, **options: Any) -> Engine:
    """An engine with the real documents (`options`: the engine's clock, invite_ttl, nudge_delay)."""
    return Engine(guide, catalogs, unit_of_work, ExportFiles(), links, **options)


def build_engine(database: Database, links: Links | None = None, default_locale: str = "en",
                 dialogs_dir: Path | None = None, locales_dir: Path | None = None) -> Engine:
    guide, catalogs = load_content(dialogs_dir, locales_dir, default_locale)
    return compose_engine(guide, catalogs, database.unit_of_work, links)


def build_reminders(engine: Engine) -> Reminders:
    return Reminders(engine.guide, engine.catalogs, engine.unit_of_work, engine.clock)


def run_bot(settings: Settings, args: argparse.Namespace) -> int:
    """`spredning run`: the Telegram bot on the configured database, until stopped."""
    from bot.telegram.application import build_application
    from bot.telegram.runner import fail, run_application

    if not settings.token:
        return fail("no bot token: set TELEGRAM_BOT_TOKEN (create a bot with @BotFather) or pass --token.")
    if args.webhook and not args.url:
        return fail("--webhook needs --url, the public https URL Telegram will call.")
    from bot.telegram.runner import bot_api_problem

    problem = bot_api_problem(settings.token, settings.api_base)  # before anything is created
    if problem:
        return fail(problem)
    try:
        database = Database(settings.database_url)
        print(f"spredning: database {database.where()}", file=sys.stderr)
        database.upgrade()
        guide, catalogs = load_content(default_locale=settings.default_locale)
    except DialogError as error:
        return fail(f"the dialogs or catalogs are invalid:\n{error}")
    signer = web_signer(settings)
    application = build_application(
        lambda links: compose_engine(guide, catalogs, database.unit_of_work, with_web(links, settings, signer),
                                     nudge_delay=dt.timedelta(seconds=settings.nudge_delay_seconds)),
        settings.token, settings.api_base, reminders=True, max_messages_per_second=settings.max_messages_per_second,
        inline=database.is_sqlite, companions=mail_workers(settings))
    beside = None
    if signer is not None and settings.web_url:
        beside = web_beside(application, signer, settings)
    try:
        return run_application(application, args, settings.api_base, settings.webhook_secret, beside)
    finally:
        database.dispose()


def web_signer(settings: Settings) -> Any:
    """The signer of personal web links, when a public base URL is configured (else None). Its
    secret is `SPREDNING_WEB_SECRET`, or one derived from the bot token (rotating the token then
    ends every link)."""
    if not settings.web_url:
        return None
    import hashlib

    from bot.web.tokens import Signer

    secret = settings.web_secret or hashlib.sha256(b"spredning-web:" + (settings.token or "").encode()).hexdigest()
    return Signer(secret)


def with_web(links: Links, settings: Settings, signer: Any) -> Links:
    if signer is None or not settings.web_url:
        return links
    from bot.web.tokens import with_web_links

    return with_web_links(links, signer, settings.web_url, mini_app=settings.web_url.startswith("https://"),
                          mail=settings.mail)


def mail_workers(settings: Settings) -> Callable[[Engine], Sequence[Any]]:
    """The mail worker beside the bot, when mail is configured."""
    def workers(engine: Engine) -> Sequence[Any]:
        if not settings.mail:
            return ()
        from bot.mail.smtp import Relay
        from bot.mail.worker import MailWorker

        return (MailWorker(engine, Relay.from_url(settings.smtp_url or ""), settings.mail_from or ""),)
    return workers


def web_app(engine: Engine, signer: Any, base_url: str, bot_token: str | None = None,
            on_outbox_due: Callable[[], None] | None = None) -> Any:
    """The web page's ASGI application over `engine` (Starlette)."""
    from bot.web.app import WebApp

    return WebApp(engine, signer, base_url, bot_token, on_outbox_due)


def web_beside(application: Any, signer: Any, settings: Settings) -> Callable[[Any], Any]:
    """The web page, served beside the bot in its event loop; answers given there wake the outbox."""
    from bot.web.serve import serve_web

    adapter = application.bot_data["adapter"]

    def wake() -> None:
        if adapter.worker is not None:
            adapter.worker.wake()

    web = web_app(adapter.engine, signer, settings.web_url or "", settings.token, wake)
    return lambda stop: serve_web(web.asgi(), settings.web_listen, settings.web_port, stop)
