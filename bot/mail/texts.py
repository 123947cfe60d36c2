"""The mails' own texts (msgids in Danish, translated through the same catalogs as the bot)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.i18n_marker import N_

TEXTS = {
    "open": N_("Åbn projektet"),
    "open_hint": N_("Linket er personligt og gælder i {days} dage: del det ikke."),
    "why": N_("Du får denne mail, fordi du er med i et projekt i Spredningsguiden og har bedt om besked på mail."),
    "unsubscribe": N_("Afmeld mails"),
    "guide": N_("Spredningsguiden"),
}


def mail_texts(t: Translator) -> dict[str, str]:
    """Every text of a mail in the reader's language (plain text: templates escape it)."""
    return {key: t.gettext(msgid) for key, msgid in TEXTS.items()}
