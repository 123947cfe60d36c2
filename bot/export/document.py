"""The project export as a neutral document: translated, plain text (never HTML), no layout.

`build_document` reads a project's progress once and turns it into dataclasses that the Markdown
and PDF renderers only lay out. Every text in the model is final and literal: user answers are kept
exactly as typed, guide texts and labels are already in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from html import unescape

from bot.engine.authorship import authors_of, named_parts
from bot.engine.progress import ProjectProgress, SideView, applies, side_questions
from bot.engine.records import ANSWERED, LATER, NOT_RELEVANT, AnswerRecord, SignoffRecord
from bot.engine.render.answers import HIDDEN, not_asked, not_asked_after, not_asked_line
from bot.engine.render.insights import tool_insights
from bot.engine.render.text import g, phase_heading, quoted, source_note
from bot.export.chart import profile_chart
from bot.export.closing import (
    decision_lines,
    local_date,
    open_points,
    organisation,
    phase_started,
    phase_status,
    signoff_lines,
)
from bot.export.model import Answer, Document, Labels, PhaseSection, QuestionItem, ToolSection
from bot.export.summary import build_summary, chart_alt
from bot.guide.model import SIDES, Guide, Phase, Question, Tool
from bot.i18n import DEFAULT_ZONES, FALLBACK_ZONE, Translator

TAGS = re.compile(r"</?[a-z]+>")


def build_document(
    t: Translator,
    progress: ProjectProgress,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    generated_at: dt.datetime,
    tz: str | None = None,
) -> Document:
    """The whole project as a document in `t`'s language; times are shown in `tz`."""
    tz = reader_zone(t, tz)
    project = progress.project
    views = [progress.sides[role] for role in SIDES if role in progress.sides]
    sharer, reuser = (tuple(organisation(t, view) for view in views) + ("", ""))[:2]
    sections = tuple(
        phase_section(t, progress, phase, signoffs, names, tz) for phase in progress.phases()
    )
    return Document(
        locale=t.locale,
        title=t.gettext("Spredningsguiden: {project}").format(project=project.name),
        project=project.name,
        organisations=(sharer, reuser),
        generated=t.gettext("Eksporteret {when}").format(when=t.datetime(generated_at, tz)),
        generated_at=generated_at,
        progress=tuple(progress_lines(t, progress, tz)),
        phases=sections,
        labels=Labels(
            kicker=t.gettext("Spredningsguiden · projektoversigt"),
            progress=t.gettext("Projektets status"),
            open_points=t.gettext("Åbne punkter"),
            decisions=t.gettext("Beslutninger"),
            signoffs=t.gettext("Godkendelse"),
            none=t.gettext("Ingen."),
            not_started=t.gettext("Ingen svar i denne fase endnu."),
            attachments=t.gettext("Vedhæftede filer: {files}"),
            page=t.gettext("Side {page} af {pages}"),
            attachment=t.gettext("Hele projektet som Markdown-tekst"),
        ),
        summary=build_summary(t, progress, signoffs, names, tz, sections),
    )


def reader_zone(t: Translator, tz: str | None) -> str:
    """The time zone to show times in: `tz`, else the reader's, else their language's."""
    return tz or t.zone or DEFAULT_ZONES.get(t.locale, FALLBACK_ZONE)


def progress_lines(t: Translator, progress: ProjectProgress, tz: str | None) -> list[str]:
    """Where the project stands: the current phase, each phase's state, answers per side."""
    project = progress.project
    current = progress.current_phase()
    if project.closed_at is not None:
        when = t.date(local_date(project.closed_at, tz))
        if project.closed_reason == "no_go":
            lines = [
                t.gettext("Projektet blev afsluttet {date} efter et nej til at gå videre.").format(
                    date=when
                )
            ]
        else:
            lines = [t.gettext("Projektet blev afsluttet {date}.").format(date=when)]
    elif current is None:
        lines = [t.gettext("Alle faser er aftalt.")]
    else:
        lines = [
            t.gettext("Nuværende fase: {phase}").format(phase=unescape(phase_heading(t, current)))
        ]
    for phase in progress.phases():
        lines.append(
            t.gettext("{phase} – {status}").format(
                phase=unescape(phase_heading(t, phase)), status=phase_status(t, progress, phase, tz)
            )
        )
    for role in SIDES:
        view = progress.sides.get(role)
        if view is None:
            continue
        asked = [
            q for phase in progress.phases() for q in side_questions(phase, role, view.answers)
        ]
        answered = sum(
            1 for q in asked if (a := view.answers.get(q.key)) is not None and a.status == ANSWERED
        )
        lines.append(
            t.ngettext(
                "{side}: {answered} af {total} spørgsmål besvaret",
                "{side}: {answered} af {total} spørgsmål besvaret",
                len(asked),
            ).format(
                side=organisation(t, view), answered=t.number(answered), total=t.number(len(asked))
            )
        )
    return lines


def phase_section(
    t: Translator,
    progress: ProjectProgress,
    phase: Phase,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    tz: str | None,
) -> PhaseSection:
    started = phase_started(progress, phase) or progress.agreement(phase.id) is not None
    return PhaseSection(
        heading=unescape(phase_heading(t, phase)),
        purpose=unescape(g(t, phase.purpose)),
        status=phase_status(t, progress, phase, tz),
        started=started,
        tools=tuple(tool_section(t, progress, tool, names, tz) for tool in phase.tools)
        if started
        else (),
        open_points=tuple(open_points(t, progress, phase)) if started else (),
        decisions=tuple(decision_lines(t, progress, phase)) if started else (),
        signoffs=tuple(signoff_lines(t, progress, phase, signoffs, names, tz)) if started else (),
    )


def tool_section(
    t: Translator, progress: ProjectProgress, tool: Tool, names: dict[int, str], tz: str | None
) -> ToolSection:
    """Each side's own questions (the sharer's first), then those both sides answer.

    Questions a side is not asked after an earlier answer (a benefits plan made in Høst instead)
    are left out; beside the other side's answer they read "not asked after the answer …".
    """
    items: list[QuestionItem] = []
    skipped = {role: not_asked(tool, view.answers) for role, view in progress.sides.items()}
    for role in SIDES:
        view = progress.sides.get(role)
        if view is None:
            continue
        if progress.hidden(role, tool):
            if any(not q.shared for q in tool.questions_for(role)):
                items.append(QuestionItem(organisation(t, view), (hidden(t, view),)))
            continue
        for question in tool.questions_for(role):
            if not question.shared and asked(question, view) and question.key not in skipped[role]:
                items.append(
                    QuestionItem(
                        unescape(g(t, question.text)),
                        (answer(t, question, view, names, tz),),
                        hints(t, question),
                    )
                )
    for question in tool.questions:
        views = [progress.sides[role] for role in SIDES if role in progress.sides]
        if question.shared and any(
            asked(question, view) and question.key not in skipped[view.role] for view in views
        ):
            answers = tuple(
                hidden(t, view)
                if progress.hidden(view.role, tool)
                else not_asked_answer(t, progress.guide, tool, view)
                if question.key in skipped[view.role]
                else answer(t, question, view, names, tz)
                for view in views
            )
            items.append(QuestionItem(unescape(g(t, question.text)), answers, hints(t, question)))
    return ToolSection(
        unescape(g(t, tool.title)),
        tuple(items),
        tool_notes(t, progress, tool),
        profile_chart(t, progress, tool) if tool.profile else None,
        chart_alt(t, progress, tool) if tool.profile else "",
    )


def hints(t: Translator, question: Question) -> tuple[str, ...]:
    return tuple(unescape(TAGS.sub("", g(t, hint))) for hint in question.hints)


def not_asked_answer(t: Translator, guide: Guide, tool: Tool, view: SideView) -> Answer:
    """In place of an answer the side is not asked after an earlier choice (the plan in Høst)."""
    _, option = not_asked_after(guide, tool, view.answers)
    label = unescape(g(t, option.label)) if option else ""
    return Answer(
        view.role,
        organisation(t, view),
        t.gettext("Stilles ikke efter svaret {answer}").format(answer=quoted(t, label)),
    )


def tool_notes(t: Translator, progress: ProjectProgress, tool: Tool) -> tuple[str, ...]:
    """The plain-text lines an addition from Meld. St. 30 shows after its answers, and the
    questions a side is not asked after an earlier answer, in one line as the chat shows them."""
    lines = [source_note(t, tool) or ""]
    for role in SIDES:
        view = progress.sides.get(role)
        skipped = not_asked(tool, view.answers) if view is not None else set()
        if view is not None and skipped and not progress.hidden(role, tool):
            lines.append(
                f"{organisation(t, view)}: " + not_asked_line(t, progress.guide, tool, view.answers, len(skipped))
            )
    lines += tool_insights(t, progress, tool)
    return tuple(unescape(TAGS.sub("", line)) for line in lines if line)


def asked(question: Question, view: SideView) -> bool:
    """The side is asked the question (its condition holds), or has answered it anyway."""
    return question.key in view.answers or applies(question, view.answers)


def hidden(t: Translator, view: SideView) -> Answer:
    """In place of the other side's answers to a tool the reader has not reached."""
    return Answer(view.role, organisation(t, view), t.gettext(HIDDEN))


def answer(
    t: Translator, question: Question, view: SideView, names: dict[int, str], tz: str | None
) -> Answer:
    record = view.answers.get(question.key)
    who = organisation(t, view)
    if record is None:
        return Answer(view.role, who, t.gettext("Ikke besvaret endnu"))
    if record.status != ANSWERED:
        return Answer(view.role, who, answer_text(t, question, record))
    attachments = tuple(
        str(a.get("name") or t.gettext("billede"))
        for a in record.value.get("attachments") or ()
        if isinstance(a, dict)
    )
    byline = ""
    authors = [names[i] for i in authors_of(record) if i in names]
    if authors:
        byline = t.gettext("Besvaret af {author}, {date}").format(
            author=t.join(authors), date=t.date(local_date(record.created_at, tz))
        )
    return Answer(view.role, who, answer_text(t, question, record, names), True, attachments, byline)


def answer_text(t: Translator, question: Question | None, record: AnswerRecord,
                names: Mapping[int, str] | None = None) -> str:
    """An answer as plain text: the choice, scale, amount, date and text (attachments apart); with
    `names`, a text several people wrote gives each part with its author.

    The plain twin of `bot.engine.render.answers.answer_value`, never shortened.
    """
    if record.status == NOT_RELEVANT:
        return t.gettext("Ikke relevant for os")
    if record.status == LATER:
        return t.gettext("Sprunget over – vender tilbage senere")
    value = record.value
    parts: list[str] = []
    if "choice" in value:
        option = question.option(str(value["choice"])) if question is not None else None
        parts.append(t.gettext(option.label) if option else str(value["choice"]))
    if "scale" in value:
        parts.append(f"{value['scale']}/5")
    if "amount" in value:
        try:
            parts.append(t.amount(Decimal(str(value["amount"])), str(value.get("currency", "DKK"))))
        except (InvalidOperation, ValueError):
            parts.append(str(value["amount"]))
    if "date" in value:
        try:
            parts.append(t.date(dt.date.fromisoformat(str(value["date"]))))
        except ValueError:
            parts.append(str(value["date"]))
    text = value.get("text")
    written = named_parts(record, names, t.gettext("et teammedlem")) if names is not None else []
    if text and written:
        text = "\n\n".join(f"{part}\n({name})" for name, part in written)
    if text:
        parts.append(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if parts:
        return " – ".join(parts)
    return "" if value.get("attachments") else t.gettext("(tomt svar)")
