"""The export as a neutral document: plain, translated text in dataclasses the renderers lay out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """One side's answer to one question."""

    role: str  # "sharer" | "reuser"
    organisation: str  # e.g. "Aarhus Kommune (Vi vil dele)"
    text: str  # the answer, or what stands in for it ("Ikke besvaret endnu")
    answered: bool = False  # False: not answered, skipped or not relevant (renderers dim it)
    attachments: tuple[str, ...] = ()  # file names
    byline: str = ""  # who answered, and when


@dataclass(frozen=True)
class QuestionItem:
    """A question (with its hints) and the answers of the side(s) asked it, the sharer first."""

    text: str
    answers: tuple[Answer, ...]
    hints: tuple[str, ...] = ()

    @property
    def shared(self) -> bool:
        return len(self.answers) == 2


@dataclass(frozen=True)
class ToolSection:
    title: str
    questions: tuple[QuestionItem, ...]
    notes: tuple[str, ...] = ()  # the source of an addition, readiness profile, benefit totals
    chart: bytes | None = None  # the readiness profile as a PNG
    chart_alt: str = ""  # the chart in words (the PDF's alternative text)


@dataclass(frozen=True)
class PhaseSection:
    heading: str  # "Fase 1: Tjek"
    purpose: str
    status: str  # "aftalt 22. november 2026", "i gang", …
    started: bool  # False: nobody has answered anything in the phase yet (tools are left out)
    tools: tuple[ToolSection, ...]
    open_points: tuple[str, ...]
    decisions: tuple[str, ...]
    signoffs: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A part of the management summary: a table (`header` and `rows`) or bullet `lines`."""

    heading: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths of a table


@dataclass(frozen=True)
class Summary:
    """Page 1: where the collaboration stands, for a reader who reads nothing else."""

    heading: str
    innovation: str  # what the innovation is, in the sharer's words (shortened)
    blocks: tuple[Block, ...]
    chart_alt: str  # the readiness chart in words, for screen readers


@dataclass(frozen=True)
class Labels:
    """Fixed texts the renderers need, already translated."""

    kicker: str
    progress: str
    open_points: str
    decisions: str
    signoffs: str
    none: str
    not_started: str
    attachments: str  # "… {files}"
    page: str  # "… {page} … {pages}"
    attachment: str  # the description of the attached Markdown file


@dataclass(frozen=True)
class Document:
    locale: str
    title: str
    project: str
    organisations: tuple[str, str]  # sharer, reuser
    generated: str  # "Eksporteret 22. nov. 2026 14.03.00"
    generated_at: dt.datetime
    progress: tuple[str, ...]
    phases: tuple[PhaseSection, ...]
    labels: Labels
    summary: Summary | None = None
