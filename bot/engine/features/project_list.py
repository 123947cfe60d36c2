"""/projects: a person's projects, a page at a time (Telegram allows 100 buttons), and switching."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.flow import present_next
from bot.engine.render.text import esc, fit_button, side_display
from bot.engine.turn import Scope, Turn

PAGE = 10  # projects per page: ten lines and at most ten "switch" buttons


def cmd_projects(turn: Turn, page: str | None = None) -> None:
    t = turn.t
    memberships = list(turn.uow.members.memberships(turn.person.id))
    if not memberships:
        turn.no_project()
        return
    pages = -(-len(memberships) // PAGE)
    number = min(max(int(page), 0), pages - 1) if page and page.isdigit() else None
    if number is None:  # the page with the current project
        here = next((i for i, (p, _) in enumerate(memberships) if p.id == turn.person.current_project_id), 0)
        number = here // PAGE
    lines = [t.gettext("<b>Dine projekter</b>")]
    if pages > 1:
        lines[0] += " " + t.gettext("({first}–{last} af {total})").format(
            first=number * PAGE + 1, last=min((number + 1) * PAGE, len(memberships)), total=len(memberships))
    rows = []
    for project, side in memberships[number * PAGE:(number + 1) * PAGE]:
        marker = "▶ " if project.id == turn.person.current_project_id else ""
        status = t.gettext(" (afsluttet)") if project.closed_at else ""
        lines.append(f"{marker}{esc(project.name)} – {side_display(t, side)}{status}")
        if project.id != turn.person.current_project_id:
            rows.append(
                [
                    turn.button(
                        fit_button(t.gettext("Skift til {project}").format(project=project.name)),
                        intents.SwitchProject(project.id),
                    )
                ]
            )
    paging = []
    if number > 0:
        paging.append(turn.button(t.gettext("◀ Forrige"), intents.ShowProjects(str(number - 1))))
    if number < pages - 1:
        paging.append(turn.button(t.gettext("Næste ▶"), intents.ShowProjects(str(number + 1))))
    rows += [paging, [turn.button(t.gettext("➕ Start et projekt"), intents.NewProject())]]
    turn.say("\n".join(lines), rows)


def switch(turn: Turn, scope: Scope) -> None:
    turn.uow.people.update(turn.person.id, current_project_id=scope.project.id)
    turn.reload_person()
    turn.clear_state()
    turn.say(turn.t.gettext("Du arbejder nu i <b>{project}</b>.").format(project=esc(scope.project.name)))
    present_next(turn, scope)
