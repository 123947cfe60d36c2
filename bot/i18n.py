"""Catalogs, locale negotiation and locale-aware formatting (Babel).

Danish is the source language of every text (dialogs and bot UI), so `da` needs no catalog.
Every other language is one catalog, `locales/<lang>/LC_MESSAGES/messages.po`; compiled `.mo`
files are written beside it at start-up when missing or stale (or kept in memory when the
directory is read-only). Adding a language is adding a catalog: no code change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
import io
import logging
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_symbol

log = logging.getLogger(__name__)

SOURCE_LOCALE = "da"
DOMAIN = "messages"

# Telegram language codes that map to a catalog of another name.
ALIASES = {"no": "nb", "nn": "nb", "nb": "nb"}


def default_locales_dir() -> Path:
    """`locales/` beside the `bot` package (the repository root)."""
    return Path(__file__).resolve().parents[1] / "locales"


# Where our readers are: times are shown in these zones unless a person chose another.
DEFAULT_ZONES = {"da": "Europe/Copenhagen", "nb": "Europe/Oslo"}
FALLBACK_ZONE = "Europe/Copenhagen"


@dataclass(frozen=True)
class Translator:
    """Texts of one locale: `gettext`, `ngettext`, and Babel formatting."""

    locale: str
    translations: gettext.NullTranslations
    zone: str | None = None  # time zone for times shown to this reader (default: by language)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def datetime(self, value: dt.datetime, tz: str | None = None) -> str:
        """A moment in the reader's time zone, e.g. "23. nov. 2026 10.06"."""
        zone = ZoneInfo(tz or self.zone or DEFAULT_ZONES.get(self.locale, FALLBACK_ZONE))
        return format_datetime(value, format="medium", tzinfo=zone, locale=self.locale)

    def in_zone(self, zone: str | None) -> Translator:
        """The same texts, with times shown in `zone`."""
        return self if not zone or zone == self.zone else dataclasses.replace(self, zone=zone)

    def amount(self, value: Decimal, currency: str, code: bool = False) -> str:
        """`value` in the reader's format, whole amounts without decimals ("900.000 kr."); with `code`,
        the currency's code after a symbol that does not say it ("900.000 kr. (DKK)", "€250,000 (EUR)")."""
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        if value == value.to_integral_value():
            pattern = re.sub(r"0\.0+", "0", pattern)
        text = format_currency(value, currency, format=pattern, locale=self.locale, currency_digits=False)
        if code and get_currency_symbol(currency, self.locale) != currency:
            text = f"{text} ({currency})"
        return text

    def number(self, value: Decimal | int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""


class Catalogs:
    """All catalogs found under `locales/`, loaded once."""

    def __init__(self, locales_dir: Path | None = None, default_locale: str = "en") -> None:
        self.locales_dir = locales_dir or default_locales_dir()
        self._translators: dict[str, Translator] = {
            SOURCE_LOCALE: Translator(SOURCE_LOCALE, gettext.NullTranslations())
        }
        for po_path in sorted(self.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = po_path.parent.parent.name
            self._translators[locale] = Translator(locale, _load_po(po_path))
        self.default_locale = default_locale if default_locale in self._translators else SOURCE_LOCALE

    @property
    def locales(self) -> list[str]:
        """Available locales, the source language first."""
        return list(self._translators)

    def translator(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def negotiate(self, language_code: str | None) -> str:
        """Map a Telegram `language_code` (da, nb, nn, no, en-GB, …) to an available locale."""
        if not language_code:
            return self.default_locale
        code = language_code.replace("-", "_").lower()
        primary = code.split("_")[0]
        for candidate in (code, ALIASES.get(primary, primary)):
            if candidate in self._translators:
                return candidate
        return self.default_locale

    def translate(self, locale: str, message: str) -> str | None:
        """The translation of `message` in `locale`, or None when the catalog lacks it."""
        if locale == SOURCE_LOCALE:
            return message
        translations = self._translators[locale].translations
        catalog = getattr(translations, "_catalog", {})
        value = catalog.get(message)
        return value or None

    def language_name(self, locale: str) -> str:
        """The language's own name, e.g. "norsk bokmål"."""
        try:
            return Locale.parse(locale).get_display_name(locale) or locale
        except (UnknownLocaleError, ValueError):
            return locale


def _load_po(po_path: Path) -> gettext.NullTranslations:
    """Compile `po_path` to `.mo` beside it if missing or stale, and load it."""
    mo_path = po_path.with_suffix(".mo")
    try:
        fresh = mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime
    except OSError:
        fresh = False
    if not fresh:
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=po_path.parent.parent.name)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        try:
            temporary = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
            temporary.write_bytes(buffer.getvalue())
            os.replace(temporary, mo_path)
        except OSError:
            log.info("cannot write %s; using the catalog from memory", mo_path)
            buffer.seek(0)
            return gettext.GNUTranslations(buffer)
    with mo_path.open("rb") as stream:
        return gettext.GNUTranslations(stream)
