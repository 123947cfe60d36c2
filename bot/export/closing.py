"""The end of each phase in the export: open points, decisions and sign-offs, as plain text."""

from __future__ import annotations

import datetime as dt
from html import unescape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.engine.progress import ProjectProgress, SideView, open_questions
from bot.engine.records import AGREE, ANSWERED, LATER, NOT_RELEVANT, SignoffRecord
from bot.engine.render.text import g, side_display
from bot.guide.model import SIDES, Phase
from bot.i18n import Translator


def local_date(value: dt.datetime, tz: str | None) -> dt.date:
    """The calendar day of `value` in `tz` (naive values are UTC, as Babel reads them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if tz:
        try:
            value = value.astimezone(ZoneInfo(tz))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return value.date()


def phase_status(t: Translator, progress: ProjectProgress, phase: Phase, tz: str | None) -> str:
    agreement = progress.agreement(phase.id)
    if agreement is not None:
        date = t.date(local_date(agreement.created_at, tz))
        if progress.is_outdated(agreement):
            return t.gettext("aftalt {date}, men svar er ændret siden").format(date=date)
        return t.gettext("aftalt {date}").format(date=date)
    current = progress.current_phase()
    if current is not None and current.id == phase.id and progress.project.closed_at is None:
        return t.gettext("i gang")
    if phase_started(progress, phase):
        return t.gettext("påbegyndt")
    return t.gettext("ikke startet")


def phase_started(progress: ProjectProgress, phase: Phase) -> bool:
    keys = {q.key for tool in phase.tools for q in tool.questions}
    return any(key in view.answers for view in progress.sides.values() for key in keys)


def organisation(t: Translator, view: SideView) -> str:
    """ "Aarhus Kommune (Vi vil dele)", as plain text."""
    return unescape(side_display(t, view.side))


def open_points(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    """Questions not answered yet, skipped for later, or not relevant (as in the phase summary)."""
    points: list[str] = []
    for role in SIDES:
        view = progress.sides.get(role)
        if view is None:
            continue
        side = organisation(t, view)
        for question in open_questions(phase, role, view.answers):
            if progress.hidden(role, question):
                continue
            points.append(
                t.gettext("{side}: {question} (ikke besvaret)").format(
                    side=side, question=unescape(g(t, question.text))
                )
            )
        for question in phase.questions_for(role):
            record = view.answers.get(question.key)
            if record is not None and record.status == LATER:
                points.append(
                    t.gettext("{side}: {question} (sprunget over til senere)").format(
                        side=side, question=unescape(g(t, question.text))
                    )
                )
            elif record is not None and record.status == NOT_RELEVANT:
                points.append(
                    t.gettext("{side}: {question} (ikke relevant)").format(
                        side=side, question=unescape(g(t, question.text))
                    )
                )
    return points


def decision_lines(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    lines: list[str] = []
    for question in (q for tool in phase.tools for q in tool.questions if q.decision):
        for role in SIDES:
            view = progress.sides.get(role)
            if view is None or progress.hidden(role, question):
                continue
            record = view.answers.get(question.key)
            option = (
                question.option(str(record.value.get("choice")))
                if record and record.status == ANSWERED
                else None
            )
            chosen = t.gettext(option.label) if option else t.gettext("ikke besluttet endnu")
            lines.append(
                t.gettext("{question} – {side}: {choice}").format(
                    question=unescape(g(t, question.text)),
                    side=organisation(t, view),
                    choice=chosen,
                )
            )
    return lines


def signoff_lines(
    t: Translator,
    progress: ProjectProgress,
    phase: Phase,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    tz: str | None,
) -> list[str]:
    """Whether both agreed and when, then each side's newest sign-off with name and time."""
    lines: list[str] = []
    agreement = progress.agreement(phase.id)
    if agreement is not None:
        when = t.datetime(agreement.created_at, tz)
        if progress.is_outdated(agreement):
            lines.append(
                t.gettext("Aftalt {when}, men svar er ændret siden – skal bekræftes igen.").format(
                    when=when
                )
            )
        else:
            lines.append(t.gettext("Aftalt af begge organisationer {when}.").format(when=when))
    latest = progress.latest_signoffs(signoffs, phase.id)
    for role in SIDES:
        view = progress.sides.get(role)
        if view is None:
            continue
        side = organisation(t, view)
        signoff = latest.get(view.side.id)
        if signoff is None:
            lines.append(t.gettext("{side}: har ikke taget stilling endnu").format(side=side))
            continue
        name = names.get(signoff.person_id if signoff.person_id is not None else -1) or t.gettext(
            "tidligere medlem"
        )
        when = t.datetime(signoff.created_at, tz)
        if signoff.verdict == AGREE:
            lines.append(
                t.gettext("{side}: enig – {name}, {when}").format(side=side, name=name, when=when)
            )
        else:
            lines.append(
                t.gettext("{side}: ønsker ændringer – {name}, {when}: {note}").format(
                    side=side, name=name, when=when, note=signoff.note or ""
                )
            )
    return lines
