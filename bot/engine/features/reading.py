"""Reading a project: /mine, /theirs and /compare per tool, /summary per phase, and /export."""

from __future__ import annotations

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.authorship import authors_of
from bot.engine.model import Attachment, Button, Document
from bot.engine.progress import ProjectProgress, applies
from bot.engine.records import AGREE, ANSWERED, SignoffRecord
from bot.engine.render.answers import answers_of_tool, compare_tool
from bot.engine.render.card import card_version, signoff_buttons
from bot.engine.render.summary import phase_summary
from bot.engine.render.text import BUTTON_LIMIT, esc, fit_button, g, side_display
from bot.engine.turn import Turn
from bot.guide.model import Phase, Tool, other_side
from bot.i18n import DEFAULT_ZONES, FALLBACK_ZONE

MINE, THEIRS, COMPARE = "mine", "theirs", "compare"
FILES_AT_ONCE = 10  # files sent with one view; a button offers the rest, ten at a time
VIEWS = {MINE: intents.ShowMine, THEIRS: intents.ShowTheirs, COMPARE: intents.Compare}


def cmd_answers(turn: Turn, which: str, tool_id: str | None = None, project_id: int | None = None,
                files_from: str | None = None) -> None:
    """A side's answers (`which`: mine, theirs or compare) to one tool, or the tools to choose from."""
    scope = turn.scope_or_explain(project_id)
    if scope is None:
        return
    t = turn.t
    progress = turn.known.progress(scope.project).for_reader(scope.role)  # reached tools only
    if tool_id is None or not turn.guide.has_tool(tool_id):
        tools = []
        for phase in progress.phases():
            for tool in phase.tools:
                if progress.reached(scope.role, tool):
                    label = f"{t.gettext(phase.title)} · {t.gettext(tool.title)}"
                    if len(label) > BUTTON_LIMIT:
                        label = fit_button(t.gettext(tool.title))
                    tools.append([turn.button(label, VIEWS[which](scope.project.id, tool.id))])
        titles = {MINE: t.gettext("Jeres svar – vælg et værktøj:"),
                  THEIRS: t.gettext("Den anden organisations svar – vælg et værktøj:"),
                  COMPARE: t.gettext("Sammenlign svarene – vælg et værktøj:")}
        if not tools:
            turn.say(t.gettext("Der er ingen svar at vise endnu."))
            return
        turn.say(titles[which], tools + [turn.continue_row(scope.project.id)])
        return
    tool = turn.guide.tool(tool_id)
    if not progress.reached(scope.role, tool):
        turn.notice = t.gettext("I er ikke nået til det værktøj endnu.")
        turn.say(turn.notice)
        return
    if which == COMPARE:
        turn.say(compare_tool(t, progress, tool, preview=False), [turn.continue_row(scope.project.id)],
                 documents=charts(turn, progress, [tool]))
        return
    role = scope.role if which == MINE else other_side(scope.role)
    view = progress.view(role)
    header = side_display(t, view.side)
    authors = turn.known.authors(view.side)
    text = f"<u>{header}</u>\n" + answers_of_tool(t, turn.guide, tool, role, view.answers, authors)
    attachments = tuple(
        Attachment(a.get("kind", "document"), a["file_id"], a.get("name"))
        for q in tool.questions_for(role)
        if (ans := view.answers.get(q.key)) is not None
        for a in ans.value.get("attachments", [])
    )
    if files_from is not None:
        more_files(turn, which, scope.project.id, tool, attachments, files_from)
        return
    rows: list[list[Button]] = []
    if which == MINE and scope.project.closed_at is None:
        for q in tool.questions_for(scope.role):
            if applies(q, view.answers):
                label = fit_button(t.gettext("✏️ {question}").format(question=t.gettext(q.text)))
                rows.append([turn.button(label, intents.Edit(scope.project.id, cb.question_ref(q.key)))])
                if (ans := view.answers.get(q.key)) is not None and ans.status == ANSWERED and q.kind == "text":
                    rows[-1].append(
                        turn.button(t.gettext("➕ Tilføj"), intents.AddTo(scope.project.id, cb.question_ref(q.key)))
                    )
    rows.append(turn.continue_row(scope.project.id))
    turn.say(text, rows, attachments=attachments[:FILES_AT_ONCE])
    if len(attachments) > FILES_AT_ONCE:
        files_sent(turn, which, scope.project.id, tool, attachments, 0, FILES_AT_ONCE)


def files_sent(turn: Turn, which: str, project_id: int, tool: Tool, attachments: tuple[Attachment, ...],
               start: int, end: int) -> None:
    """After the files: which of how many they were, and a button to the next ones."""
    t = turn.t
    rows = [[turn.button(t.gettext("📎 Flere filer ({count})").format(count=len(attachments) - end),
                         VIEWS[which](project_id, tool.id, str(end)))]] if end < len(attachments) else []
    turn.say(t.gettext("📎 Filer {first}–{last} af {total} er sendt.").format(
        first=start + 1, last=end, total=len(attachments)), rows + [turn.continue_row(project_id)])


def more_files(turn: Turn, which: str, project_id: int, tool: Tool, attachments: tuple[Attachment, ...],
               start_arg: str) -> None:
    """The next files of a tool's answers (a tool's answers may hold hundreds)."""
    start = int(start_arg) if start_arg.isdigit() else 0
    shown = attachments[start:start + FILES_AT_ONCE]
    if not shown:
        turn.stale_button()
        return
    turn.say(f"📎 {g(turn.t, tool.title)}", attachments=shown)
    files_sent(turn, which, project_id, tool, attachments, start, start + len(shown))


def charts(turn: Turn, progress: ProjectProgress, tools: list[Tool]) -> tuple[Document, ...]:
    """Pictures of the readiness profiles among `tools` (people read a profile faster than a table)."""
    found = []
    for tool in tools:
        if tool.profile and (png := turn.services.documents.profile_chart(turn.t, progress, tool)) is not None:
            found.append(Document(f"{tool.id}.png", png, "image/png"))
    return tuple(found)


def cmd_summary(turn: Turn, phase_id: str | None = None, project_id: int | None = None) -> None:
    """A phase's summary (the current one by default), with buttons to each tool and other phases."""
    scope = turn.scope_or_explain(project_id)
    if scope is None:
        return
    t = turn.t
    progress = turn.known.progress(scope.project).for_reader(scope.role)  # reached tools only
    phases = progress.phases()
    current = progress.current_phase()
    if phase_id is None:
        phase = current or phases[-1]
    elif turn.guide.has_phase(phase_id):
        phase = turn.guide.phase(phase_id)
    else:
        turn.stale_button()
        return
    signoffs = list(turn.uow.signoffs.of_phase(scope.project.id, phase.id))
    others = [p for p in phases if p.id != phase.id and (current is None or p.number <= current.number)]
    rows = [
        [
            turn.button(
                fit_button(t.gettext("🔍 {tool}").format(tool=g(t, tool.title))),
                intents.Compare(scope.project.id, tool.id),
            )
        ]
        for tool in phase.tools
        if progress.reached(scope.role, tool)
    ]
    if awaits_signoff(progress, phase, scope.side.id, signoffs):
        rows = [list(row) for row in signoff_buttons(t, scope.project.id, phase, card_version(progress, phase),
                                                           summary=False)] + rows
    # The other phases' summaries and "▶ Continue" under the same message: one request, one notification.
    phase_rows = [
        [turn.button(t.gettext(p.title), intents.ShowSummary(scope.project.id, p.id)) for p in others[i : i + 2]]
        for i in range(0, len(others), 2)
    ]
    turn.say(phase_summary(t, progress, phase, signoffs, turn.known.names(signoffs)),
             rows + phase_rows + [turn.continue_row(scope.project.id)],
             documents=charts(turn, progress, list(phase.tools)))


def awaits_signoff(progress: ProjectProgress, phase: Phase, side_id: int, signoffs: list[SignoffRecord]) -> bool:
    """Signing off the phase is the side's next step: both have answered it, and the side has not
    agreed the answers as they are (nor is it the agreed phase it was)."""
    agreement = progress.agreement(phase.id)
    if phase.id not in {p.id for p in progress.phases()} or not progress.both_finished(phase):
        return False
    if agreement is not None and not progress.is_outdated(agreement):
        return False
    latest = progress.latest_signoffs(signoffs, phase.id).get(side_id)
    return (
        latest is None or latest.verdict != AGREE or tuple(sorted(latest.revision_ids)) != progress.revision_ids(phase)
    )


def cmd_export(turn: Turn) -> None:
    """The whole project as a PDF and a Markdown file in the reader's language."""
    scope = turn.scope_or_explain()
    if scope is None:
        return
    t = turn.t
    progress = turn.known.progress(scope.project).for_reader(scope.role)  # reached tools only
    signoffs = [s for phase in progress.phases() for s in turn.uow.signoffs.of_phase(scope.project.id, phase.id)]
    zone = t.zone or DEFAULT_ZONES.get(t.locale, FALLBACK_ZONE)
    writers = (i for view in progress.sides.values() for answer in view.answers.values() for i in authors_of(answer))
    names = {**turn.known.names(signoffs), **turn.known.names_of(writers)}  # who signed, who wrote
    files = turn.services.documents.project_files(t, progress, signoffs, names, turn.now, zone)
    turn.say(t.gettext("📄 Projektet {project} som PDF og Markdown.").format(project=esc(scope.project.name)),
             documents=files)
