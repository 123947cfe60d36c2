"""Read what a person typed into an answer value for a question's kind, and say back what was read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.engine.amounts import AmbiguousValue, Amount, InvalidValue, parse_amount
from bot.engine.dates import DateReading, parse_date
from bot.guide.model import Question
from bot.i18n import Translator

__all__ = ["AmbiguousValue", "InvalidValue", "parse_typed", "reading_value", "said_back"]

TYPED_KEY = "typed"  # the text an amount or a date was read from, kept beside the value


CURRENCY_BY_LANGUAGE = {"da": "DKK", "nb": "NOK", "sv": "SEK"}  # the currency of a language's country


def default_currency(locale: str) -> str:
    """The currency of a reader's own country when nothing else is known (da DKK, nb NOK, else EUR)."""
    return CURRENCY_BY_LANGUAGE.get(locale, "EUR")


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


def parse_typed(question: Question, text: str, translate: Callable[[str], str], locale: str,
                currency: str | None = None) -> dict[str, Any]:
    """The value a typed text gives a choice, yes/no, scale, amount or date question (a choice as
    ``{"choice": id}``); an amount with no currency named is in `currency` (the organisation's).
    `AmbiguousValue` when it could mean two values (its readings, see `reading_value`), `InvalidValue`
    when it does not fit the question's kind."""
    if question.kind in ("choice", "yes_no"):
        choice = match_choice(question, text, translate)
        if choice is None:
            raise InvalidValue(text)
        return {"choice": choice}
    if question.kind == "scale":
        return {"scale": parse_scale(text)}
    if question.kind == "amount":
        reading: Amount | DateReading = parse_amount(text, locale, currency or default_currency(locale))
    else:
        reading = parse_date(text, locale)
    return {**reading_value(reading), TYPED_KEY: text.strip()[:200]}


def reading_value(reading: object) -> dict[str, Any]:
    """The stored value of one reading of an amount or a date."""
    if isinstance(reading, Amount):
        return {"amount": str(reading.value), "currency": reading.currency}
    if isinstance(reading, DateReading):
        value: dict[str, Any] = {"date": reading.date.isoformat()}
        return {**value, "month": True} if reading.month_only else value
    raise TypeError(reading)


def said_back(t: Translator, value: dict[str, Any], label: Callable[[str], str] | None = None) -> str:
    """What a value was read as, in the reader's format: "900.000 kr. (DKK)", "1. juni 2027"."""
    if "amount" in value:
        return t.amount(Decimal(str(value["amount"])), str(value.get("currency", "DKK")), code=True)
    if "date" in value:
        date = t.date(dt.date.fromisoformat(str(value["date"])))
        if value.get("month"):
            return t.gettext("{date} (den første i måneden)").format(date=date)
        return date
    if "scale" in value:
        return t.number(int(value["scale"]))
    if "choice" in value and label is not None:
        return label(str(value["choice"]))
    return ""
