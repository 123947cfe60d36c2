"""Who is in a project, side by side, and removing someone from a side (who may: see `may_remove`)."""

from __future__ import annotations

from bot.engine import events, intents
from bot.engine.records import MemberRecord, SideRecord
from bot.engine.render.text import esc, fit_button, side_display
from bot.engine.turn import Scope, Turn


def may_remove(turn: Turn, scope: Scope, side: SideRecord, member: MemberRecord) -> bool:
    """The project's creator may remove anyone else, from either side (they handed out the partner
    link); any other member, those of their own side who joined after them (so someone who came in
    through a forwarded link cannot remove the team that was there first)."""
    if member.person_id == turn.person.id:
        return False
    if scope.project.created_by == turn.person.id:
        return True
    return side.id == scope.side.id and member.joined_at > turn.known.membership(scope).joined_at


def cmd_team(turn: Turn) -> None:
    scope = turn.scope_or_explain()
    if scope is not None:
        show_team(turn, scope)


def show_team(turn: Turn, scope: Scope) -> None:
    """Both sides' members, with a button for each one this person may remove."""
    t = turn.t
    lines = [t.gettext("<b>Hvem er med i {project}</b>").format(project=esc(scope.project.name))]
    rows = []
    for side in turn.uow.projects.sides(scope.project.id):
        lines += ["", f"<u>{side_display(t, side)}</u>"]
        members = list(turn.uow.members.of_side(side.id))
        if not members:
            lines.append(t.gettext("Ingen endnu."))
        for member in members:
            person = turn.uow.people.get(member.person_id)
            name = person.name if person is not None else "?"
            you = t.gettext(" (dig)") if member.person_id == turn.person.id else ""
            lines.append(t.gettext("• {name}{you}, med siden {date}").format(
                name=esc(name), you=you, date=t.date(member.joined_at.date())))
            if may_remove(turn, scope, side, member):
                rows.append(
                    [
                        turn.button(
                            fit_button(t.gettext("✖ Fjern {name}").format(name=name)),
                            intents.RemoveMember(scope.project.id, str(member.person_id)),
                        )
                    ]
                )
    lines += ["", t.gettext("Den, der oprettede projektet, kan fjerne alle andre. Andre kan fjerne dem fra "
                            "deres egen side, der kom med efter dem selv.")]
    turn.say("\n".join(lines), rows + [turn.continue_row(scope.project.id)])


def remove_member(turn: Turn, scope: Scope, person_arg: str | None, confirmed: bool) -> None:
    """Ask first; then the person leaves the side, and the links to that side are renewed."""
    t = turn.t
    target = int(person_arg) if person_arg and person_arg.isdigit() else None
    found = next(
        (
            (side, m)
            for side in turn.uow.projects.sides(scope.project.id)
            for m in turn.uow.members.of_side(side.id)
            if m.person_id == target
        ),
        None,
    )
    person = turn.uow.people.get(target) if target is not None else None
    if found is None or person is None or not may_remove(turn, scope, *found):
        turn.stale_button()
        return
    side = found[0]
    values = {"name": esc(person.name), "side": side_display(t, side), "project": esc(scope.project.name)}
    if not confirmed:
        turn.say(t.gettext("Vil du fjerne {name} fra {side} i {project}? {name} kan derefter ikke længere se "
                           "projektet, og linkene til {side} bliver fornyet.").format(**values),
                 [[turn.button(t.gettext("✖ Ja, fjern"), intents.RemoveMember(scope.project.id, str(person.id), "y")),
                   turn.button(t.gettext("Annuller"), intents.ShowTeam(scope.project.id))]])
        return
    turn.uow.members.remove(side.id, person.id)
    for invite in turn.uow.invites.of_project(scope.project.id):  # the links they came in with stop working
        if invite.role == side.role and invite.revoked_at is None:
            turn.uow.invites.revoke(invite.token, turn.now)
    if person.current_project_id == scope.project.id:
        turn.uow.people.update(person.id, current_project_id=None)
    turn.emit(events.MemberRemoved(scope.project, side, tuple(turn.uow.projects.sides(scope.project.id)), person,
                                   turn.person.name))
    turn.notice = t.gettext("{name} er fjernet.").format(name=person.name)
    turn.say(turn.notice)
    show_team(turn, scope)
