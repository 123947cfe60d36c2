"""A person's own settings: /language, /settings (nudges and reminders) and /forget (privacy)."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.audience import BOTH, GROUP_ONLY, PRIVATELY
from bot.engine.currency import CHOICES, ask_currency, side_currency
from bot.engine.flow import present_next
from bot.engine.reminders import zone_of
from bot.engine.render.text import esc, side_display
from bot.engine.turn import Scope, Turn
from bot.i18n import Translator
from bot.i18n_marker import N_

REMINDER_DAY_CHOICES = (2, 3, 5, 7, 14)


def cmd_language(turn: Turn) -> None:
    catalogs = turn.catalogs
    buttons = [
        turn.button(catalogs.language_name(loc).capitalize(), intents.SetLanguage(loc)) for loc in catalogs.locales
    ]
    turn.say(turn.t.gettext("Vælg sprog:"), [buttons[i:i + 3] for i in range(0, len(buttons), 3)])


def set_language(turn: Turn, intent: intents.SetLanguage) -> None:
    """The person's language; in a team group, the group's language too."""
    locale = intent.locale
    if locale not in turn.catalogs.locales:
        turn.stale_button()
        return
    turn.uow.people.update(turn.person.id, locale=locale)
    turn.reload_person()
    turn.t = turn.translator_for(turn.person)
    if turn.in_group:
        side = turn.uow.projects.side_by_group_chat(turn.inp.chat.id)
        if side is not None and turn.known.is_member(side):
            turn.uow.projects.update_side(side.id, group_locale=locale)
    scope = turn.known.scope()
    turn.say(turn.t.gettext("Sproget er nu dansk."), [turn.continue_row(scope.project.id)] if scope else ())


def cmd_settings(turn: Turn) -> None:
    scope = turn.scope_or_explain()
    if scope is None:
        return
    t = turn.t
    member = turn.known.membership(scope)
    project = turn.uow.projects.get(scope.project.id) or scope.project
    person = turn.uow.people.get(turn.person.id) or turn.person
    on, off = t.gettext("slået til"), t.gettext("slået fra")
    lines = [
        t.gettext("<b>Indstillinger for {project}</b>").format(project=esc(project.name)),
        t.gettext("Besked når den anden organisation har svaret: {state}").format(state=off if member.muted else on),
        t.gettext("Påmindelser til dig, når I har ubesvarede spørgsmål: {state}").format(
            state=on if person.reminders and not member.paused else off
        ),
        t.gettext(
            "Projektets påmindelser: efter {first} dage uden aktivitet, så hver {repeat}. dag, højst {max} i træk."
        ).format(first=project.reminder_days, repeat=project.reminder_repeat_days, max=project.reminder_max),
        t.gettext("Påmindelser sendes på hverdage kl. 9–16, tidszone {zone}.").format(
            zone=zone_of(person, person.locale).key
        ),
    ]
    lines.append(t.gettext("Beløb uden valuta gemmes i: {currency}").format(
        currency=side_currency(scope.side, t.locale)))
    if scope.side.group_chat:
        lines.append(
            t.gettext("Beskeder om projektet får du: {where}").format(where=where_label(t, member.notify_where))
        )
    pid = project.id
    buttons = [
        [
            turn.button(
                t.gettext("🔔 Slå beskeder til") if member.muted else t.gettext("🔕 Slå beskeder fra"),
                intents.ToggleMute(pid),
            )
        ],
        [
            turn.button(
                t.gettext("⏰ Slå påmindelser til")
                if not person.reminders or member.paused
                else t.gettext("🔕 Slå påmindelser fra"),
                intents.ToggleReminders(pid),
            )
        ],
        [
            turn.button(t.gettext("{days} dage").format(days=days), intents.SetReminderDays(pid, str(days)))
            for days in REMINDER_DAY_CHOICES
            if days != project.reminder_days
        ],
    ]
    buttons.append([turn.button(t.gettext("💱 Skift valuta"), intents.SetCurrency(pid))])
    if scope.side.group_chat:
        buttons.append([turn.button(t.gettext(WHERE_LABELS[where]), intents.SetNotifyWhere(pid, where))
                        for where in WHERE_LABELS if where != (member.notify_where or GROUP_ONLY)])
    turn.say("\n".join(lines), buttons)


# Where a member of a side with a team group is told about the project (see `audience.listeners`).
WHERE_LABELS = {GROUP_ONLY: N_("👥 I gruppen"), PRIVATELY: N_("👤 Privat"), BOTH: N_("👥👤 Begge steder")}


def where_label(t: Translator, where: str | None) -> str:
    if where is None:
        return t.gettext("i teamgruppen, hvis du skriver der, ellers privat")
    return t.gettext(WHERE_LABELS.get(where, WHERE_LABELS[GROUP_ONLY]))


def set_notify_where(turn: Turn, scope: Scope, where: str | None) -> None:
    """Where this member is told about the project: in the team group, privately or both."""
    if where not in WHERE_LABELS:
        turn.stale_button()
        return
    turn.uow.members.update(scope.side.id, turn.person.id, notify_where=where)
    cmd_settings(turn)


def set_currency(turn: Turn, scope: Scope, intent: intents.SetCurrency) -> None:
    """The currency of the person's organisation: the choices, or one chosen (stored answers keep theirs)."""
    if intent.currency is None:
        ask_currency(turn, scope)
        return
    if intent.currency not in CHOICES:
        turn.stale_button()
        return
    t = turn.t
    before = scope.side.currency
    turn.uow.projects.update_side(scope.side.id, currency=intent.currency)
    scope = Scope(scope.project, turn.uow.projects.side(scope.side.id) or scope.side)
    said = t.gettext("✓ Beløb uden valuta gemmes nu i {currency}.").format(currency=intent.currency)
    if before and before != intent.currency:
        said += "\n" + t.gettext("Beløb, der allerede er gemt, beholder deres valuta.")
    turn.say(said)
    if intent.then == "n":
        present_next(turn, scope)
    else:
        cmd_settings(turn)


def toggle_mute(turn: Turn, scope: Scope) -> None:
    member = turn.known.membership(scope)
    turn.uow.members.update(scope.side.id, turn.person.id, muted=not member.muted)
    cmd_settings(turn)


def toggle_reminders(turn: Turn, scope: Scope) -> None:
    member = turn.known.membership(scope)
    enable = not turn.person.reminders or member.paused
    turn.uow.people.update(turn.person.id, reminders=enable)
    if member.paused and enable:
        turn.uow.members.update(scope.side.id, turn.person.id, paused=False)
    turn.reload_person()
    cmd_settings(turn)


def set_reminder_days(turn: Turn, scope: Scope, days: str | None) -> None:
    if days is None or not days.isdigit() or int(days) not in REMINDER_DAY_CHOICES:
        turn.stale_button()
        return
    turn.uow.projects.update(scope.project.id, reminder_days=int(days))
    cmd_settings(turn)


def cmd_forget(turn: Turn) -> None:
    """Show what is stored about this person, with a button to delete it."""
    t = turn.t
    if turn.in_group:
        turn.say(t.gettext("Skriv /forget til mig i en privat chat."))
        return
    memberships = turn.uow.members.memberships(turn.person.id)
    projects = [f"• {esc(p.name)} ({side_display(t, s)})" for p, s in memberships]
    lines = [
        t.gettext("<b>Det har jeg gemt om dig</b>"),
        t.gettext("Navn: {name}").format(name=esc(turn.person.name)),
        t.gettext("Sprog: {language}").format(language=turn.catalogs.language_name(turn.person.locale or "")),
        *([t.gettext("Mailadresse: {address}").format(address=esc(turn.person.email))] if turn.person.email else []),
        t.gettext("Projekter:") if projects else t.gettext("Projekter: ingen"),
        *projects,
        "",
        t.gettext("Sletter du dine data, forsvinder dit navn, din mailadresse og dine medlemskaber. "
                  "Dine svar bliver hos jeres team som svar fra et tidligere medlem, indtil projektet slettes."),
    ]
    turn.say("\n".join(lines), [[turn.button(t.gettext("🗑 Slet mine data"), intents.ForgetMe())]])


def forget(turn: Turn) -> None:
    """The "delete my data" button (private chats only)."""
    if turn.in_group:
        turn.foreign_button()
        return
    turn.uow.people.delete(turn.person.id)
    turn.say(turn.t.gettext("🗑 Dine data er slettet. Skriver du til mig igen, starter du forfra."))
