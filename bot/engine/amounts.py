"""Amounts as people write them: `250.000 kr`, `1,2 mio.`, `-50.000 kr`, `NOK 900 000`, `1.5m` …

Babel reads and checks the digits (`parse_decimal(strict=True)` in the convention the separators
show, the reader's decimal mark from `get_decimal_symbol`). Around it: currency codes, symbols and
crown words, scale words ("mio.", "mill.", "k"), a leading minus, spaces as thousands separators,
and which of `.` and `,` is the decimal mark when one separator with three digits after it could be
either. Such a text is never guessed: `AmbiguousValue` carries both readings, for the person to choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

CROWNS = ("DKK", "NOK", "SEK")
LARGEST = Decimal(10) ** 14  # beyond any public budget: a typing slip
CURRENCIES = ("DKK", "NOK", "SEK", "EUR", "USD", "GBP")

_CODES = re.compile(r"(?<![a-zæøå])(dkk|nok|sek|eur|usd|gbp)(?![a-zæøå])")
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
_NAMED = re.compile(r"(?<![a-zæøå])(euro|euros|dollars?|pounds?)(?![a-zæøå])")
_NAMED_CODES = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP"}
_THOUSAND_CROWNS = re.compile(r"(?<![a-zæøå])(t\.?\s?kr|tkr)\.?(?![a-zæøå])")  # "300 t.kr.": thousands
_CROWN_WORDS = re.compile(r"(?<![a-zæøå])(kroner|krone|kronor|kronur|kr)\.?(?![a-zæøå])")
_NO_DECIMALS = re.compile(r",-+\s*$")  # "250.000,-": whole crowns
_APPROXIMATELY = re.compile(r"(?<![a-zæøå])(ca|cirka|circa|omkring|omtrent|about|around|approx|approximately)"
                            r"(?![a-zæøå])\.?|~")
_MINUS_WORD = re.compile(r"(?<![a-zæøå])minus(?![a-zæøå])")
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "’": "'", "−": "-", "–": "-"})
_SHAPE = re.compile(r"(-)?\s*([0-9][0-9.,' ]*?)\s*([a-zæøå]+)?\.?")
_SPACED = re.compile(r"[0-9]{1,3}(?:[ '][0-9]{3})+(?:[.,][0-9]+)?")
MULTIPLIERS = {
    "k": 1_000, "t": 1_000, "tusind": 1_000, "tusen": 1_000, "thousand": 1_000,
    "m": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "mill": 1_000_000, "mil": 1_000_000,
    "million": 1_000_000, "millioner": 1_000_000, "millions": 1_000_000, "millionen": 1_000_000,
    "mia": 1_000_000_000, "mrd": 1_000_000_000, "milliard": 1_000_000_000, "milliarder": 1_000_000_000,
    "bn": 1_000_000_000, "billion": 1_000_000_000, "billions": 1_000_000_000,
}


class InvalidValue(ValueError):
    """The text does not fit the question's kind."""


class AmbiguousValue(InvalidValue):
    """The text could mean more than one value: `readings`, the reader's own convention first."""

    def __init__(self, text: str, readings: tuple[object, ...]) -> None:
        super().__init__(text)
        self.readings = readings


@dataclass(frozen=True)
class Amount:
    """An amount of money as read: its value and its currency (an ISO 4217 code)."""

    value: Decimal
    currency: str


def parse_amount(text: str, locale: str, own_currency: str) -> Amount:
    """The amount `text` names, for a reader of `locale` in an organisation that counts in
    `own_currency` (what a bare number, or "kr", means). `AmbiguousValue` lists the readings of a text
    that could mean two amounts (`"1,250"` in Danish, `"1.250"` in English; "kr" for an organisation in
    euros); `InvalidValue` when it names no amount."""
    rest = text.strip().lower().translate(_SPACES)
    named: set[str] = set()
    crowns, factor = False, 1
    for code in _CODES.findall(rest):
        named.add(code.upper())
    rest = _CODES.sub(" ", rest)
    for symbol, code in _SYMBOLS.items():
        if symbol in rest:
            named.add(code)
            rest = rest.replace(symbol, " ")
    for word in _NAMED.findall(rest):
        named.add(_NAMED_CODES[word])
    rest = _NAMED.sub(" ", rest)
    if _THOUSAND_CROWNS.search(rest):
        crowns, factor, rest = True, 1_000, _THOUSAND_CROWNS.sub(" ", rest)
    if _NO_DECIMALS.search(rest):
        crowns, rest = True, _NO_DECIMALS.sub(" ", rest)
    if _CROWN_WORDS.search(rest):
        crowns, rest = True, _CROWN_WORDS.sub(" ", rest)
    rest = _APPROXIMATELY.sub(" ", rest)
    negative = bool(_MINUS_WORD.search(rest))
    rest = _MINUS_WORD.sub(" ", rest)
    match = _SHAPE.fullmatch(rest.strip())
    if match is None or len(named) > 1:
        raise InvalidValue(text)
    negative = negative or match.group(1) is not None
    word = match.group(3)
    if word:
        if word not in MULTIPLIERS or factor != 1:
            raise InvalidValue(text)
        factor = MULTIPLIERS[word]
    numbers = read_number(match.group(2).strip(" '"), locale)
    if numbers is None:
        raise InvalidValue(text)
    if named:
        currencies: tuple[str, ...] = (named.pop(),)
    elif crowns and own_currency not in CROWNS:
        currencies = CROWNS  # "kr" in an organisation that counts in euros: which crowns?
    else:
        currencies = (own_currency,)
    if any(abs(number * factor) > LARGEST for number in numbers):
        raise InvalidValue(text)
    sign = -1 if negative else 1
    readings = tuple(Amount(whole(number * factor * sign), currency) for number in numbers for currency in currencies)
    if len(readings) > 1:
        raise AmbiguousValue(text, readings)
    return readings[0]


def read_number(number: str, locale: str) -> tuple[Decimal, ...] | None:
    """The numbers `number` could be (one, or two when one separator could be either), None for none.

    Spaces and `'` group thousands. With both `.` and `,`, the last is the decimal mark. One of them
    more than once groups thousands. One separator once is the decimal mark unless three digits follow
    it: then it groups thousands when it is not the reader's decimal mark, else it could be either."""
    if not number or not re.fullmatch(r"[0-9][0-9.,' ]*", number) or number[-1] in ".,":
        return None
    if " " in number or "'" in number:
        if not _SPACED.fullmatch(number):
            return None
        head, *fraction = re.split(r"[.,]", number)
        digits = re.sub(r"[ ']", "", head)
        return (Decimal(f"{digits}.{fraction[0]}" if fraction else digits),)
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        return _strict(number, "da" if decimal_mark == "," else "en")
    if dots + commas == 0:
        return (Decimal(number),)
    mark = "." if dots else ","
    if dots + commas > 1:
        return _strict(number, "en" if mark == "," else "da")
    before, after = number.split(mark)
    if len(after) != 3 or before == "0":
        return (Decimal(f"{before}.{after}"),)
    grouped, decimal = Decimal(before + after), Decimal(f"{before}.{after}")
    if mark != get_decimal_symbol(locale):
        return (grouped,)
    return (decimal, grouped)


def _strict(number: str, convention: str) -> tuple[Decimal, ...] | None:
    """`number` read by Babel in the convention of `convention` ("da": `1.250,5`, "en": `1,250.5`)."""
    try:
        return (parse_decimal(number, locale=convention, strict=True),)
    except (NumberFormatError, InvalidOperation):
        return None


def whole(value: Decimal) -> Decimal:
    """`value` without trailing zeros after the decimal mark (`1200000.0` -> `1200000`)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
