"""The whole project as files to forward: a PDF and a Markdown file, in the reader's language.

export = export_project(t, progress, signoffs, names, now, tz="Europe/Copenhagen")
export.pdf, export.markdown, f"{export.basename}.pdf"
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bot.engine.progress import ProjectProgress
from bot.engine.records import SignoffRecord
from bot.export.document import build_document, local_date, reader_zone
from bot.export.markdown import render_markdown
from bot.export.pdf import render_pdf
from bot.i18n import Translator

# Letters NFKD does not fold to ASCII, spelled as Danish and Norwegian do without them.
_FOLD = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "þ": "th", "ð": "d", "đ": "d", "ł": "l", "œ": "oe"}
)
MAX_SLUG = 60


@dataclass(frozen=True)
class Export:
    markdown: str
    pdf: bytes
    basename: str  # without extension, e.g. "spredning-digital-genoptraening-2026-11-22"


def export_project(
    t: Translator,
    progress: ProjectProgress,
    signoffs: list[SignoffRecord],
    names: dict[int, str],
    generated_at: dt.datetime,
    tz: str | None = None,
) -> Export:
    """The project as PDF and Markdown for a reader in `t`'s language; times shown in `tz`."""
    doc = build_document(t, progress, signoffs, names, generated_at, tz)
    markdown = render_markdown(doc)
    basename = file_basename(progress.project.name, local_date(generated_at, reader_zone(t, tz)))
    return Export(markdown=markdown, pdf=render_pdf(doc, markdown, basename), basename=basename)


def file_basename(project_name: str, day: dt.date) -> str:
    """A file name safe everywhere: "spredning-<ascii project name>-<yyyy-mm-dd>"."""
    folded = unicodedata.normalize("NFKD", project_name.lower().translate(_FOLD))
    ascii_name = folded.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:MAX_SLUG].rstrip("-")
    return "-".join(part for part in ("spredning", slug, day.isoformat()) if part)
