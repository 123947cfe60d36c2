"""/web: a member's personal, signed link to the project's web page, and the Mini App button."""

from __future__ import annotations

from bot.engine.model import Button
from bot.engine.render.text import esc
from bot.engine.turn import Turn


def cmd_web(turn: Turn, project_id: int | None = None) -> None:
    """The personal link (in a private chat only: it lets whoever holds it act as this person)."""
    t = turn.t
    if turn.in_group:
        turn.say(t.gettext("Linket til websiden er personligt. Skriv /web til mig i en privat chat."))
        return
    scope = turn.scope_or_explain(project_id or turn.state.project)
    if scope is None:
        return
    links = turn.services.links
    url = links.web(turn.person.id, scope.project.id, turn.known.membership(scope).joined_at)
    if url is None:
        turn.say(t.gettext("Projektet kan ikke vises på en webside på denne server."))
        return
    days = max(links.web_days, 1)
    text = t.ngettext(
        "🌐 Dit personlige link til {project} på nettet – begge organisationers svar side om side, og I kan "
        "svare og godkende der. Det gælder i {days} dag, og kun for dig: del det ikke.\n{url}",
        "🌐 Dit personlige link til {project} på nettet – begge organisationers svar side om side, og I kan "
        "svare og godkende der. Det gælder i {days} dage, og kun for dig: del det ikke.\n{url}",
        days).format(project=esc(scope.project.name), days=days, url=esc(url))
    rows = [[Button(t.gettext("🌐 Åbn i browseren"), "", url=url)]]
    app = links.mini_app(scope.project.id)
    if app is not None:
        rows.append([Button(t.gettext("📱 Åbn i Telegram"), "", url=app, web_app=True)])
    turn.say(text, rows)
