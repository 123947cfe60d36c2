"""The one table of what a person can do: each intent type to its feature, and the commands.

/help and the transport's command menu are generated from `COMMANDS`, so a command is declared once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.engine import flow, intents
from bot.engine.features import (
    answering,
    deleting,
    mailing,
    placing,
    project_list,
    projects,
    reading,
    settings,
    signoff,
    team,
    todo,
    undoing,
    weblink,
)
from bot.engine.intents import InProject, Intent
from bot.engine.model import ChatMovedInput, Input, LeftGroupInput
from bot.engine.ports import UnitOfWork
from bot.engine.turn import Mode, Scope, Turn
from bot.i18n import Translator
from bot.i18n_marker import N_


@dataclass(frozen=True)
class Command:
    """A command: what it does, its line in /help and its entry in the command menu (msgids)."""

    name: str
    run: Callable[[Turn, str], None]
    help: str | None = None
    menu: str | None = None


def _help(turn: Turn, args: str) -> None:
    turn.say(help_text(turn.t))


COMMANDS: tuple[Command, ...] = (
    Command("continue", lambda turn, args: flow.cmd_continue(turn),
            N_("/continue – næste spørgsmål"), N_("Næste spørgsmål")),
    Command("mine", lambda turn, args: reading.cmd_answers(turn, reading.MINE),
            N_("/mine – jeres svar (og ret dem)"), N_("Vores svar")),
    Command("theirs", lambda turn, args: reading.cmd_answers(turn, reading.THEIRS),
            N_("/theirs – den anden organisations svar"), N_("Den anden organisations svar")),
    Command("compare", lambda turn, args: reading.cmd_answers(turn, reading.COMPARE),
            N_("/compare – begge organisationers svar side om side"), N_("Sammenlign svarene")),
    Command("todo", lambda turn, args: todo.cmd_todo(turn),
            N_("/todo – det, der venter på jer, i alle jeres projekter"), N_("Det venter på jer")),
    Command("summary", lambda turn, args: reading.cmd_summary(turn),
            N_("/summary – opsummering af fasen"), N_("Opsummering af fasen")),
    Command("projects", lambda turn, args: project_list.cmd_projects(turn),
            N_("/projects – dine projekter, skift projekt"), N_("Dine projekter")),
    Command("new", lambda turn, args: projects.start_new_project(turn), N_("/new – start et nyt projekt")),
    Command("invite", lambda turn, args: projects.cmd_invite(turn),
            N_("/invite – invitationer til jeres samarbejdspartner og teamet"), N_("Invitationer")),
    Command("team", lambda turn, args: team.cmd_team(turn),
            N_("/team – hvem er med i projektet (og fjern nogen)")),
    Command("back", lambda turn, args: answering.cmd_back(turn), N_("/back – forrige spørgsmål")),
    Command("skip", lambda turn, args: answering.cmd_skip(turn), N_("/skip – spring spørgsmålet over til senere")),
    Command("pause", lambda turn, args: flow.cmd_pause(turn), N_("/pause – hold pause")),
    Command("language", lambda turn, args: settings.cmd_language(turn), N_("/language – sprog"), N_("Sprog")),
    Command("settings", lambda turn, args: settings.cmd_settings(turn),
            N_("/settings – notifikationer"), N_("Notifikationer")),
    Command("link", projects.cmd_link, N_("/link KODE – knyt en gruppechat til jeres team")),
    Command("export", lambda turn, args: reading.cmd_export(turn),
            N_("/export – hele projektet som PDF og Markdown"), N_("Hele projektet som PDF")),
    Command("web", lambda turn, args: weblink.cmd_web(turn),
            N_("/web – projektet på en webside, side om side (personligt link)"), N_("Projektet på nettet")),
    Command("help", _help, menu=N_("Hjælp")),
    Command("email", mailing.cmd_email, N_("/email – få besked på mail (og bekræft adressen)"), N_("Besked på mail")),
    Command("forget", lambda turn, args: settings.cmd_forget(turn),
            N_("/forget – se, hvad jeg har gemt om dig, og slet det"), N_("Dine data: se og slet")),
    Command("delete", lambda turn, args: deleting.cmd_delete(turn),
            N_("/delete – slet projektet (kun den, der oprettede det)")),
    Command("start", projects.cmd_start),
    Command("join", projects.cmd_join),
    Command("cancel", lambda turn, args: flow.cmd_cancel(turn)),
)
_BY_NAME = {command.name: command for command in COMMANDS}


def help_text(t: Translator) -> str:
    return "\n".join([t.gettext("<b>Det kan jeg</b>"), *(t.gettext(c.help) for c in COMMANDS if c.help)])


def menu_commands() -> list[tuple[str, str]]:
    """(command, msgid of its description) for the transport's command menu, in order."""
    return [(c.name, c.menu) for c in COMMANDS if c.menu]


def in_project(handler: Callable[[Turn, Scope, Any], None]) -> Callable[[Turn, Any], None]:
    """A handler of an intent that acts in its project: only for a member, in that project."""
    def run(turn: Turn, intent: InProject) -> None:
        scope = turn.known.scope(intent.project_id)
        if scope is None:
            turn.foreign_button()
            return
        handler(turn, scope, intent)
    return run


def on_typed(turn: Turn, intent: intents.Typed) -> None:
    """Typed text: for the step the person is in the middle of, or else an answer to place."""
    handler = TEXT_MODES.get(turn.state.mode) if turn.state.mode else None
    (handler or placing.on_text)(turn, intent)


def on_command(turn: Turn, intent: intents.Command) -> None:
    command = _BY_NAME.get(intent.name)
    if command is None:
        turn.say(turn.t.gettext("Den kommando kender jeg ikke. Skriv /help for at se, hvad jeg kan."))
        return
    command.run(turn, intent.args)


# Typed text while a person is in the middle of something that is not an answer.
TEXT_MODES: dict[Mode, Callable[[Turn, intents.Typed], None]] = {
    Mode.NEW_NAME: lambda turn, typed: projects.new_project_typed(turn, typed.text),
    Mode.NEW_SIDE: lambda turn, typed: projects.new_project_typed(turn, typed.text),
    Mode.NEW_ORG: lambda turn, typed: projects.new_project_typed(turn, typed.text),
    Mode.ORG_FOR_SIDE: lambda turn, typed: projects.organisation_for_side(turn, typed.text),
    Mode.CHANGE_NOTE: signoff.change_note_typed,
    Mode.FOLLOW_UP: answering.on_step_text,
    Mode.ADD: answering.on_step_text,
    Mode.EDIT: answering.on_step_text,
}

# Every intent, to the feature that carries it out.
ROUTES: dict[type[Intent], Callable[[Turn, Any], None]] = {
    intents.Command: on_command,
    intents.Typed: on_typed,
    intents.EditedMessage: answering.on_edited,
    intents.Unreadable: lambda turn, intent: turn.stale_button(),
    # outside a project (or before one exists)
    intents.NewProject: lambda turn, intent: projects.start_new_project(turn),
    intents.JoinHelp: lambda turn, intent: projects.join_help(turn),
    intents.ChooseSide: lambda turn, intent: projects.choose_side(turn, intent.side),
    intents.SkipOrganisation: lambda turn, intent: projects.skip_organisation(turn),
    intents.SetLanguage: settings.set_language,
    intents.ForgetMe: lambda turn, intent: settings.forget(turn),
    intents.SetToldBy: mailing.set_told_by,
    intents.RemoveEmail: lambda turn, intent: mailing.remove_email(turn),
    intents.ShowProjects: lambda turn, intent: project_list.cmd_projects(turn, intent.page),
    # in a project, for its members
    intents.Choose: in_project(answering.choose),
    intents.Skip: in_project(answering.skip),
    intents.Edit: in_project(answering.edit),
    intents.AddTo: in_project(answering.add_to),
    intents.SkipFollowUp: in_project(answering.skip_follow_up),
    intents.GiveAnswer: in_project(answering.give_answer),
    intents.PlaceDraft: in_project(placing.draft_button),
    intents.LaterChoice: in_project(
        lambda turn, scope, intent: flow.later_choice(turn, scope, intent.phase, intent.choice)
    ),
    intents.ToSignoff: in_project(lambda turn, scope, intent: answering.to_signoff(turn, scope, intent.phase)),
    intents.Back: in_project(lambda turn, scope, intent: answering.cmd_back(turn, scope.project.id)),
    intents.Pause: in_project(lambda turn, scope, intent: flow.cmd_pause(turn)),
    intents.Continue: in_project(lambda turn, scope, intent: flow.continue_in(turn, scope)),
    intents.ShowTheirs: in_project(
        lambda turn, scope, intent: reading.cmd_answers(
            turn, reading.THEIRS, intent.tool, scope.project.id, intent.page
        )
    ),
    intents.ShowMine: in_project(
        lambda turn, scope, intent: reading.cmd_answers(turn, reading.MINE, intent.tool, scope.project.id, intent.page)
    ),
    intents.Compare: in_project(
        lambda turn, scope, intent: reading.cmd_answers(
            turn, reading.COMPARE, intent.tool, scope.project.id, intent.page
        )
    ),
    intents.ShowSummary: in_project(
        lambda turn, scope, intent: reading.cmd_summary(turn, intent.phase, scope.project.id)
    ),
    intents.SignOff: in_project(signoff.signoff_button),
    intents.SwitchProject: in_project(lambda turn, scope, intent: project_list.switch(turn, scope)),
    intents.ShowTeam: in_project(lambda turn, scope, intent: team.show_team(turn, scope)),
    intents.RemoveMember: in_project(
        lambda turn, scope, intent: team.remove_member(turn, scope, intent.person, intent.confirmed == intents.YES)
    ),
    intents.ReissueInvites: in_project(lambda turn, scope, intent: projects.reissue(turn, scope)),
    intents.DeleteProject: in_project(lambda turn, scope, intent: deleting.delete_project(turn, scope)),
    intents.ToggleMute: in_project(lambda turn, scope, intent: settings.toggle_mute(turn, scope)),
    intents.ToggleReminders: in_project(lambda turn, scope, intent: settings.toggle_reminders(turn, scope)),
    intents.SetReminderDays: in_project(
        lambda turn, scope, intent: settings.set_reminder_days(turn, scope, intent.days)
    ),
    intents.SetNotifyWhere: in_project(
        lambda turn, scope, intent: settings.set_notify_where(turn, scope, intent.where)
    ),
    intents.SetCurrency: in_project(settings.set_currency),
    intents.PickReading: in_project(answering.pick_reading),
    intents.Undo: in_project(undoing.undo),
    intents.WebLink: in_project(lambda turn, scope, intent: weblink.cmd_web(turn, scope.project.id)),
}


def dispatch(turn: Turn) -> None:
    """Hand the turn's intent to the feature that carries it out."""
    turn.known.note_group_reader()
    ROUTES[type(turn.intent)](turn, turn.intent)


def is_chat_event(inp: Input) -> bool:
    """An event about a chat rather than from a person (a group moved, someone left it)."""
    return isinstance(inp.event, ChatMovedInput | LeftGroupInput)


def on_chat_event(uow: UnitOfWork, inp: Input) -> None:
    event = inp.event
    if isinstance(event, ChatMovedInput):
        projects.move_group_chat(uow, inp.chat.id, event.new_chat_id)
    elif isinstance(event, LeftGroupInput):
        projects.leave_group(uow, inp.chat.id, event)
