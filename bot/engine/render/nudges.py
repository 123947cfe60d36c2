"""Messages about what the other side (or a teammate) did, and reminders.

Sign-off requests, agreements, finished tools and reminders: each returns the text and its buttons
for one reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Button
from bot.engine.progress import ProjectProgress
from bot.engine.records import ProjectRecord, SideRecord, SignoffRecord
from bot.engine.render.card import decided_in, phase_card
from bot.engine.render.text import esc, fit_button, g, phase_heading, quoted, side_display
from bot.guide.model import Guide, Phase
from bot.i18n import Translator

Buttons = tuple[tuple[Button, ...], ...]


def signoff_request(t: Translator, project: ProjectRecord, progress: ProjectProgress, phase: Phase,
                    signoffs: list[SignoffRecord], names: dict[int, str], outdated: bool,
                    web: bool = False, changed: Sequence[str] = (), asked: bool = False) -> tuple[str, Buttons]:
    """The phase card with the buttons to agree or ask for changes (the whole summary on request)."""
    return phase_card(t, progress, phase, signoffs, names, outdated, web, changed, asked)


def agreed_message(t: Translator, progress: ProjectProgress, phase: Phase) -> tuple[str, Buttons]:
    """Both sides agreed a phase: what comes next."""
    nxt = progress.current_phase()
    lines = [t.gettext("🤝 Begge organisationer har aftalt {phase} i {project}.").format(
        phase=phase_heading(t, phase), project=esc(progress.project.name))]
    route = decided_in(progress, phase, "adopt_or_adapt")
    if route and progress.adapt_skipped():
        lines.append(t.gettext("I har begge valgt at kopiere løsningen, som den er, så fasen Tilpas springes over."))
    elif route and len(set(route.values()) - {None}) == 2:
        lines.append(t.gettext("I valgte forskelligt mellem at kopiere og tilpasse, så I arbejder begge videre i "
                               "fasen Tilpas."))
    if nxt is None:
        lines.append(t.gettext("🎉 Alle faser er gennemført. Se det hele med /summary."))
        return "\n".join(lines), ()
    lines.append(t.gettext("Næste fase: {phase}.").format(phase=phase_heading(t, nxt)))
    return "\n".join(lines), ((Button(t.gettext("▶ Fortsæt"), cb.encode(intents.Continue(progress.project.id))),),)


def closing_message(t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord],
                    names: dict[int, str]) -> tuple[str, Buttons]:
    """The project stops after a no-go: the closing note and the phase summary."""
    text = t.gettext(
        "🛑 I har aftalt ikke at gå videre. Projektet {project} er afsluttet efter fasen Tjek. Tak for samarbejdet."
    ).format(project=esc(progress.project.name))
    card, _ = phase_card(t, progress, phase, signoffs, names)
    card = card.split("\n", 2)[2] if card.count("\n") >= 2 else card  # without its name and intro
    return text + "\n" + card, (
        (Button(t.gettext("📄 Hele opsummeringen"), cb.encode(intents.ShowSummary(progress.project.id, phase.id))),),
    )


def tools_done_nudge(t: Translator, guide: Guide, side: SideRecord, project: ProjectRecord,
                     tool_ids: list[str]) -> tuple[str, Buttons]:
    """"The other side has answered tool X (and Y)", with a button per tool to read those answers."""
    tools = [guide.tool(tool_id) for tool_id in tool_ids]
    names = t.join([quoted(t, g(t, tool.title)) for tool in tools])
    text = t.ngettext("📬 {side} har udfyldt værktøjet {tools} i {project}.",
                      "📬 {side} har udfyldt værktøjerne {tools} i {project}.", len(tools)).format(
        side=side_display(t, side), tools=names, project=esc(project.name))
    buttons = tuple((Button(fit_button(t.gettext("👀 {tool}").format(tool=g(t, tool.title))),
                            cb.encode(intents.ShowTheirs(project.id, tool.id))),) for tool in tools[-6:])
    return text, buttons


def reminder(t: Translator, project: ProjectRecord, phase: Phase, remaining: int,
             last_activity: dt.datetime) -> tuple[str, Buttons]:
    """Questions of the current phase have waited too long for this side."""
    text = t.ngettext(
        "⏰ <b>{project}</b>: {count} spørgsmål i {phase} venter stadig på jer.",
        "⏰ <b>{project}</b>: {count} spørgsmål i {phase} venter stadig på jer.",
        remaining,
    ).format(project=esc(project.name), count=remaining, phase=phase_heading(t, phase))
    text += "\n" + t.gettext("Jeres seneste svar er fra {date}.").format(date=t.date(last_activity.date()))
    buttons = (
        (Button(t.gettext("▶ Fortsæt"), cb.encode(intents.Continue(project.id))),),
        (Button(t.gettext("⏸ Sæt på pause"), cb.encode(intents.Pause(project.id))),
         Button(t.gettext("🔕 Slå påmindelser fra"), cb.encode(intents.ToggleReminders(project.id)))),
    )
    return text, buttons
