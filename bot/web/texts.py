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
    "agree_and_close": N_("🛑 Vi er enige: afslut projektet"),
    "changes": N_("✏️ Vi ønsker ændringer"),
    "note": N_("Hvad ønsker I ændret?"),
    "closed": N_("Projektet er afsluttet. Svarene kan læses, men ikke ændres."),
    "said": N_("Svar fra Spredningsguiden"),
    "profile": N_("Parathedsprofil"),
    "amount_hint": N_("Fx 250.000 {currency}"),
    "currency": N_("Beløb uden valuta gemmes i: {currency}"),
    "change_currency": N_("💱 Skift valuta"),
    "mail": N_("Besked på mail"),
    "mail_hint": N_("Få besked på mail, når den anden organisation har svaret, og et nyt personligt link hver gang."),
    "your_address": N_("Din mailadresse"),
    "give_address": N_("✉️ Send bekræftelse"),
    "address_waits": N_("{address} venter på at blive bekræftet: tryk på linket i den mail, du har fået."),
    "address_ok": N_("Du får besked på {address}."),
    "remove_address": N_("🗑 Fjern adressen"),
    "date_hint": N_("Fx 31-12-2026"),
    "scale_low": N_("1 = {label}"),
    "scale_high": N_("5 = {label}"),
    "refused_title": N_("Linket virker ikke"),
    "refused": N_(
        "Linket er udløbet, trukket tilbage eller forkert. Skriv /web til botten i Telegram for at få et nyt."
    ),
    "too_many": N_("For mange forsøg. Vent et minut, og prøv igen."),
    "bad_form": N_("Formularen kunne ikke bruges. Hent siden igen, og prøv en gang til."),
    "bad_invite": N_("Invitationen virker ikke: den er ukendt, udløbet eller trukket tilbage. Bed om et nyt link."),
    "join_title": N_("Deltag i projektet"),
    "join_intro": N_("Du er inviteret til {project} som {side}. Du kan deltage her på nettet uden Telegram."),
    "your_name": N_("Dit navn"),
    "name_hint": N_("Sådan ser de andre i projektet dig."),
    "name_missing": N_("Skriv dit navn."),
    "organisation": N_("Jeres organisation (fx Aarhus Kommune)"),
    "join": N_("Deltag"),
    "join_privacy": N_(
        "Vi gemmer dit navn, dine svar og hvornår du deltog. Du får et personligt link bagefter: gem det som bogmærke."
    ),
    "bookmark": N_(
        "Dette er dit personlige link til projektet: gem siden som bogmærke, og del den ikke. "
        "Linket gælder til {date}; hver gang du åbner det, får du her et nyt, der gælder længere:"
    ),
    "new": N_("Nyt"),
    "attach": N_("Vedhæft en fil (valgfrit, højst 10 MB)"),
    "too_large": N_("Filen er for stor: højst 10 MB."),
    "your_link": N_("Dit personlige link"),
    "app_title": N_("Åbner projektet …"),
    "app_body": N_(
        "Denne side åbnes fra Telegram. Skriv /web til botten for at få et link, der virker i enhver browser."
    ),
}


def texts(t: Translator) -> dict[str, str]:
    """Every text of the page in the reader's language (plain text: templates escape it)."""
    return {key: t.gettext(msgid) for key, msgid in TEXTS.items()}
