"""The phase card: what both sides need to sign off a phase, in a message people read (≤ ~1,200 chars)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Button
from bot.engine.progress import ADAPT_PHASE, ProjectProgress, Tally, tally
from bot.engine.records import AGREE, ANSWERED, SignoffRecord
from bot.engine.render.insights import factor, format_totals, scale_of, totals
from bot.engine.render.summary import decision_lines
from bot.engine.render.text import esc, g, phase_heading, short, side_display
from bot.guide.model import SIDES, Phase, Question, Side
from bot.i18n import Translator

Buttons = tuple[tuple[Button, ...], ...]
MAX_DIFFERENCES = 3  # with the names and notes cut short, a card stays within about 1,200 characters


def card_version(progress: ProjectProgress, phase: Phase) -> str:
    """A short name for the answers a phase card shows (a new version is a new card): the newest
    revision among them (`version_basis`, what changed since is what is newer) and a digest of all."""
    revisions = progress.revision_ids(phase)
    digest = hashlib.sha1(",".join(map(str, revisions)).encode()).hexdigest()[:6]
    return f"{max(revisions, default=0)}-{digest}"


def version_basis(version: str | None) -> int | None:
    """The newest answer revision a card of `version` showed (None: not a card's version)."""
    head = (version or "").partition("-")[0]
    return int(head) if head.isdigit() and len(head) < 19 else None


def card_key(project_id: int, phase_id: str, chat: str, version: str = "") -> str:
    """The key of the phase card sent to a chat (without `version`: a prefix for any version)."""
    return f"card:{project_id}:{phase_id}:{chat}:{version}"


def recard_kind(phase: Phase) -> str:
    """The outbox kind of a card re-issued after an edit (one waits per chat; withdrawn once shown)."""
    return f"recard:{phase.id}"


def signoff_buttons(t: Translator, project_id: int, phase: Phase, version: str, summary: bool = True,
                    web: bool = False) -> Buttons:
    """Agree, ask for changes (on the answers of `version`); the whole summary and the answers tool by
    tool, to read first; and, when the web page is served, the button that gives the reader their
    personal link to it."""
    rows: list[tuple[Button, ...]] = [(
        Button(t.gettext("✅ Vi er enige"), cb.encode(intents.SignOff(project_id, phase.id, intents.AGREE, version))),
        Button(t.gettext("✏️ Vi ønsker ændringer"),
               cb.encode(intents.SignOff(project_id, phase.id, intents.CHANGES, version))))]
    if summary:
        rows.append((Button(t.gettext("📄 Hele opsummeringen"), cb.encode(intents.ShowSummary(project_id, phase.id))),
                     Button(t.gettext("🔍 Svarene pr. værktøj"), cb.encode(intents.Compare(project_id)))))
    if web:
        rows.append((Button(t.gettext("🌐 Se det hele på nettet"), cb.encode(intents.WebLink(project_id))),))
    return tuple(rows)


def phase_card(t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord],
               names: dict[int, str], outdated: bool = False, web: bool = False, changed: Sequence[str] = (),
               asked: bool = False) -> tuple[str, Buttons]:
    """The short summary of a phase both sides have answered, with the sign-off buttons; headed by the
    answers `changed` since the reader's card (`asked`: after the reader's side asked for changes)."""
    lines = [f"<b>{esc(short(progress.project.name, 80))}</b>",
             *card_intro(t, progress, phase, outdated, changed, asked)]
    decisions = decision_lines(t, progress, phase)
    if decisions:
        lines += ["", t.gettext("<b>Beslutninger</b>"), *decisions]
    lines += ["", t.gettext("<b>Svar</b>"), *answer_counts(t, progress, phase)]
    differences = largest_differences(t, progress, phase)
    if differences:
        lines += ["", t.gettext("<b>Største forskelle</b>"), *differences]
    if any(tool.benefits for tool in phase.tools):
        kind = "outcome" if any(tool.benefits == "outcome" for tool in phase.tools) else "plan"
        lines += ["", t.gettext("<b>Gevinster</b>")]
        lines += [f"• {side_display(t, progress.sides[role].side)}: {format_totals(t, totals(progress, role, kind))}"
                  for role in SIDES if role in progress.sides]
    consequence = agreement_consequence(t, progress, phase)
    if consequence:
        lines += ["", consequence]
    lines += signoff_status(t, progress, phase, signoffs, names)
    return "\n".join(lines), signoff_buttons(t, progress.project.id, phase, card_version(progress, phase), web=web)


def decided_in(progress: ProjectProgress, phase: Phase, decision: str) -> dict[Side, str | None]:
    """Each side's choice in `decision` when the phase holds it (empty: it does not)."""
    question = progress.guide.decision_question(decision)
    if question is None or question.phase_id != phase.id or len(progress.sides) < 2:
        return {}
    return {role: progress.decision(role, decision) for role in SIDES}


def agreement_consequence(t: Translator, progress: ProjectProgress, phase: Phase) -> str | None:
    """What agreeing the phase does, said before it is done, when it is more than going on: a no-go
    closes the project; adopting as it is skips Tilpas, unless the two decisions differ."""
    stop = decided_in(progress, phase, "go_no_go")
    if stop:
        stopping = [role for role, choice in stop.items() if choice == "no_go"]
        if len(stopping) == 2:
            return t.gettext("⚠️ Begge organisationer har valgt at stoppe. Godkender I begge, "
                             "afsluttes projektet efter {phase}.").format(phase=phase_heading(t, phase))
        if stopping:
            (role,) = stopping
            going = [r for r, choice in stop.items() if choice == "go"]
            text = (t.gettext("⚠️ {side} har valgt at stoppe, {other} vil gå videre. Godkender I begge, "
                              "afsluttes projektet efter {phase}.") if going else
                    t.gettext("⚠️ {side} har valgt at stoppe. Godkender I begge, afsluttes projektet efter {phase}."))
            other = progress.sides[going[0] if going else role].side
            return text.format(side=side_display(t, progress.sides[role].side), other=side_display(t, other),
                               phase=phase_heading(t, phase))
    route = decided_in(progress, phase, "adopt_or_adapt")
    if route and progress.guide.has_phase(ADAPT_PHASE):
        adapt = phase_heading(t, progress.guide.phase(ADAPT_PHASE))
        if all(choice == "adopt" for choice in route.values()):
            return t.gettext("➡️ I har begge valgt at genbruge løsningen, som den er. Godkender I begge, "
                             "springes {adapt} over.").format(adapt=adapt)
        adopting = [role for role, choice in route.items() if choice == "adopt"]
        if adopting and len(adopting) < len(route):
            (role,) = adopting
            other = progress.sides[SIDES[1] if role == SIDES[0] else SIDES[0]].side
            return t.gettext("➡️ {side} vil genbruge løsningen, som den er, {other} vil tilpasse den. "
                             "Godkender I begge, arbejder I begge videre i {adapt}.").format(
                side=side_display(t, progress.sides[role].side), other=side_display(t, other), adapt=adapt)
    return None


def card_intro(t: Translator, progress: ProjectProgress, phase: Phase, outdated: bool, changed: Sequence[str],
               asked: bool) -> list[str]:
    """Why the card comes: both sides have answered, or answers changed since (and what that undoes)."""
    heading = phase_heading(t, phase)
    if not changed:
        if outdated:
            return [t.gettext("⚠️ Et svar i {phase} er ændret, efter I havde aftalt fasen. "
                              "Bekræft venligst aftalen igen.").format(phase=heading)]
        if all(tally(phase, role, view.answers).open == 0 for role, view in progress.sides.items()):
            return [t.gettext("📋 Begge organisationer har svaret på alle spørgsmål i {phase}. "
                              "Her er det vigtigste.").format(phase=heading)]
        return [t.gettext("📋 Begge organisationer er færdige med {phase}, men ikke alle spørgsmål er besvaret. "
                          "Her er det vigtigste.").format(phase=heading)]
    if outdated:
        head = t.gettext("⚠️ Svar i {phase} er ændret, efter I havde aftalt fasen:")
    elif asked:
        head = t.gettext("✏️ Svar i {phase} er ændret, efter I bad om ændringer:")
    else:
        head = t.gettext("✏️ Svar i {phase} er ændret, siden kortet blev sendt:")
    lines = [head.format(phase=heading), *changed]
    if outdated:
        lines.append(t.gettext("Aftalen gælder ikke længere. Godkend igen, hvis I stadig er enige."))
    return lines


def answer_counts(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    """How many questions each side answered, found not relevant, and left open."""
    return [f"• {side_display(t, view.side)}: {count_line(t, tally(phase, role, view.answers))}"
            for role, view in progress.sides.items()]


def count_line(t: Translator, counts: Tally) -> str:
    """"12 besvaret, 2 ikke relevante, 1 åbent" (the parts that are not zero, answered always)."""
    parts = [t.ngettext("{n} besvaret", "{n} besvaret", counts.answered).format(n=counts.answered)]
    if counts.not_relevant:
        parts.append(t.ngettext("{n} ikke relevant", "{n} ikke relevante", counts.not_relevant).format(
            n=counts.not_relevant))
    if counts.open:
        parts.append(t.ngettext("{n} åbent", "{n} åbne", counts.open).format(n=counts.open))
    return ", ".join(parts)


def largest_differences(t: Translator, progress: ProjectProgress, phase: Phase) -> list[str]:
    """Ratings two or more points apart, and different choices to the questions both sides were asked."""
    if len(progress.sides) < 2:
        return []
    found: list[tuple[int, str]] = []
    for tool in phase.tools:
        for question in tool.questions:
            if not question.shared:
                continue
            if question.kind == "scale":
                a, b = scale_of(progress, "sharer", question), scale_of(progress, "reuser", question)
                if a is not None and b is not None and abs(a - b) >= 2:
                    found.append((abs(a - b), f"• {factor(t, question)}: {a} · {b}"))
            elif question.kind in ("choice", "yes_no"):
                chosen = [chosen_label(t, progress, role, question) for role in SIDES]
                if None not in chosen and chosen[0] != chosen[1]:
                    found.append((1, f"• {short(g(t, question.text), 70)}: {chosen[0]} · {chosen[1]}"))
    found.sort(key=lambda item: -item[0])
    if not found:
        return []
    names = " · ".join(side_display(t, progress.sides[role].side) for role in SIDES)
    return [f"<i>{names}</i>", *(line for _, line in found[:MAX_DIFFERENCES])]


def chosen_label(t: Translator, progress: ProjectProgress, role: Side, question: Question) -> str | None:
    answer = progress.sides[role].answers.get(question.key)
    if answer is None or answer.status != ANSWERED:
        return None
    option = question.option(str(answer.value.get("choice")))
    return g(t, option.label) if option else None


def signoff_status(t: Translator, progress: ProjectProgress, phase: Phase, signoffs: list[SignoffRecord],
                   names: dict[int, str]) -> list[str]:
    """Who has taken a stand on the answers as they are now (nothing when nobody has)."""
    latest = progress.latest_signoffs(signoffs, phase.id)
    current = progress.revision_ids(phase)
    lines = []
    for view in progress.sides.values():
        signoff = latest.get(view.side.id)
        stale = signoff is not None and signoff.verdict == AGREE and tuple(sorted(signoff.revision_ids)) != current
        if stale and progress.agreement(phase.id) is None:  # (an agreed phase's card says so already)
            lines.append(t.gettext("↩️ {side} godkendte svarene, før de blev ændret: det gælder ikke længere.")
                         .format(side=side_display(t, view.side)))
            continue
        if signoff is None or tuple(sorted(signoff.revision_ids)) != current:
            continue
        name = esc(names.get(signoff.person_id or -1, t.gettext("tidligere medlem")))
        if signoff.verdict == AGREE:
            lines.append(t.gettext("✅ {side} er enige ({name}).").format(side=side_display(t, view.side), name=name))
        else:
            lines.append(t.gettext("✏️ {side} ønsker ændringer ({name}): {note}").format(
                side=side_display(t, view.side), name=name, note=esc(short(signoff.note or "", 200))))
    return [""] + lines if lines else []
