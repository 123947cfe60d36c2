"""Parse what a person typed into an answer value for a question's kind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from bot.guide.model import Question

CURRENCIES = ("DKK", "NOK", "EUR", "SEK", "USD")
_CURRENCY_WORDS = ((r"\bkroner\b", None), (r"\bkr\b\.?", None), (r"€", "EUR"), (r"\beuro\b", "EUR"), (r"\$", "USD"))
_APPROXIMATELY = re.compile(r"\b(ca|cirka|circa|omkring|omtrent|about|around|approx|approximately)\b\.?|~")
_MULTIPLIERS = {
    "k": 1_000, "t": 1_000, "tusind": 1_000, "tusen": 1_000, "thousand": 1_000,
    "m": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "mill": 1_000_000, "mil": 1_000_000,
    "million": 1_000_000, "millioner": 1_000_000, "millions": 1_000_000,
    "mia": 1_000_000_000, "mrd": 1_000_000_000, "milliard": 1_000_000_000, "milliarder": 1_000_000_000,
    "bn": 1_000_000_000, "billion": 1_000_000_000,
}
_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y")


class InvalidValue(ValueError):
    """The text does not fit the question's kind."""


def default_currency(locale: str) -> str:
    return {"da": "DKK", "nb": "NOK"}.get(locale, "EUR")


def parse_amount(text: str, locale: str) -> tuple[Decimal, str]:
    """An amount as people write it: `"250.000 kr"`, `"1,2 mio. kr."`, `"1.2m"`, `"ca. 800.000"`,
    `"300 t.kr."` -> (amount, currency; the reader's own currency when none is named)."""
    rest = text.strip().lower()
    currency: str | None = None
    for code in CURRENCIES:
        if re.search(rf"\b{code.lower()}\b", rest):
            currency = code
            rest = re.sub(rf"\b{code.lower()}\b", " ", rest)
    factor = 1
    if re.search(r"\bt\.?\s?kr\b\.?", rest):  # "t.kr." / "tkr": thousands of kroner
        factor, rest = 1_000, re.sub(r"\bt\.?\s?kr\b\.?", " ", rest)
    for pattern, named in _CURRENCY_WORDS:
        if re.search(pattern, rest):
            currency = currency or named
            rest = re.sub(pattern, " ", rest)
    rest = _APPROXIMATELY.sub(" ", rest)
    match = re.fullmatch(r"\s*([0-9][0-9.,'\s]*?)\s*([a-zæøå]*)\.?\s*", rest)
    if match is None:
        raise InvalidValue(text)
    number, word = re.sub(r"[\s']", "", match.group(1)).strip(".,"), match.group(2)
    if word:
        if word not in _MULTIPLIERS or factor != 1:
            raise InvalidValue(text)
        factor = _MULTIPLIERS[word]
    value = _decimal(number, locale, scaled=factor != 1)
    if value is None or value < 0:
        raise InvalidValue(text)
    amount = value * factor
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return amount, currency or default_currency(locale)


def _decimal(number: str, locale: str, scaled: bool) -> Decimal | None:
    """`number` in the reader's notation (or English); before "mio." a lone separator with other
    than three digits after it is a decimal point ("1,2 mio." and "1.2m" are both 1.2 million)."""
    if not number or not re.fullmatch(r"[0-9.,]+", number):
        return None
    if scaled and len(re.findall(r"[.,]", number)) == 1 and len(re.split(r"[.,]", number)[1]) != 3:
        return Decimal(number.replace(",", "."))
    for loc in (locale, "en"):
        try:
            return parse_decimal(number, locale=loc, strict=False)
        except NumberFormatError:
            continue
    return None


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


def parse_typed(question: Question, text: str, translate: Callable[[str], str], locale: str) -> dict[str, str | int]:
    """The value a typed text gives a choice, yes/no, scale, amount or date question (a choice as
    ``{"choice": id}``); `InvalidValue` when it does not fit the question's kind."""
    if question.kind in ("choice", "yes_no"):
        choice = match_choice(question, text, translate)
        if choice is None:
            raise InvalidValue(text)
        return {"choice": choice}
    if question.kind == "scale":
        return {"scale": parse_scale(text)}
    if question.kind == "amount":
        amount, currency = parse_amount(text, locale)
        return {"amount": str(amount), "currency": currency}
    return {"date": parse_date(text).isoformat()}
