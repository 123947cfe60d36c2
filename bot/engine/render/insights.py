"""What the Meld. St. 30 additions show: readiness profiles, and benefits planned against realised.

Both sides' readiness profile with its largest differences; the benefits plan against its outcome,
with totals per organisation.

Texts are Telegram HTML (user text escaped); `chart_rows` is the data `bot.export.chart` draws.
"""

from __future__ import annotations

import html
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from bot.engine.progress import ProjectProgress
from bot.engine.records import ANSWERED
from bot.engine.render.text import esc, g, side_display
from bot.guide.model import SIDES, Question, Side, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

TOTAL_LABELS = {"gross": N_("brutto {amount}"), "net": N_("netto {amount}")}
Totals = dict[tuple[str, str], Decimal]  # (gross|net, currency) -> sum
ChartRow = tuple[str, int | None, int | None]  # factor, sharer's rating, reuser's rating


def factor(t: Translator, question: Question) -> str:
    """The factor's name: the part of the question before the colon ("Relativ fordel")."""
    return g(t, question.text).split(":", 1)[0].strip()


def scale_of(progress: ProjectProgress, role: Side, question: Question) -> int | None:
    view = progress.sides.get(role)
    answer = view.answers.get(question.key) if view else None
    if answer is None or answer.status != ANSWERED or "scale" not in answer.value:
        return None
    return int(answer.value["scale"])


def profile_lines(t: Translator, progress: ProjectProgress, tool: Tool) -> list[str]:
    """Both sides' ratings per factor, and the factors where they differ most."""
    if len(progress.sides) < 2:
        return []
    names = {role: side_display(t, progress.sides[role].side) for role in SIDES}
    lines = [
        t.gettext("<b>Profil</b> (1–5): {sharer} · {reuser}").format(sharer=names["sharer"], reuser=names["reuser"])
    ]
    gaps: list[tuple[int, str]] = []
    for question in tool.questions:
        a, b = scale_of(progress, "sharer", question), scale_of(progress, "reuser", question)
        shown = [str(v) if v is not None else "–" for v in (a, b)]
        lines.append(f"• {factor(t, question)}: {shown[0]} · {shown[1]}")
        if a is not None and b is not None:
            gaps.append((abs(a - b), factor(t, question)))
    if len(gaps) < len(tool.questions):
        lines.append(t.gettext("Forskellene vises, når begge organisationer har vurderet alle fem egenskaber."))
        return lines
    widest = max(gap for gap, _ in gaps)
    if widest >= 2:
        topics = t.join([name for gap, name in gaps if gap == widest])
        lines.append(t.gettext("⚖️ Størst forskel ({gap} point): {topics}. Tal om det, før I går videre.").format(
            gap=widest, topics=topics))
    elif widest == 1:
        lines.append(t.gettext("⚖️ I vurderer innovationen næsten ens – højst ét points forskel."))
    else:
        lines.append(t.gettext("⚖️ I vurderer innovationen ens."))
    return lines


def chart_rows(t: Translator, progress: ProjectProgress, tool: Tool) -> tuple[ChartRow, ...] | None:
    """The profile chart's data: (factor, sharer's rating, reuser's rating) per factor, as plain text;
    None until one side has rated something."""
    rows = tuple((html.unescape(factor(t, q)), scale_of(progress, "sharer", q), scale_of(progress, "reuser", q))
                 for q in tool.questions)
    if len(progress.sides) < 2 or all(a is None and b is None for _, a, b in rows):
        return None
    return rows


def chart_legend(t: Translator, progress: ProjectProgress) -> tuple[str, ...]:
    """The chart's legend: both organisations, as plain text."""
    return tuple(html.unescape(side_display(t, progress.sides[role].side)) for role in SIDES)


def totals(progress: ProjectProgress, role: Side, kind: str) -> Totals:
    """Sums of a side's gross and net amounts over the benefits tools of `kind` (plan or outcome)."""
    sums: Totals = defaultdict(Decimal)
    view = progress.sides.get(role)
    if view is None:
        return sums
    for phase in progress.phases():
        for tool in phase.tools:
            if tool.benefits != kind:
                continue
            for question in tool.questions:
                answer = view.answers.get(question.key)
                if question.total is None or answer is None or answer.status != ANSWERED:
                    continue
                try:
                    amount = Decimal(str(answer.value.get("amount")))
                except (InvalidOperation, ValueError):
                    continue
                sums[(question.total, str(answer.value.get("currency", "DKK")))] += amount
    return sums


def format_totals(t: Translator, sums: Totals) -> str:
    if not sums:
        return t.gettext("ingen beløb endnu")
    parts = [t.gettext(TOTAL_LABELS[total]).format(amount=esc(t.amount(amount, currency)))
             for (total, currency), amount in sorted(sums.items())]
    return t.join(parts)


def benefits_lines(t: Translator, progress: ProjectProgress, tool: Tool) -> list[str]:
    """Totals per organisation; for the outcome, the plan against what was realised."""
    lines = [t.gettext("<b>I alt pr. organisation</b>")]
    for role in SIDES:
        if role not in progress.sides:
            continue
        who = side_display(t, progress.sides[role].side)
        planned = format_totals(t, totals(progress, role, "plan"))
        if tool.benefits == "plan":
            lines.append(t.gettext("• {side}: forventet {planned}").format(side=who, planned=planned))
        else:
            realised = format_totals(t, totals(progress, role, "outcome"))
            lines.append(t.gettext("• {side}: plan {planned} – realiseret {realised}").format(
                side=who, planned=planned, realised=realised))
    return lines


def tool_insights(t: Translator, progress: ProjectProgress, tool: Tool) -> list[str]:
    """The extra lines a tool shows after both sides' answers (none for the guide's own tools)."""
    if tool.profile:
        return profile_lines(t, progress, tool)
    if tool.benefits:
        return benefits_lines(t, progress, tool)
    return []
