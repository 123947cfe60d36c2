"""/delete: the person who created a project deletes it, for both organisations, after a confirmation."""

from __future__ import annotations

from bot.engine import events, intents
from bot.engine.render.text import esc
from bot.engine.turn import Scope, Turn


def cmd_delete(turn: Turn) -> None:
    t = turn.t
    scope = turn.scope_or_explain()
    if scope is None:
        return
    if scope.project.created_by != turn.person.id:
        turn.say(t.gettext("Kun den, der oprettede projektet, kan slette det."))
        return
    turn.say(t.gettext("Vil du slette projektet {project} med alle svar, aftaler og invitationer for begge "
                       "organisationer? Det kan ikke fortrydes.").format(project=esc(scope.project.name)),
             [[turn.button(t.gettext("🗑 Ja, slet projektet"), intents.DeleteProject(scope.project.id)),
               turn.button(t.gettext("Annuller"), intents.Continue(scope.project.id))]])


def delete_project(turn: Turn, scope: Scope) -> None:
    if scope.project.created_by != turn.person.id:
        turn.stale_button()
        return
    project = scope.project
    turn.emit(events.ProjectDeleted(project, tuple(turn.uow.projects.sides(project.id)), turn.person.name))
    turn.uow.projects.delete(project.id)
    turn.say(turn.t.gettext("🗑 Projektet {project} er slettet.").format(project=esc(project.name)))
