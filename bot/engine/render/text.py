"""The small pieces every view is built from: escaping, guide texts, sides and phase headings."""

from __future__ import annotations

from html import escape

from bot.engine.records import SideRecord
from bot.guide.model import Phase, Tool
from bot.i18n import Translator
from bot.i18n_marker import N_

SIDE_LABELS = {"sharer": N_("Vi vil dele"), "reuser": N_("Vi vil genbruge")}
SIDE_NAMES = {"sharer": N_("den delende organisation"), "reuser": N_("den genbrugende organisation")}


def esc(text: str) -> str:
    """Escape text for Telegram HTML."""
    return escape(text, quote=False)


BUTTON_LIMIT = 40  # characters on a button that fits a phone (answer options: 30, see bot.catalog_check)


def short(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_button(text: str, limit: int = BUTTON_LIMIT) -> str:
    """`text` cut at a word boundary, with an ellipsis, to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def quoted(t: Translator, text: str) -> str:
    """`text` in the reader's quotation marks (»…« in Danish, «…» in Bokmål, “…” in English)."""
    # TRANSLATORS: quotation marks around a title or a quoted answer, as your language writes them
    return t.gettext("»{text}«").format(text=text)


def side_label(t: Translator, role: str) -> str:
    return t.gettext(SIDE_LABELS[role])


def side_display(t: Translator, side: SideRecord) -> str:
    """The organisation's name with its side, e.g. "Aarhus Kommune (Vi vil genbruge)"."""
    label = side_label(t, side.role)
    if side.organisation:
        return t.gettext("{organisation} ({side})").format(organisation=esc(side.organisation), side=label)
    return label


def side_reference(t: Translator, side: SideRecord) -> str:
    """A side as it reads inside a sentence: its organisation, or "the reusing organisation"."""
    return esc(side.organisation) if side.organisation else t.gettext(SIDE_NAMES[side.role])


def g(t: Translator, text: str) -> str:
    """A guide text in the reader's language, escaped."""
    return esc(t.gettext(text))


def phase_heading(t: Translator, phase: Phase) -> str:
    return t.gettext("Fase {number}: {title}").format(number=phase.number, title=g(t, phase.title))


def source_note(t: Translator, tool: Tool) -> str | None:
    """The mark on tools that come from the Norwegian white paper, not from Spredningsguiden."""
    if tool.from_guide:
        return None
    return t.gettext("📘 Tilføjelse fra Meld. St. 30 (2019–2020), kap. 13 – ikke en del af Spredningsguiden.")
