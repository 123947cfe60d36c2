"""The project page's content: phases, sign-offs, decisions and both sides' answers per reached tool.

Built from `ProjectProgress.for_reader` (the one "reached tools only" rule) with the bot's renderers;
texts are HTML with user text escaped, so templates insert them as they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.authorship import authors_of, text_parts
from bot.engine.currency import CHOICES, side_currency
from bot.engine.ports import UnitOfWork
from bot.engine.progress import ProjectProgress, agreeing_closes, applies, later_questions, load_progress
from bot.engine.records import AGREE, ANSWERED, LATER, AnswerRecord, SignoffRecord
from bot.engine.render.answers import HIDDEN, answer_value
from bot.engine.render.card import agreement_consequence, card_version
from bot.engine.render.insights import chart_legend, chart_rows, tool_insights
from bot.engine.render.text import esc, g, phase_heading, side_display, source_note
from bot.engine.turn import UPLOAD
from bot.guide.model import Guide, Phase, Question, Side, Tool, other_side
from bot.i18n import Translator
from bot.web.access import Reader

SCALE_APART = 2  # ratings this far apart are marked as a difference


@dataclass(frozen=True)
class Form:
    """A form to answer (or change the answer to) one of the reader's questions."""

    ref: str
    kind: str
    options: tuple[tuple[str, str], ...]  # (option id, label)
    current: str  # the current text (or amount/date as typed) to start from
    chosen: str | None
    follow_up: str | None  # the follow-up question's text, when the question has one
    can_skip: bool  # "not relevant" is offered (never for a decision)
    answered: bool
    low: str | None = None
    high: str | None = None


@dataclass(frozen=True)
class Row:
    question: str
    mine: str | None  # None: not asked of this side
    theirs: str | None
    differs: bool
    form: Form | None
    anchor: str
    new: bool = False  # changed by someone else since the reader's last visit
    files_mine: tuple[tuple[int, str], ...] = ()  # files given on the web page: (upload id, name)
    files_theirs: tuple[tuple[int, str], ...] = ()


@dataclass
class ToolView:
    id: str
    title: str
    reached: bool
    note: str | None = None
    rows: list[Row] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None


@dataclass
class PhaseView:
    id: str
    heading: str
    status: str
    state: str  # agreed | outdated | current | ready | later | skipped
    signoffs: list[str] = field(default_factory=list)
    decisions: list[tuple[str, str, str]] = field(default_factory=list)  # question, ours, theirs
    open_points: list[str] = field(default_factory=list)
    tools: list[ToolView] = field(default_factory=list)
    can_sign: bool = False
    version: str = ""  # of the answers shown: signing an older page shows them as they are now
    consequence: str | None = None  # what agreeing does, when it is more than going on
    closes: bool = False  # the reader's agreement would close the project (the button says so)


@dataclass
class PageView:
    project: str
    me: str
    mine: str
    theirs: str
    closed: bool
    phases: list[PhaseView]
    new: int = 0  # answers and sign-offs by others since the reader's last visit
    currency: str = ""  # what an amount typed without a currency is saved in, for the reader's side
    currencies: tuple[tuple[str, str], ...] = ()  # (code, button data that chooses it); none when closed
    mail: bool = False  # the bot sends mail: the reader may give an address
    email: str | None = None  # the reader's address, and whether it is confirmed
    email_confirmed: bool = False


Fresh = Callable[[int | None, dt.datetime], bool]  # (author, when) -> new since the last visit


def build_page(t: Translator, uow: UnitOfWork, reader: Reader, guide: Guide,
               since: dt.datetime | None = None, mail: bool = False) -> PageView:
    """Everything the reader's page shows, read in one unit of work; what others changed after
    `since` (the reader's last visit) is marked new."""

    def fresh(author: int | None, at: dt.datetime) -> bool:
        return since is not None and author != reader.person.id and at > since
    progress = load_progress(guide, uow, reader.project).for_reader(reader.side.role)
    role: Side = reader.side.role
    other = other_side(role)
    closed = reader.project.closed_at is not None
    names: dict[int, str] = {}

    def name(person_id: int | None) -> str:
        if person_id is None:
            return "?"
        if person_id not in names:
            person = uow.people.get(person_id)
            names[person_id] = person.name if person else "?"
        return names[person_id]

    written = {i for v in progress.sides.values() for a in v.answers.values() if text_parts(a) for i in authors_of(a)}
    authors = {i: name(i) for i in written}
    phases = []
    current = progress.current_phase()
    project_phases = {p.id for p in progress.phases()}
    new = 0
    for phase in progress.guide.phases:
        signoffs = list(uow.signoffs.of_phase(reader.project.id, phase.id))
        new += sum(fresh(s.person_id, s.created_at) for s in signoffs)
        view = phase_view(t, progress, phase, role, current, phase.id in project_phases, closed, fresh, authors)
        if view.can_sign:
            view.consequence = agreement_consequence(t, progress, phase)
            view.closes = agreeing_closes(progress, signoffs, phase, role)
        view.signoffs = [signoff_line(t, progress, s, name(s.person_id), fresh(s.person_id, s.created_at))
                         for s in signoffs]
        phases.append(view)
    theirs = progress.sides.get(other)
    new += sum(row.new for p in phases for tool in p.tools for row in tool.rows)
    return PageView(project=esc(reader.project.name), me=esc(reader.person.name),
                    mine=side_display(t, reader.side),
                    theirs=side_display(t, theirs.side) if theirs else t.gettext("(endnu ingen)"),
                    closed=closed, phases=phases, new=new, **currency_view(reader, closed, t.locale),
                    mail=mail, email=reader.person.email, email_confirmed=reader.person.mail_address is not None)


def currency_view(reader: Reader, closed: bool, locale: str) -> dict[str, Any]:
    """The side's currency and, while the project is open, the buttons that change it."""
    current = side_currency(reader.side, locale)
    choices = () if closed else tuple(
        (code, cb.encode(intents.SetCurrency(reader.project.id, code, "s"))) for code in CHOICES)
    return {"currency": current, "currencies": choices}


def phase_view(t: Translator, progress: ProjectProgress, phase: Phase, role: Side, current: Phase | None,
               in_project: bool, closed: bool, fresh: Fresh, authors: Mapping[int, str]) -> PhaseView:
    agreement = progress.agreement(phase.id)
    view = PhaseView(phase.id, phase_heading(t, phase), "", "later")
    if not in_project:
        view.status, view.state = (
            t.gettext("Springes over: begge organisationer tager løsningen i brug, som den er."),
            "skipped",
        )
        return view
    both = len(progress.sides) == 2 and progress.both_finished(phase)
    if agreement is not None and progress.is_outdated(agreement):
        view.status, view.state = t.gettext("Aftalt, men svar er ændret siden: begge skal godkende igen."), "outdated"
    elif agreement is not None:
        view.status, view.state = t.gettext("Aftalt {date}.").format(date=t.date(agreement.created_at.date())), "agreed"
    elif current is not None and current.id == phase.id:
        view.status, view.state = (
            (t.gettext("Klar til godkendelse."), "ready") if both else (t.gettext("I gang."), "current")
        )
    else:
        view.status = t.gettext("Kommer senere.")
    view.can_sign = both and not closed and view.state in ("ready", "outdated")
    view.version = card_version(progress, phase)
    for tool in phase.tools:
        view.tools.append(tool_view(t, progress, tool, role, closed, fresh, authors))
    for question in (q for tool in phase.tools for q in tool.questions if q.decision):
        ours = decision_text(t, progress, role, question)
        theirs = decision_text(t, progress, other_side(role), question)
        if ours or theirs:
            view.decisions.append((g(t, question.text), ours or "–", theirs or "–"))
    if role in progress.sides:
        view.open_points = [g(t, q.text) for q in later_questions(phase, role, progress.sides[role].answers)]
    return view


def decision_text(t: Translator, progress: ProjectProgress, role: Side, question: Question) -> str | None:
    view = progress.sides.get(role)
    answer = view.answers.get(question.key) if view else None
    if answer is None or answer.status != ANSWERED or progress.hidden(role, question):
        return None
    return answer_value(t, question, answer)


def signoff_line(t: Translator, progress: ProjectProgress, signoff: SignoffRecord, who: str, new: bool = False) -> str:
    side = next((v.side for v in progress.sides.values() if v.side.id == signoff.side_id), None)
    org = side_display(t, side) if side else "?"
    when = t.datetime(signoff.created_at)
    mark = f' <strong class="new">{esc(t.gettext("Nyt"))}</strong>' if new else ""
    if signoff.verdict == AGREE:
        return t.gettext("✅ {name}, {side}, godkendte {date}").format(name=esc(who), side=org, date=when) + mark
    return t.gettext("✏️ {name}, {side}, ønskede ændringer {date}: {note}").format(
        name=esc(who), side=org, date=when, note=esc(signoff.note or "")) + mark


def tool_view(t: Translator, progress: ProjectProgress, tool: Tool, role: Side, closed: bool,
              fresh: Fresh = lambda author, at: False, authors: Mapping[int, str] | None = None) -> ToolView:
    reached = progress.reached(role, tool)
    view = ToolView(tool.id, g(t, tool.title), reached, source_note(t, tool))
    if not reached:
        return view
    other = other_side(role)
    mine = progress.sides[role].answers if role in progress.sides else {}
    theirs_view = progress.sides.get(other)
    theirs = theirs_view.answers if theirs_view else {}
    for question in tool.questions:
        asked_me = role in question.sides and applies(question, mine)
        asked_them = theirs_view is not None and other in question.sides and applies(question, theirs)
        if not asked_me and not asked_them:
            continue
        my_answer, their_answer = mine.get(question.key), theirs.get(question.key)
        shown_theirs = their_answer if asked_them and not progress.hidden(other, tool) else None
        new = any(a is not None and fresh(a.author_id, a.created_at)
                  for a in (my_answer if asked_me else None, shown_theirs))
        view.rows.append(Row(
            question=g(t, question.text),
            mine=cell(t, question, my_answer, authors) if asked_me else None,
            theirs=(f"<i>{t.gettext(HIDDEN)}</i>" if progress.hidden(other, tool)
                    else cell(t, question, their_answer, authors))
            if asked_them else None,
            differs=asked_me and asked_them and differs(my_answer, their_answer),
            form=form(t, question, my_answer) if asked_me and not closed else None,
            anchor=f"q-{cb.question_ref(question.key)}",
            new=new,
            files_mine=uploads(my_answer) if asked_me else (),
            files_theirs=uploads(shown_theirs),
        ))
    view.insights = tool_insights(t, progress, tool)
    rows = chart_rows(t, progress, tool) if tool.profile else None
    if rows:
        view.chart = {"legend": chart_legend(t, progress), "rows": rows}
    return view


def uploads(answer: AnswerRecord | None) -> tuple[tuple[int, str], ...]:
    """The files given with an answer on the web page, to download from it."""
    if answer is None or answer.status != ANSWERED:
        return ()
    return tuple(
        (int(a["file_id"].removeprefix(UPLOAD)), str(a.get("name") or ""))
        for a in answer.value.get("attachments", [])
        if str(a.get("file_id", "")).startswith(UPLOAD) and a["file_id"].removeprefix(UPLOAD).isdigit()
    )


def cell(t: Translator, question: Question, answer: AnswerRecord | None,
         authors: Mapping[int, str] | None = None) -> str:
    """An answer in the table (each author's part named, when several wrote it)."""
    return answer_value(t, question, answer, authors=authors) if answer else t.gettext("<i>Ikke besvaret endnu</i>")


def differs(a: AnswerRecord | None, b: AnswerRecord | None) -> bool:
    """Different choices, or ratings `SCALE_APART` or more apart."""
    if a is None or b is None or a.status != ANSWERED or b.status != ANSWERED:
        return False
    if "choice" in a.value and "choice" in b.value:
        return str(a.value["choice"]) != str(b.value["choice"])
    if "scale" in a.value and "scale" in b.value:
        return abs(int(a.value["scale"]) - int(b.value["scale"])) >= SCALE_APART
    return False


def form(t: Translator, question: Question, answer: AnswerRecord | None) -> Form:
    value = answer.value if answer is not None and answer.status == ANSWERED else {}
    if question.kind == "amount" and "amount" in value:
        current = f"{value['amount']} {value.get('currency', '')}".strip()
    elif question.kind == "date":
        current = str(value.get("date", ""))
    else:
        current = str(value.get("text", ""))
    chosen = value.get("choice", value.get("scale"))
    options = tuple((o.id, g(t, o.label)) for o in question.choices())
    if question.kind == "scale":
        options = tuple((str(n), str(n)) for n in range(1, 6))
    return Form(ref=cb.question_ref(question.key), kind=question.kind, options=options, current=current,
                chosen=str(chosen) if chosen is not None else None,
                follow_up=g(t, question.follow_up) if question.follow_up else None,
                can_skip=not question.decision, answered=answer is not None and answer.status != LATER,
                low=g(t, question.low) if question.low else None, high=g(t, question.high) if question.high else None)
