"""Composition: load the guide and catalogs, open the database, build the engine."""

from __future__ import annotations

from pathlib import Path

from bot.engine.engine import Engine, Links
from bot.engine.reminders import Reminders
from bot.guide.loader import DialogError, check_translations, load_guide
from bot.guide.model import Guide
from bot.i18n import Catalogs
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


def build_engine(database: Database, links: Links | None = None, default_locale: str = "en",
                 dialogs_dir: Path | None = None, locales_dir: Path | None = None) -> Engine:
    guide, catalogs = load_content(dialogs_dir, locales_dir, default_locale)
    return Engine(guide, catalogs, database.unit_of_work, links)


def build_reminders(engine: Engine) -> Reminders:
    return Reminders(engine.guide, engine.catalogs, engine.unit_of_work, engine.clock)
