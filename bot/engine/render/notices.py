"""What people are told when someone else acts: joined, removed, deleted, decided, agreed, asked for changes.

Each returns the text and its buttons for one reader (see `bot.engine.announce`, which picks the readers).
"""

from __future__ import annotations

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Button
from bot.engine.records import ProjectRecord, SideRecord
from bot.engine.render.text import esc, g, phase_heading, side_display
from bot.guide.model import Option, Phase, Question
from bot.i18n import Translator

Buttons = tuple[tuple[Button, ...], ...]


def joined(t: Translator, name: str, project: ProjectRecord, side: SideRecord) -> tuple[str, Buttons]:
    return t.gettext("👋 {name} er kommet med i {project} for {side}.").format(
        name=esc(name), project=esc(project.name), side=side_display(t, side)), ()


def removed(t: Translator, by: str, name: str, project: ProjectRecord, side: SideRecord) -> tuple[str, Buttons]:
    return t.gettext("{by} har fjernet {name} fra {side} i {project}.").format(
        by=esc(by), name=esc(name), side=side_display(t, side), project=esc(project.name)), ()


def removed_you(t: Translator, by: str, project: ProjectRecord) -> tuple[str, Buttons]:
    return t.gettext("{by} har fjernet dig fra {project}. Du kan ikke længere se projektet.").format(
        by=esc(by), project=esc(project.name)), ()


def deleted(t: Translator, by: str, project: ProjectRecord) -> tuple[str, Buttons]:
    return t.gettext("🗑 {name} har slettet projektet {project}. Alle dets data er fjernet.").format(
        name=esc(by), project=esc(project.name)), ()


def decision(t: Translator, side: SideRecord, project: ProjectRecord, question: Question,
             option: Option) -> tuple[str, Buttons]:
    text = t.gettext("🧭 {side} har truffet en beslutning i {project}: »{question}« – {choice}").format(
        side=side_display(t, side), project=esc(project.name), question=g(t, question.text), choice=g(t, option.label))
    return text, (
        (Button(t.gettext("👀 De andres svar"), cb.encode(intents.ShowTheirs(project.id, question.tool_id))),),
    )


def other_agreed(t: Translator, side: SideRecord, project: ProjectRecord, phase: Phase) -> tuple[str, Buttons]:
    text = t.gettext("✅ {side} har godkendt {phase} i {project}. Nu mangler I at tage stilling.").format(
        side=side_display(t, side), phase=phase_heading(t, phase), project=esc(project.name))
    return text, ((Button(t.gettext("📄 Se opsummering"), cb.encode(intents.ShowSummary(project.id, phase.id))),),)


def teammate_agreed(t: Translator, name: str, project: ProjectRecord, phase: Phase) -> tuple[str, Buttons]:
    return t.gettext("✅ {name} har godkendt {phase} for jer i {project}.").format(
        name=esc(name), phase=phase_heading(t, phase), project=esc(project.name)
    ), ()


def changes_wanted(
    t: Translator, side: SideRecord, project: ProjectRecord, phase: Phase, note: str, version: str
) -> tuple[str, Buttons]:
    text = t.gettext(
        "✏️ {side} ønsker ændringer i {phase} i {project}:\n»{note}«\n"
        "Ret jeres svar med /mine, og godkend derefter igen."
    ).format(side=side_display(t, side), phase=phase_heading(t, phase), project=esc(project.name), note=esc(note))
    return text, (
        (
            Button(t.gettext("📋 Vores svar"), cb.encode(intents.ShowMine(project.id))),
            Button(t.gettext("✅ Vi er enige"),
                   cb.encode(intents.SignOff(project.id, phase.id, intents.AGREE, version))),
        ),
    )


def taken_back(t: Translator, name: str, project: ProjectRecord, question: Question,
               restored: str | None) -> tuple[str, Buttons]:
    """An answer someone was told of has been undone by its author: what stands now."""
    if restored is None:
        return t.gettext("↩ {name} har fortrudt sit svar på »{question}« i {project}. "
                         "Spørgsmålet er ikke besvaret igen.").format(
            name=esc(name), question=g(t, question.text), project=esc(project.name)), ()
    return t.gettext("↩ {name} har fortrudt sit svar på »{question}« i {project}. Det står igen som før:").format(
        name=esc(name), question=g(t, question.text), project=esc(project.name)) + "\n" + restored, ()
