"""/email: an address to be told at by mail, confirmed by a link before anything else goes to it.

`/email` shows the address and where the person is told (in the chat, by mail or both); `/email
ADDRESS` gives or changes it (a confirmation mail is sent: double opt-in); `/email off` removes it.
Mail is on when the bot can send it and confirm addresses (`Links.mail`)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from bot.engine import intents
from bot.engine.model import MAIL_CHAT, MAIL_CONFIRMATION
from bot.engine.outbox import message_payload
from bot.engine.records import BOTH, CHAT, MAIL
from bot.engine.render.text import esc
from bot.engine.turn import Turn
from bot.i18n_marker import N_

OFF = ("off", "fjern", "slet", "av", "remove", "delete")
TOLD_BY = {CHAT: N_("💬 I chatten"), MAIL: N_("✉️ På mail"), BOTH: N_("💬✉️ Begge dele")}


def cmd_email(turn: Turn, args: str) -> None:
    t = turn.t
    if not turn.services.links.mail:
        turn.say(t.gettext("Denne bot sender ikke mails. Du får besked her i chatten."))
        return
    given = args.strip()
    if not given:
        show_email(turn)
    elif given.casefold() in OFF:
        remove_email(turn)
    else:
        give_email(turn, given)


def show_email(turn: Turn) -> None:
    t, person = turn.t, turn.person
    if not person.email:
        turn.say(t.gettext("Du har ikke givet en mailadresse. Skriv /email og din adresse, fx "
                           "/email navn@kommune.dk, så kan du også få besked på mail."))
        return
    lines = [t.gettext("Din mailadresse: {address}").format(address=esc(person.email))]
    if person.mail_address is None:
        lines.append(t.gettext("Den er ikke bekræftet endnu: tryk på linket i den mail, jeg sendte. "
                               "Skriv /email {address} for at få en ny.").format(address=esc(person.email)))
        turn.say("\n".join(lines), [[turn.button(t.gettext("🗑 Fjern adressen"), intents.RemoveEmail())]])
        return
    told_by = person.told_by or CHAT
    lines.append(t.gettext("Du får besked: {where}").format(where=t.gettext(TOLD_BY[told_by])))
    rows = [[turn.button(t.gettext(label), intents.SetToldBy(by)) for by, label in TOLD_BY.items() if by != told_by]]
    rows.append([turn.button(t.gettext("🗑 Fjern adressen"), intents.RemoveEmail())])
    turn.say("\n".join(lines), rows)


def give_email(turn: Turn, given: str) -> None:
    t = turn.t
    try:
        address = validate_email(given, check_deliverability=False).normalized
    except EmailNotValidError:
        turn.say(t.gettext("»{given}« er ikke en mailadresse, jeg kan bruge. Skriv fx /email navn@kommune.dk.").format(
            given=esc(given[:80])))
        return
    link = turn.services.links.confirm_mail(turn.person.id, address)
    if link is None:
        return
    turn.uow.people.update(turn.person.id, email=address, email_confirmed_at=None)
    turn.reload_person()
    text = t.gettext("Bekræft din mailadresse til Spredningsguiden: {link}\n\n"
                     "Var det ikke dig, der gav adressen, så se bort fra denne mail: "
                     "der bliver ikke sendt mere til den.").format(link=f'<a href="{esc(link)}">{esc(link)}</a>')
    turn.queue(MAIL_CHAT + str(turn.person.id), turn.person.id, None, None, MAIL_CONFIRMATION,
               message_payload(text, (), subject=t.gettext("Bekræft din mailadresse"), to=address), turn.now)
    turn.say(t.gettext("✉️ Jeg har sendt en mail til {address}. Tryk på linket i den for at bekræfte adressen; "
                       "først derefter får du besked på mail.").format(address=esc(address)))


def remove_email(turn: Turn) -> None:
    turn.uow.people.update(turn.person.id, email=None, email_confirmed_at=None, told_by=None)
    turn.reload_person()
    turn.say(turn.t.gettext("🗑 Din mailadresse er fjernet. Du får ikke flere mails fra mig."))


def set_told_by(turn: Turn, intent: intents.SetToldBy) -> None:
    if intent.by not in TOLD_BY or turn.person.mail_address is None:
        turn.stale_button()
        return
    turn.uow.people.update(turn.person.id, told_by=intent.by)
    turn.reload_person()
    show_email(turn)
