"""Projects and who is in them.

/start, /new, /invite, joining (rate-limited), team groups (/link, a group that moves or is left).
Deleting is in `deleting`, switching is in `project_list`, a side's members and removing one in `team`."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from bot.engine import events, intents
from bot.engine.currency import ask_currency, settle_currency
from bot.engine.flow import present_next
from bot.engine.model import LeftGroupInput
from bot.engine.ports import UnitOfWork
from bot.engine.records import InviteRecord
from bot.engine.render.text import esc, side_display, side_label
from bot.engine.turn import ChatState, Mode, Scope, Turn
from bot.guide.model import Side, other_side
from bot.i18n import Translator

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PROJECT_NAME = 200
# Invite codes that did not work: this many within the window, and the person waits (see SECURITY.md).
INVITE_FAILURES, INVITE_WINDOW = 5, dt.timedelta(hours=1)


def cmd_start(turn: Turn, args: str) -> None:
    """/start: a greeting; with an invite token (a deep link), joining or linking a group."""
    if args:
        if turn.in_group:
            cmd_link(turn, args)
        else:
            cmd_join(turn, args)
        return
    turn.clear_state()
    t = turn.t
    if turn.in_group:
        group_start(turn)
        return
    turn.say(
        t.gettext(
            "Hej {name}! 👋\nJeg guider to offentlige organisationer gennem Spredningsguiden: den ene deler en "
            "innovation, den anden genbruger den.\nI svarer hver især på guidens spørgsmål, ser hinandens svar og "
            "aftaler fase for fase, hvordan I kommer videre."
        ).format(name=esc(turn.person.name)),
        [
            [
                turn.button(t.gettext("➕ Start et projekt"), intents.NewProject()),
                turn.button(t.gettext("🔗 Deltag i et projekt"), intents.JoinHelp()),
            ]
        ],
    )
    if turn.known.scope() is not None:
        turn.say(t.gettext("Du er allerede med i et projekt. Skriv /continue for at fortsætte, hvor I slap."))


def group_start(turn: Turn) -> None:
    """/start in a group: what the group is for, or how it becomes a team's chat."""
    t = turn.t
    scope = turn.known.scope()
    if scope is not None:
        turn.say(t.gettext("Denne gruppe er teamchat for {side} i {project}. Svar på mine spørgsmål ved at svare på "
                           "beskederne. /continue viser det næste.").format(
            side=side_display(t, scope.side), project=esc(scope.project.name)))
        return
    turn.say(t.gettext(
        "Hej! Denne gruppe kan blive jeres teams chat i et projekt:\n"
        "1. Et teammedlem skriver /invite til mig i en privat chat.\n"
        "2. Tryk på linket under »Tilføj mig til jeres teamgruppe«, og vælg denne gruppe – eller skriv /link KODE "
        "her med koden fra jeres teaminvitation."))


def join_help(turn: Turn) -> None:
    turn.say(turn.t.gettext("Tryk på det invitationslink, I har fået, eller send /join og koden fra invitationen."))


# ---- a new project: name, side, organisation ------------------------------------------------

def start_new_project(turn: Turn) -> None:
    if turn.in_group:
        turn.say(
            turn.t.gettext("Start et projekt i en privat chat med mig – derefter kan I knytte gruppen til jeres team.")
        )
        return
    turn.set_state(ChatState(Mode.NEW_NAME))
    turn.say(turn.t.gettext("Hvad hedder innovationen, I vil sprede? Skriv et kort navn."))


def new_project_typed(turn: Turn, text: str) -> None:
    """Text while a new project is being set up: its name, (not) its side, its organisation."""
    t = turn.t
    mode = turn.state.mode
    if mode == Mode.NEW_NAME:
        name = " ".join(text.split())
        if not name or len(name) > MAX_PROJECT_NAME:
            turn.say(t.gettext("Skriv et navn på 1 til {max} tegn.").format(max=MAX_PROJECT_NAME))
            return
        turn.set_state(ChatState(Mode.NEW_SIDE, name=name))
        ask_side(turn)
    elif mode == Mode.NEW_SIDE:
        ask_side(turn)
    elif mode == Mode.NEW_ORG:
        organisation = " ".join(text.split())[:200]
        create_project(turn, turn.state.name or "", turn.state.side or "", organisation or None)


def ask_side(turn: Turn) -> None:
    t = turn.t
    turn.say(
        t.gettext(
            "Hvilken side er I på?\n• <b>Vi vil dele</b>: innovationen er jeres, og I vil dele den.\n"
            "• <b>Vi vil genbruge</b>: I vil genbruge en andens innovation."
        ),
        [
            [
                turn.button(side_label(t, "sharer"), intents.ChooseSide("sharer")),
                turn.button(side_label(t, "reuser"), intents.ChooseSide("reuser")),
            ]
        ],
    )


def choose_side(turn: Turn, role: str | None) -> None:
    if turn.state.mode != Mode.NEW_SIDE or role not in ("sharer", "reuser"):
        turn.stale_button()
        return
    turn.set_state(ChatState(Mode.NEW_ORG, name=turn.state.name, side=role))
    t = turn.t
    turn.say(t.gettext("Hvad hedder jeres organisation? (fx Aarhus Kommune)"),
             [[turn.button(t.gettext("Spring over"), intents.SkipOrganisation())]])


def skip_organisation(turn: Turn) -> None:
    if turn.state.mode == Mode.NEW_ORG:
        create_project(turn, turn.state.name or "", turn.state.side or "", None)
    elif turn.state.mode == Mode.ORG_FOR_SIDE:
        organisation_for_side(turn, None)
    else:
        turn.stale_button()


def create_project(turn: Turn, name: str, role: str, organisation: str | None) -> None:
    side: Side = "reuser" if role == "reuser" else "sharer"
    project = turn.uow.projects.add(name, turn.person.id, turn.now)
    own = turn.uow.projects.add_side(project.id, side, organisation)
    turn.uow.projects.add_side(project.id, other_side(side), None)
    turn.uow.members.add(own.id, turn.person.id, turn.now)
    turn.uow.people.update(turn.person.id, current_project_id=project.id)
    turn.reload_person()
    turn.clear_state()
    t = turn.t
    scope = Scope(project, own)
    currency = settle_currency(turn, scope)
    created = t.gettext("✅ Projektet <b>{name}</b> er oprettet. I er: {side}.").format(
        name=esc(name), side=side_display(t, own))
    turn.say(f"{created}\n{currency}" if currency else created)
    show_invites(turn, scope)
    if currency is None:
        ask_currency(turn, scope, setup=True)
    else:
        present_next(turn, scope)


# ---- invites --------------------------------------------------------------------------------

def issue_invite(turn: Turn, scope: Scope, kind: str) -> InviteRecord:
    """A new invite for the partner organisation or the own team; the previous one stops working."""
    role = scope.role if kind == "team" else other_side(scope.role)
    for invite in turn.uow.invites.of_project(scope.project.id):
        if invite.kind == kind and invite.role == role and invite.revoked_at is None:
            turn.uow.invites.revoke(invite.token, turn.now)
    invite = InviteRecord(
        token=secrets.token_urlsafe(24), project_id=scope.project.id, role=role, kind=kind,
        created_by=turn.person.id, created_at=turn.now, expires_at=turn.now + turn.services.invite_ttl,
    )
    turn.uow.invites.add(invite)
    return invite


def valid_invite(turn: Turn, scope: Scope, kind: str) -> InviteRecord:
    role = scope.role if kind == "team" else other_side(scope.role)
    for invite in reversed(list(turn.uow.invites.of_project(scope.project.id))):
        if invite.kind == kind and invite.role == role and invite.revoked_at is None and invite.expires_at > turn.now:
            return invite
    return issue_invite(turn, scope, kind)


def show_invites(turn: Turn, scope: Scope) -> None:
    t = turn.t
    links = turn.services.links
    partner = valid_invite(turn, scope, "partner")
    team = valid_invite(turn, scope, "team")
    expires = t.date(partner.expires_at.date())
    lines = [
        t.gettext("<b>Invitationer til {project}</b>").format(project=esc(scope.project.name)),
        "",
        t.gettext("Til den anden organisation ({side}):").format(side=side_label(t, other_side(scope.role))),
        esc(links.invite(partner.token)),
        *web_invite_line(t, links.web_invite(partner.token)),
        "",
        t.gettext("Til jeres egne kolleger ({side}):").format(side=side_label(t, scope.role)),
        esc(links.invite(team.token)),
        *web_invite_line(t, links.web_invite(team.token)),
    ]
    group_link = links.group(team.token)
    if group_link:
        lines += ["", t.gettext("Tilføj mig til jeres teamgruppe:"), esc(group_link)]
    lines += [t.gettext("Er jeg allerede med i gruppen? Så skriv dér: {command}").format(command=f"/link {team.token}")]
    lines += [
        "",
        t.gettext("Links udløber {date}. Videresend dem kun til dem, der skal være med.").format(date=expires),
        t.gettext("Beder I om nye links, holder de gamle op med at virke."),
    ]
    turn.say("\n".join(lines), [[
        turn.button(t.gettext("🔄 Nye links"), intents.ReissueInvites(scope.project.id, "all")),
        turn.button(t.gettext("👥 Hvem er med"), intents.ShowTeam(scope.project.id)),
    ]])


def web_invite_line(t: Translator, url: str | None) -> list[str]:
    """The same invite as a web page, for someone without Telegram (when the web page is served)."""
    return [t.gettext("Uden Telegram: {url}").format(url=esc(url))] if url else []


def cmd_invite(turn: Turn) -> None:
    scope = turn.scope_or_explain()
    if scope is None:
        return
    show_invites(turn, scope)


def reissue(turn: Turn, scope: Scope) -> None:
    issue_invite(turn, scope, "partner")
    issue_invite(turn, scope, "team")
    turn.notice = turn.t.gettext("De gamle links virker ikke længere.")
    show_invites(turn, scope)


# ---- joining --------------------------------------------------------------------------------

def too_many_failures(turn: Turn) -> bool:
    """Refuse (and say so) when the person's invite codes failed too often within the window."""
    failed = turn.uow.invites.failures(turn.person.id, turn.now - INVITE_WINDOW)
    if len(failed) < INVITE_FAILURES:
        return False
    minutes = max(1, -(-int((failed[-INVITE_FAILURES] + INVITE_WINDOW - turn.now).total_seconds()) // 60))
    turn.say(turn.t.gettext("Du har prøvet for mange invitationer, der ikke virkede. Prøv igen om {minutes} min., "
                            "og tjek, at hele linket kom med.").format(minutes=minutes))
    return True


def failed_invite(turn: Turn, text: str) -> None:
    turn.uow.invites.add_failure(turn.person.id, turn.now, turn.now - INVITE_WINDOW)
    turn.say(text)


def cmd_join(turn: Turn, token: str) -> None:
    t = turn.t
    if not token:
        turn.say(t.gettext("Send den kode eller det link, I har fået fra jeres samarbejdspartner, fx /join KODE."))
        return
    if too_many_failures(turn):
        return
    if not TOKEN_PATTERN.match(token):
        failed_invite(turn, t.gettext("Den invitation kan jeg ikke læse. Tjek, at hele linket kom med."))
        return
    invite = turn.uow.invites.get(token)
    project = turn.uow.projects.get(invite.project_id) if invite is not None else None
    if invite is None or invite.revoked_at is not None or project is None:
        failed_invite(turn, t.gettext("Den invitation findes ikke eller er trukket tilbage. Bed om et nyt link."))
        return
    if invite.expires_at <= turn.now:
        failed_invite(turn, t.gettext("Den invitation er udløbet. Bed om et nyt link."))
        return
    sides = {s.role: s for s in turn.uow.projects.sides(project.id)}
    side = sides[invite.role]
    current = next((s for p, s in turn.uow.members.memberships(turn.person.id) if p.id == project.id), None)
    if current is not None and current.role != invite.role:
        turn.say(
            t.gettext("Du er allerede med i {project} på den anden side ({side}). Man kan kun være på én side.").format(
                project=esc(project.name), side=side_display(t, current)
            )
        )
        return
    turn.uow.people.update(turn.person.id, current_project_id=project.id)
    turn.reload_person()
    if current is not None:
        turn.say(t.gettext("Du er allerede med i {project}. Jeg skifter til det.").format(project=esc(project.name)))
        present_next(turn, Scope(project, current))
        return
    turn.uow.members.add(side.id, turn.person.id, turn.now)
    turn.clear_state()
    scope = Scope(project, side)
    turn.say(t.gettext("🎉 Velkommen til <b>{project}</b>. Du er med som {side}.").format(
        project=esc(project.name), side=side_display(t, side)))
    if invite.kind == "partner" and not side.organisation:
        turn.set_state(ChatState(Mode.ORG_FOR_SIDE, project=project.id))
        turn.say(t.gettext("Hvad hedder jeres organisation? (fx Aarhus Kommune)"),
                 [[turn.button(t.gettext("Spring over"), intents.SkipOrganisation(project.id))]])
        return  # the others are told who joined once the organisation is known
    announce_joined(turn, scope)
    present_next(turn, scope)


def announce_joined(turn: Turn, scope: Scope) -> None:
    """Tell both sides who joined, and for which organisation."""
    turn.emit(
        events.MemberJoined(
            scope.project, scope.side, tuple(turn.uow.projects.sides(scope.project.id)), turn.person.name
        )
    )


def organisation_for_side(turn: Turn, text: str | None) -> None:
    """The organisation of a side just joined (None: skipped); then the side's next question."""
    scope = turn.known.scope(turn.state.project)
    turn.clear_state()
    if scope is None:
        turn.no_project()
        return
    if text:
        turn.uow.projects.update_side(scope.side.id, organisation=" ".join(text.split())[:200])
        scope = Scope(scope.project, turn.uow.projects.side(scope.side.id) or scope.side)
    currency = settle_currency(turn, scope)
    announce_joined(turn, scope)
    if currency is None:
        ask_currency(turn, scope, setup=True)
        return
    turn.say(currency)
    present_next(turn, scope)


# ---- team groups ----------------------------------------------------------------------------

def cmd_link(turn: Turn, token: str) -> None:
    """/link CODE in a group: the group becomes the team chat of the code's side."""
    t = turn.t
    if not turn.in_group:
        turn.say(t.gettext("Brug /link i jeres teamgruppe for at knytte den til jeres team."))
        return
    if too_many_failures(turn):
        return
    invite = turn.uow.invites.get(token) if token and TOKEN_PATTERN.match(token) else None
    project = turn.uow.projects.get(invite.project_id) if invite is not None else None
    side = (
        next((s for s in turn.uow.projects.sides(project.id) if s.role == invite.role), None)
        if project and invite
        else None
    )
    if invite is None or invite.revoked_at is not None or invite.expires_at <= turn.now or side is None or not project:
        failed_invite(turn, t.gettext("Den kode virker ikke (ukendt, udløbet eller trukket tilbage). Hent en ny med "
                                      "/invite i en privat chat med mig."))
        return
    if not turn.known.is_member(side):
        turn.say(
            t.gettext(
                "Kun medlemmer af {side} kan knytte en gruppe til teamet. "
                "Deltag først via invitationen i en privat chat med mig."
            ).format(side=side_display(t, side))
        )
        return
    turn.uow.projects.update_side(side.id, group_chat=turn.inp.chat.id, group_locale=turn.person.locale)
    turn.uow.members.update(side.id, turn.person.id, in_group=True)
    turn.say(
        t.gettext(
            "✅ Denne gruppe er nu teamchat for {side} i {project}. "
            "Jeg stiller spørgsmålene her – svar ved at svare på mine beskeder."
        ).format(side=side_display(t, side), project=esc(project.name))
    )
    present_next(turn, Scope(project, turn.uow.projects.side(side.id) or side))


def move_group_chat(uow: UnitOfWork, old_chat: str, new_chat: str) -> None:
    """A team group got a new id (became a supergroup): keep its link to the side."""
    side = uow.projects.side_by_group_chat(old_chat)
    if side is not None:
        uow.projects.update_side(side.id, group_chat=new_chat)


def leave_group(uow: UnitOfWork, chat: str, event: LeftGroupInput) -> None:
    """Leaving a side's team group means leaving the team: no more reading its project's answers.
    When the bot itself is removed, the group is no longer the team's chat."""
    side = uow.projects.side_by_group_chat(chat)
    if side is None:
        return
    if event.is_bot:
        uow.projects.update_side(side.id, group_chat=None)
        return
    person = uow.people.by_external_id(event.member.external_id)
    if person is not None:
        uow.members.remove(side.id, person.id)

