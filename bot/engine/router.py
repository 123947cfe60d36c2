"""The one table of what a person can do: commands, buttons and typed text, each to its feature.

/help and the transport's command menu are generated from `COMMANDS`, so a command is declared once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine import callbacks as cb
from bot.engine import flow
from bot.engine.features import (
    answering,
    placing,
    project_list,
    projects,
    reading,
    settings,
    signoff,
    team,
    todo,
    weblink,
)
from bot.engine.model import (
    ButtonInput,
    ChatMovedInput,
    CommandInput,
    EditedInput,
    Input,
    LeftGroupInput,
    TextInput,
)
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
    Command("forget", lambda turn, args: settings.cmd_forget(turn),
            N_("/forget – se, hvad jeg har gemt om dig, og slet det"), N_("Dine data: se og slet")),
    Command("delete", lambda turn, args: projects.cmd_delete(turn),
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


# Buttons that work outside a project (or before one exists).
BUTTONS: dict[str, Callable[[Turn, cb.Data], None]] = {
    cb.NEW_PROJECT: lambda turn, data: projects.start_new_project(turn),
    cb.JOIN_HELP: lambda turn, data: projects.join_help(turn),
    cb.CHOOSE_SIDE: lambda turn, data: projects.choose_side(turn, data.arg(0)),
    cb.SKIP_ORGANISATION: lambda turn, data: projects.skip_organisation(turn),
    cb.LANGUAGE: settings.set_language,
    cb.FORGET: lambda turn, data: settings.forget(turn),
    cb.PROJECTS: lambda turn, data: project_list.cmd_projects(turn, data.arg(0)),
}

# Buttons in a project: they act only for a member, in the button's project.
PROJECT_BUTTONS: dict[str, Callable[[Turn, Scope, cb.Data], None]] = {
    cb.ANSWER: answering.question_button,
    cb.SKIP: answering.question_button,
    cb.EDIT: answering.question_button,
    cb.ADD: answering.question_button,
    cb.SKIP_FOLLOW_UP: answering.question_button,
    cb.DRAFT: placing.draft_button,
    cb.LATER_CHOICE: lambda turn, scope, data: flow.later_choice(turn, scope, data.arg(0), data.arg(1)),
    cb.TO_SIGNOFF: lambda turn, scope, data: answering.to_signoff(turn, scope, data.arg(0)),
    cb.BACK: lambda turn, scope, data: answering.cmd_back(turn, scope.project.id),
    cb.PAUSE: lambda turn, scope, data: flow.cmd_pause(turn),
    cb.CONTINUE: lambda turn, scope, data: flow.continue_in(turn, scope),
    cb.THEIRS: lambda turn, scope, data: reading.cmd_answers(turn, reading.THEIRS, data.arg(0), scope.project.id,
                                                        data.arg(1)),
    cb.MINE: lambda turn, scope, data: reading.cmd_answers(turn, reading.MINE, data.arg(0), scope.project.id,
                                                        data.arg(1)),
    cb.COMPARE: lambda turn, scope, data: reading.cmd_answers(turn, reading.COMPARE, data.arg(0), scope.project.id),
    cb.SUMMARY: lambda turn, scope, data: reading.cmd_summary(turn, data.arg(0), scope.project.id),
    cb.SIGNOFF: signoff.signoff_button,
    cb.SWITCH: lambda turn, scope, data: project_list.switch(turn, scope),
    cb.TEAM: lambda turn, scope, data: team.show_team(turn, scope),
    cb.REMOVE_MEMBER: lambda turn, scope, data: team.remove_member(turn, scope, data.arg(0), data.arg(1) == "y"),
    cb.REISSUE: lambda turn, scope, data: projects.reissue(turn, scope),
    cb.DELETE_PROJECT: lambda turn, scope, data: projects.delete_project(turn, scope),
    cb.MUTE: lambda turn, scope, data: settings.toggle_mute(turn, scope),
    cb.NO_REMINDERS: lambda turn, scope, data: settings.toggle_reminders(turn, scope),
    cb.REMINDER_DAYS: lambda turn, scope, data: settings.set_reminder_days(turn, scope, data.arg(0)),
    cb.NOTIFY_WHERE: lambda turn, scope, data: settings.set_notify_where(turn, scope, data.arg(0)),
    cb.WEB: lambda turn, scope, data: weblink.cmd_web(turn, scope.project.id),
}

# Typed text while a person is in the middle of something that is not an answer.
TEXT_MODES: dict[Mode, Callable[[Turn, TextInput], None]] = {
    Mode.NEW_NAME: lambda turn, event: projects.new_project_typed(turn, event.text),
    Mode.NEW_SIDE: lambda turn, event: projects.new_project_typed(turn, event.text),
    Mode.NEW_ORG: lambda turn, event: projects.new_project_typed(turn, event.text),
    Mode.ORG_FOR_SIDE: lambda turn, event: projects.organisation_for_side(turn, event.text),
    Mode.CHANGE_NOTE: signoff.change_note_typed,
    Mode.FOLLOW_UP: answering.on_step_text,
    Mode.ADD: answering.on_step_text,
    Mode.EDIT: answering.on_step_text,
}


def dispatch(turn: Turn) -> None:
    """Hand the turn's input to the feature that handles it."""
    event = turn.inp.event
    turn.note_group_reader()
    if isinstance(event, CommandInput):
        on_command(turn, event.name.lower(), event.args.strip())
    elif isinstance(event, ButtonInput):
        on_button(turn, event.data)
    elif isinstance(event, TextInput):
        handler = TEXT_MODES.get(turn.state.mode) if turn.state.mode else None
        (handler or placing.on_text)(turn, event)
    elif isinstance(event, EditedInput):
        answering.on_edited(turn, event)


def on_command(turn: Turn, name: str, args: str) -> None:
    command = _BY_NAME.get(name)
    if command is None:
        turn.say(turn.t.gettext("Den kommando kender jeg ikke. Skriv /help for at se, hvad jeg kan."))
        return
    command.run(turn, args)


def on_button(turn: Turn, raw: str) -> None:
    data = cb.decode(raw)
    if data is None:
        turn.stale_button()
        return
    handler = BUTTONS.get(data.verb)
    if handler is not None:
        handler(turn, data)
        return
    scope = turn.scope(data.project_id) if data.project_id is not None else None
    if scope is None:
        turn.foreign_button()
        return
    project_handler = PROJECT_BUTTONS.get(data.verb)
    if project_handler is None:
        turn.stale_button()
        return
    project_handler(turn, scope, data)


def is_chat_event(inp: Input) -> bool:
    """An event about a chat rather than from a person (a group moved, someone left it)."""
    return isinstance(inp.event, ChatMovedInput | LeftGroupInput)


def on_chat_event(uow: UnitOfWork, inp: Input) -> None:
    event = inp.event
    if isinstance(event, ChatMovedInput):
        projects.move_group_chat(uow, inp.chat.id, event.new_chat_id)
    elif isinstance(event, LeftGroupInput):
        projects.leave_group(uow, inp.chat.id, event)
