"""Each organisation's currency: inferred when it is named, asked with buttons when unclear.

An amount typed without a currency (or with "kr") is in the side's currency; an English-speaking
person in a Norwegian organisation types NOK. What the name says wins over the namer's language
(`Bergen kommune` named in English is NOK); a name that says nothing falls back to the language
(Danish DKK, Norwegian NOK, Swedish SEK); anything else is asked.
"""

from __future__ import annotations

import re

from bot.engine import intents
from bot.engine.records import SideRecord
from bot.engine.render.text import esc
from bot.engine.turn import Scope, Turn
from bot.engine.values import CURRENCY_BY_LANGUAGE, default_currency

CHOICES = ("DKK", "NOK", "SEK", "EUR")
_CUES = {
    "NOK": ("fylkeskommune", "fylke", "fylkesmann", "statsforvalteren", "direktorat", "direktoratet", "etaten",
            "helseforetak", "sykehus", "sjukehus", "norge", "norway", "norwegian", "oslo", "bergen", "trondheim",
            "stavanger", "tromsø", "kristiansand", "drammen", "bærum", "nav"),
    "DKK": ("styrelsen", "regionshospital", "danmark", "denmark", "danish", "københavn", "aarhus", "odense", "aalborg",
            "esbjerg", "vejle", "randers", "region hovedstaden", "region sjælland", "region syddanmark",
            "region midtjylland", "region nordjylland"),
    "SEK": ("kommun", "län", "myndigheten", "verket", "landsting", "sverige", "sweden", "swedish", "stockholm",
            "göteborg", "malmö", "uppsala"),
}


def infer_currency(organisation: str | None, locale: str) -> str | None:
    """The currency an organisation's name (or else its namer's language) says, None when unclear."""
    name = (organisation or "").casefold()
    said = {code for code, cues in _CUES.items()
            if any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", name) for cue in cues)}
    if len(said) == 1:
        return said.pop()
    if said:
        return None
    return CURRENCY_BY_LANGUAGE.get(locale)


def side_currency(side: SideRecord, locale: str) -> str:
    """What an amount typed for this side without a currency is in."""
    return side.currency or infer_currency(side.organisation, locale) or default_currency(locale)


def settle_currency(turn: Turn, scope: Scope) -> str | None:
    """After a side's organisation was named (or skipped): store the currency it implies and return
    the line that says so, or None when it is unclear (then `ask_currency`)."""
    currency = infer_currency(scope.side.organisation, turn.t.locale)
    if currency is None:
        return None
    turn.uow.projects.update_side(scope.side.id, currency=currency)
    return turn.t.gettext("Beløb uden valuta regner jeg i {currency} (skift under /settings).").format(
        currency=currency)


def ask_currency(turn: Turn, scope: Scope, setup: bool = False) -> None:
    t = turn.t
    organisation = esc(scope.side.organisation) if scope.side.organisation else t.gettext("jeres organisation")
    turn.say(
        t.gettext("Hvilken valuta regner {organisation} i? Beløb uden valuta gemmes i den.").format(
            organisation=organisation),
        [[turn.button(code, intents.SetCurrency(scope.project.id, code, "n" if setup else "s")) for code in CHOICES]],
    )
