"""Parse what a person typed into an answer value for a question's kind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from bot.guide.model import Question

CURRENCIES = ("DKK", "NOK", "EUR", "SEK", "USD")
_CURRENCY_WORDS = {"kr": None, "kr.": None, "kroner": None, "€": "EUR", "euro": "EUR"}
_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y")


class InvalidValue(ValueError):
    """The text does not fit the question's kind."""


def default_currency(locale: str) -> str:
    return {"da": "DKK", "nb": "NOK"}.get(locale, "EUR")


def parse_amount(text: str, locale: str) -> tuple[Decimal, str]:
    """`"250.000 kr"` -> (250000, "DKK" for a Danish reader)."""
    currency: str | None = None
    rest = text.strip()
    for code in CURRENCIES:
        if re.search(rf"\b{code}\b", rest, re.IGNORECASE):
            currency = code
            rest = re.sub(rf"\b{code}\b", "", rest, flags=re.IGNORECASE)
    for word, named in _CURRENCY_WORDS.items():
        if word in rest.lower():
            currency = currency or named
            rest = re.sub(re.escape(word), "", rest, flags=re.IGNORECASE)
    number = re.sub(r"\s", "", rest).strip(" ,-")
    if not number or not re.fullmatch(r"[0-9.,']+", number):
        raise InvalidValue(text)
    for loc in (locale, "en"):
        try:
            value = parse_decimal(number, locale=loc, strict=False)
            break
        except NumberFormatError:
            continue
    else:
        raise InvalidValue(text)
    if value < 0:
        raise InvalidValue(text)
    return value, currency or default_currency(locale)


def parse_date(text: str) -> dt.date:
    """Dates as people write them in Denmark and Norway, or ISO."""
    cleaned = text.strip()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise InvalidValue(text)


def parse_scale(text: str) -> int:
    cleaned = text.strip()
    if cleaned in {"1", "2", "3", "4", "5"}:
        return int(cleaned)
    raise InvalidValue(text)


def match_choice(question: Question, text: str, translate: Callable[[str], str]) -> str | None:
    """The option a typed text names (its label in the reader's language, or its id)."""
    wanted = text.strip().casefold()
    for option in question.choices():
        if wanted in {option.id.casefold(), translate(option.label).casefold(), option.label.casefold()}:
            return option.id
    return None
