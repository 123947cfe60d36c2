"""Dates as people write them, in numbers or with the month's name; a month alone is its first day.

`31-12-2026`, `31.12.26`, `2026-12-31`, `1. juni 2027`, `1 June 2027`, `June 1, 2027`, `juni 2027`.
Month names come from Babel (`get_month_names`, wide and abbreviated) in the reader's language and
in Danish, Norwegian and English, as people mix them. Numbers are day, month, year; a reader of
English who writes `03/04/2027` could mean either order and is asked (`AmbiguousValue`), and
`12/31/2026` is read as the month first since no other reading exists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from babel.dates import get_month_names

from bot.engine.amounts import AmbiguousValue, InvalidValue

_NUMERIC = re.compile(r"(\d{1,2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?,?\s*(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-zæøå]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})")
_MONTH_YEAR = re.compile(r"([a-zæøå]+)\.?\s*(\d{4})")
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b")
MIXED = ("da", "nb", "en")


class NoSuchDate(InvalidValue):
    """The text has the shape of a date that does not exist (`31-02-2027`)."""


@dataclass(frozen=True)
class DateReading:
    """A date as read; `month_only` when only a month and a year were given (the first is meant)."""

    date: dt.date
    month_only: bool = False


def parse_date(text: str, locale: str) -> DateReading:
    """The date `text` names for a reader of `locale`; `AmbiguousValue` with both readings of a
    day and month that could be either, `NoSuchDate` for one that does not exist, else `InvalidValue`."""
    cleaned = " ".join(text.strip().lower().split())
    cleaned = _ORDINAL.sub(r"\1", cleaned).replace(" of ", " ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        return DateReading(_date(text, int(cleaned[:4]), int(cleaned[5:7]), int(cleaned[8:])))
    if match := _NUMERIC.fullmatch(cleaned):
        first, separator, second, year = int(match.group(1)), match.group(2), int(match.group(3)), match.group(4)
        full_year = int(year) if len(year) == 4 else 2000 + int(year)
        if locale.startswith("en") and separator == "/":
            if first <= 12 < second:  # the month first: no other reading exists
                return DateReading(_date(text, full_year, first, second))
            if first != second and first <= 12 and second <= 12:
                raise AmbiguousValue(text, (DateReading(_date(text, full_year, second, first)),
                                            DateReading(_date(text, full_year, first, second))))
        return DateReading(_date(text, full_year, second, first))
    if match := _DAY_MONTH_YEAR.fullmatch(cleaned):
        return DateReading(_date(text, int(match.group(3)), _month(text, match.group(2), locale), int(match.group(1))))
    if match := _MONTH_DAY_YEAR.fullmatch(cleaned):
        return DateReading(_date(text, int(match.group(3)), _month(text, match.group(1), locale), int(match.group(2))))
    if match := _MONTH_YEAR.fullmatch(cleaned):
        return DateReading(_date(text, int(match.group(2)), _month(text, match.group(1), locale), 1), month_only=True)
    raise InvalidValue(text)


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12 or not 1 <= day <= 31 or not 1900 <= year <= 2200:
        raise NoSuchDate(text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDate(text) from None


def _month(text: str, name: str, locale: str) -> int:
    month = month_numbers(locale).get(name.rstrip("."))
    if month is None:
        raise InvalidValue(text)
    return month


@cache
def month_numbers(locale: str) -> dict[str, int]:
    """Month names (wide and abbreviated, without their dot) in `locale` and the mixed languages -> 1…12."""
    names: dict[str, int] = {"sept": 9}
    for language in (*MIXED, locale):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=language).items():
                    names.setdefault(name.lower().rstrip("."), number)
    return names
