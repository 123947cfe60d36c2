"""The web page's own texts (msgids in Danish, translated through the same catalogs as the bot)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.i18n_marker import N_

TEXTS = {
    "skip": N_("Gå til indholdet"),
    "guide": N_("Spredningsguiden"),
    "you": N_("Du er {name} i {side}. Den anden organisation: {other}."),
    "phases": N_("Faser"),
    "question": N_("Spørgsmål"),
    "differs": N_("Forskel"),
    "locked": N_("🔒 Vises, når I er nået til dette værktøj."),
    "not_asked": N_("Stilles ikke"),
    "answer": N_("Svar"),
    "change": N_("Ret svaret"),
    "save": N_("Gem"),
    "later": N_("Senere"),
    "not_relevant": N_("Ikke relevant for os"),
    "your_answer": N_("Jeres svar"),
    "follow_up": N_("Uddyb gerne (valgfrit)"),
    "signoffs": N_("Godkendelser"),
    "decisions": N_("Beslutninger"),
    "open_points": N_("Åbne punkter"),
    "sign_off": N_("Godkend fasen"),
    "sign_off_hint": N_("Begge organisationer har svaret. Godkend svarene, som de står, eller bed om ændringer."),
    "agree": N_("✅ Vi er enige"),
    "changes": N_("✏️ Vi ønsker ændringer"),
    "note": N_("Hvad ønsker I ændret?"),
    "closed": N_("Projektet er afsluttet. Svarene kan læses, men ikke ændres."),
    "said": N_("Svar fra Spredningsguiden"),
    "profile": N_("Parathedsprofil"),
    "amount_hint": N_("Fx 250.000 DKK"),
    "date_hint": N_("Fx 31-12-2026"),
    "scale_low": N_("1 = {label}"),
    "scale_high": N_("5 = {label}"),
    "refused_title": N_("Linket virker ikke"),
    "refused": N_("Linket er udløbet, trukket tilbage eller forkert. Skriv /web til botten i Telegram for at få et nyt."),
    "too_many": N_("For mange forsøg. Vent et minut, og prøv igen."),
    "bad_form": N_("Formularen kunne ikke bruges. Hent siden igen, og prøv en gang til."),
    "app_title": N_("Åbner projektet …"),
    "app_body": N_("Denne side åbnes fra Telegram. Skriv /web til botten for at få et link, der virker i enhver browser."),
}


def texts(t: Translator) -> dict[str, str]:
    """Every text of the page in the reader's language (plain text: templates escape it)."""
    return {key: t.gettext(msgid) for key, msgid in TEXTS.items()}
