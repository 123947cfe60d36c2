"""Page 1 of the export: the management summary, as plain translated text in tables and lines.

The innovation, both organisations and their people, each phase's status with who agreed when,
the decisions with their reasons, benefit totals planned against realised, the readiness
profiles' largest differences and the open points.
"""

from __future__ import annotations

from html import unescape

from bot.engine.progress import ProjectProgress, SideView
from bot.engine.records import AGREE, ANSWERED, SignoffRecord
from bot.engine.render.insights import TOTAL_LABELS, Totals, chart_rows, format_totals, totals
from bot.engine.render.text import g, phase_heading
from bot.export import closing as d
from bot.export.model import Block, PhaseSection, Summary
from bot.guide.model import SIDES, Tool
from bot.i18n import Translator

INNOVATION_CHARS = 320
REASON_CHARS = 220
OPEN_POINTS = 6  # shown on page 1; the rest are counted


def build_summary(
    t: Translator,
    progress: ProjectProgress,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    tz: str,
    sections: tuple[PhaseSection, ...],
) -> Summary:
    views = [progress.sides[role] for role in SIDES if role in progress.sides]
    profile = next((tool for p in progress.phases() for tool in p.tools if tool.profile), None)
    blocks = [
        Block(
            t.gettext("Organisationer og personer"),
            (t.gettext("Organisation"), t.gettext("Personer")),
            tuple(
                (d.organisation(t, v), ", ".join(people(v, signoffs, names)) or "–") for v in views
            ),
            widths=(1, 1),
        ),
        Block(
            t.gettext("Faser"),
            (t.gettext("Fase"), t.gettext("Status"), t.gettext("Godkendt af")),
            tuple(phase_rows(t, progress, signoffs, names, tz)),
            widths=(0.8, 1.1, 1.6),
        ),
        Block(
            t.gettext("Beslutninger"),
            (t.gettext("Beslutning"), *(short_name(t, v) for v in views)),
            tuple(decision_rows(t, progress)),
            widths=(1, 1, 1),
        ),
        Block(
            t.gettext("Gevinster pr. år: plan og resultat"),
            (t.gettext("Organisation"), t.gettext("Plan"), t.gettext("Realiseret")),
            tuple(benefit_rows(t, progress)),
            widths=(1, 1.3, 1.3),
        ),
    ]
    if profile is not None and (lines := readiness_lines(t, progress, profile)):
        blocks.append(Block(t.gettext("Parathed: største forskelle"), lines=tuple(lines)))
    blocks.append(Block(t.gettext("Åbne punkter"), lines=tuple(open_lines(t, sections))))
    return Summary(
        heading=t.gettext("Resumé for ledelsen"),
        innovation=innovation(progress),
        blocks=tuple(b for b in blocks if b.rows or b.lines),
        chart_alt=chart_alt(t, progress, profile) if profile is not None else "",
    )


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def innovation(progress: ProjectProgress) -> str:
    """The sharer's first written answer in the first tool (the innovation's purpose)."""
    view = progress.sides.get("sharer")
    phases = progress.phases()
    if view is None or not phases:
        return ""
    for question in phases[0].tools[0].questions:
        record = view.answers.get(question.key)
        if record is not None and record.status == ANSWERED and record.value.get("text"):
            return shorten(str(record.value["text"]), INNOVATION_CHARS)
    return ""


def people(view: SideView, signoffs: list[SignoffRecord], names: dict[int, str]) -> list[str]:
    """The side's people who answered or signed off, in the order they first did."""
    ids = [a.author_id for a in sorted(view.answers.values(), key=lambda a: a.created_at)]
    ids += [s.person_id for s in signoffs if s.side_id == view.side.id]
    return list(dict.fromkeys(names[i] for i in ids if i is not None and i in names))


def phase_rows(
    t: Translator,
    progress: ProjectProgress,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    tz: str,
) -> list[tuple[str, str, str]]:
    """Each phase's status and who signed off: names alone when both agreed on the day the
    phase was agreed, else each name with its verdict and date."""
    rows = []
    for phase in progress.phases():
        latest = progress.latest_signoffs(signoffs, phase.id)
        agreement = progress.agreement(phase.id)
        agreed_on = d.local_date(agreement.created_at, tz) if agreement else None
        plain, dated = [], []
        for role in SIDES:
            view = progress.sides.get(role)
            signoff = latest.get(view.side.id) if view is not None else None
            if view is None or signoff is None:
                continue
            person = signoff.person_id if signoff.person_id is not None else -1
            name = names.get(person) or t.gettext("tidligere medlem")
            day = d.local_date(signoff.created_at, tz)
            plain.append(name if signoff.verdict == AGREE and day == agreed_on else "")
            date = t.date(day)
            dated.append(
                t.gettext("{name}, {date}").format(name=name, date=date)
                if signoff.verdict == AGREE
                else t.gettext("{name} ønsker ændringer, {date}").format(name=name, date=date)
            )
        who = t.join(plain) if plain and all(plain) else "\n".join(dated)
        status = d.phase_status(t, progress, phase, tz)
        rows.append((unescape(phase_heading(t, phase)), status, who or "–"))
    return rows


def decision_rows(t: Translator, progress: ProjectProgress) -> list[tuple[str, ...]]:
    """One row per decision: each side's choice, with its reason below."""
    rows = []
    for question in (
        q for p in progress.phases() for tool in p.tools for q in tool.questions if q.decision
    ):
        cells = [unescape(g(t, question.text))]
        for role in SIDES:
            view = progress.sides.get(role)
            if view is None:
                continue
            record = view.answers.get(question.key)
            if progress.hidden(role, question):
                cells.append("–")
            elif record is None or record.status != ANSWERED:
                cells.append(t.gettext("ikke besluttet endnu"))
            else:
                option = question.option(str(record.value.get("choice")))
                chosen = t.gettext(option.label) if option else str(record.value.get("choice"))
                reason = shorten(str(record.value.get("text") or ""), REASON_CHARS)
                cells.append(f"{chosen}\n{reason}" if reason else chosen)
        rows.append(tuple(cells))
    return rows


def short_name(t: Translator, view: SideView) -> str:
    return view.side.organisation or d.organisation(t, view)


def benefit_rows(t: Translator, progress: ProjectProgress) -> list[tuple[str, str, str]]:
    rows = []
    for role in SIDES:
        view = progress.sides.get(role)
        if view is None:
            continue
        plan, outcome = totals(progress, role, "plan"), totals(progress, role, "outcome")
        planned = total_lines(t, plan)
        if not plan and plan_left_for_harvest(progress, view):
            planned = t.gettext("laves i Høst-fasen")
        rows.append((short_name(t, view), planned, total_lines(t, outcome)))
    return rows


def total_lines(t: Translator, sums: Totals) -> str:
    """ "brutto 500.000,00 kr." and "netto …" on lines of their own, per currency."""
    if not sums:
        return unescape(format_totals(t, sums))
    return "\n".join(
        t.gettext(TOTAL_LABELS[kind]).format(amount=t.amount(amount, currency))
        for (kind, currency), amount in sorted(sums.items())
    )


def plan_left_for_harvest(progress: ProjectProgress, view: SideView) -> bool:
    """The side chose to make its benefits plan later (the draft's questions are not asked)."""
    for phase in progress.phases():
        for tool in phase.tools:
            if tool.benefits == "plan":
                gate = next((q.when for q in tool.questions if q.when is not None), None)
                record = view.answers.get(gate.question) if gate is not None else None
                if (
                    gate is not None
                    and record is not None
                    and record.status == ANSWERED
                    and str(record.value.get("choice")) not in gate.values
                ):
                    return True
    return False


def readiness_lines(t: Translator, progress: ProjectProgress, profile: Tool) -> list[str]:
    rows = chart_rows(t, progress, profile)
    if rows is None:
        return []
    names = [short_name(t, progress.sides[role]) for role in SIDES]
    rated = sorted(
        ((abs(a - b), factor, a, b) for factor, a, b in rows if a is not None and b is not None),
        key=lambda row: -row[0],
    )
    if not rated:
        return []
    if rated[0][0] == 0:
        return [t.gettext("I vurderer alle egenskaber ens.")]
    return [
        t.gettext("{factor}: {sharer} {a}, {reuser} {b} – forskel {gap}").format(
            factor=factor, sharer=names[0], a=a, reuser=names[1], b=b, gap=gap
        )
        for gap, factor, a, b in rated[:3]
        if gap > 0
    ]


def chart_alt(t: Translator, progress: ProjectProgress, profile: Tool) -> str:
    """The readiness chart in words: each factor with both ratings."""
    rows = chart_rows(t, progress, profile)
    if rows is None:
        return ""
    names = [short_name(t, progress.sides[role]) for role in SIDES]
    values = "; ".join(
        f"{factor}: {'–' if a is None else a}, {'–' if b is None else b}" for factor, a, b in rows
    )
    return t.gettext(
        "Søjlediagram over parathedsprofilerne (1–5), {sharer} og {reuser}: {values}"
    ).format(sharer=names[0], reuser=names[1], values=values)


def open_lines(t: Translator, sections: tuple[PhaseSection, ...]) -> list[str]:
    points = [f"{s.heading}: {point}" for s in sections for point in s.open_points]
    if not points:
        return [t.gettext("Ingen.")]
    shown = points[:OPEN_POINTS]
    if len(points) > OPEN_POINTS:
        rest = len(points) - OPEN_POINTS
        shown.append(
            t.ngettext(
                "… og {count} punkt mere under faserne.",
                "… og {count} punkter mere under faserne.",
                rest,
            ).format(count=t.number(rest))
        )
    return shown
