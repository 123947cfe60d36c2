"""The export document as an A4 PDF (fpdf2, vendored DejaVu Sans, both sides in two columns).

Characters the font lacks (most emoji) are shown as "□" instead of silently vanishing; text
shaping is off, since it would need uharfbuzz and the languages we speak do not need it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.export.document import Answer, Document, PhaseSection, QuestionItem, ToolSection

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MISSING = "□"

MARGIN = 18.0
LINE = 4.6  # line height of body text, mm
GUTTER = 4.0
PADDING = (1.6, 2.0)  # table cell padding: vertical, horizontal
CHUNK_LINES = 36  # longest piece of an answer in one table row (a row cannot span pages)

ACCENT = (22, 78, 99)
GREY = (110, 110, 110)
QUESTION_FILL = (236, 241, 244)
HEADER_STYLE = FontFace(family=FAMILY, emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
QUESTION_STYLE = FontFace(family=FAMILY, emphasis="BOLD", color=(0, 0, 0), fill_color=QUESTION_FILL)
ANSWER_STYLE = FontFace(family=FAMILY, emphasis="", color=(0, 0, 0))
DIM_STYLE = FontFace(family=FAMILY, emphasis="ITALICS", color=GREY)
META_STYLE = FontFace(family=FAMILY, emphasis="ITALICS", color=GREY, size_pt=8)


class _Pdf(FPDF):
    """A4 with a running title on every page but the first and "Side n af m" in the footer."""

    def __init__(self, doc: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        for style, file in FONT_FILES.items():
            self.add_font(FAMILY, style, str(FONTS / file))
        self.supported = frozenset.intersection(*(frozenset(self.fonts[key].cmap) for key in self.fonts))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 2)
        self.set_title(self.fit(doc.title))
        self.set_subject(self.fit(" · ".join(o for o in doc.organisations if o)))
        self.set_creator("spredning")
        self.set_lang(doc.locale.replace("_", "-"))
        self.set_creation_date(doc.generated_at)

    def fit(self, text: str) -> str:
        """`text` with what the font cannot draw replaced: runs of unknown characters become "□"."""
        out: list[str] = []
        missing = False
        for char in text.replace("\r\n", "\n").replace("\t", "    "):
            code = ord(char)
            if char == "\n" or code in self.supported:
                out.append(char)
                missing = False
            elif unicodedata.category(char) in ("Cc", "Cf", "Mn", "Sk") or 0x1F3FB <= code <= 0x1F3FF:
                continue  # controls, joiners, variation selectors, skin tones: part of the last glyph
            elif not missing:
                out.append(MISSING)
                missing = True
        return "".join(out)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.fit(self.doc.title), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        text = self.doc.labels.page.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(0, 5, self.fit(text), align="C")
        self.set_text_color(0, 0, 0)

    # Blocks of text ---------------------------------------------------------------------------

    def paragraph(self, text: str, style: str = "", size: float = 10, color: tuple[int, int, int] = (0, 0, 0),
                  height: float = LINE) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, height, self.fit(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, level: int, outline: int | None = None) -> None:
        """A heading of `level` (0 phase, 1 tool, 2 part of a phase) and its bookmark."""
        size, space = {0: (16, 8), 1: (12.5, 5), 2: (10.5, 3)}[level]
        if self.y > self.page_break_trigger - 40:  # keep a heading with what follows
            self.add_page()
        self.ln(space)
        self.start_section(self.fit(text), level=level if outline is None else outline, strict=False)
        self.paragraph(text, "B", size, ACCENT if level < 2 else (0, 0, 0), height=size * 0.5)
        self.ln(1.5)

    def bullets(self, lines: Iterable[str]) -> None:
        self.set_font(FAMILY, "", 10)
        for line in lines:
            self.cell(5, LINE, "•")
            self.multi_cell(self.epw - 5, LINE, self.fit(line), new_x="LMARGIN", new_y="NEXT")

    # The two-column tables --------------------------------------------------------------------

    def column_width(self) -> float:
        return (self.epw - GUTTER) / 2

    def chunks(self, text: str, style: FontFace) -> list[str]:
        """`text` wrapped to a column and cut into pieces short enough for one page each."""
        if not text:
            return [""]
        with self.use_font_face(style):
            lines = self.multi_cell(
                self.column_width(), LINE, text, padding=PADDING, dry_run=True, output="LINES"
            )
        return ["\n".join(lines[i:i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)] or [""]

    def tool_table(self, tool: ToolSection) -> None:
        with self.table(
            col_widths=(1, 1),
            width=self.epw,
            gutter_width=GUTTER,
            borders_layout="NONE",
            text_align="LEFT",
            v_align="TOP",
            line_height=LINE,
            padding=PADDING,
            headings_style=HEADER_STYLE,
            repeat_headings=1,
        ) as table:
            self.set_font(FAMILY, "", 9.5)
            table.row([self.fit(o) for o in self.doc.organisations])
            sharer = [q for q in tool.questions if not q.shared and q.answers[0].role == "sharer"]
            reuser = [q for q in tool.questions if not q.shared and q.answers[0].role != "sharer"]
            for left, right in _pairs(sharer, reuser):
                self.question_row(table, [left, right])
            for item in (q for q in tool.questions if q.shared):
                self.question_row(table, [item])

    def question_row(self, table, items: list[QuestionItem | None]) -> None:
        """The question(s) in one row, then the answers below, cut into page-sized rows."""
        row = table.row()
        if len(items) == 1 and items[0] is not None:
            row.cell(self.fit(items[0].text), style=QUESTION_STYLE, colspan=2)
            answers: list[Answer | None] = list(items[0].answers)
        else:
            answers = []
            for item in items:
                row.cell(self.fit(item.text) if item else "", style=QUESTION_STYLE if item else ANSWER_STYLE)
                answers.append(item.answers[0] if item else None)
        styles = [ANSWER_STYLE if a is None or a.answered else DIM_STYLE for a in answers]
        pieces = [self.chunks(self.fit(a.text) if a else "", s) for a, s in zip(answers, styles)]
        for n in range(max(len(p) for p in pieces)):
            row = table.row()
            for piece, style in zip(pieces, styles):
                row.cell(piece[n] if n < len(piece) else "", style=style)
        meta = [self.fit(self.meta(a)) if a else "" for a in answers]
        if any(meta):
            row = table.row()
            for text in meta:
                row.cell(text, style=META_STYLE)

    def meta(self, answer: Answer) -> str:
        lines = []
        if answer.attachments:
            lines.append(self.doc.labels.attachments.format(files=", ".join(answer.attachments)))
        if answer.byline:
            lines.append(answer.byline)
        return "\n".join(lines)


def _pairs(left: list[QuestionItem], right: list[QuestionItem]) -> list[tuple[QuestionItem | None, QuestionItem | None]]:
    count = max(len(left), len(right))
    return [(left[i] if i < len(left) else None, right[i] if i < len(right) else None) for i in range(count)]


def render_pdf(doc: Document) -> bytes:
    """The whole document as PDF bytes."""
    pdf = _Pdf(doc)
    pdf.add_page()
    _title(pdf, doc)
    for phase in doc.phases:
        _phase(pdf, doc, phase)
    return bytes(pdf.output())


def _title(pdf: _Pdf, doc: Document) -> None:
    pdf.paragraph(doc.labels.kicker, "B", 9, ACCENT)
    pdf.ln(1)
    pdf.paragraph(doc.project, "B", 22, height=10)
    pdf.ln(2)
    for organisation in doc.organisations:
        if organisation:
            pdf.paragraph(organisation, "", 11, height=6)
    pdf.ln(1)
    pdf.paragraph(doc.generated, "I", 9, GREY)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.y + 3, pdf.w - pdf.r_margin, pdf.y + 3)
    pdf.ln(5)
    pdf.heading(doc.labels.progress, 1, outline=0)
    pdf.bullets(doc.progress)


def _phase(pdf: _Pdf, doc: Document, phase: PhaseSection) -> None:
    pdf.heading(phase.heading, 0)
    pdf.paragraph(phase.purpose, "I", 10, GREY)
    pdf.ln(1)
    if not phase.started:
        pdf.paragraph(doc.labels.not_started)
        return
    for tool in phase.tools:
        if tool.questions:
            pdf.heading(tool.title, 1)
            pdf.tool_table(tool)
    for label, lines in (
        (doc.labels.open_points, phase.open_points),
        (doc.labels.decisions, phase.decisions),
        (doc.labels.signoffs, phase.signoffs),
    ):
        if not lines and label == doc.labels.decisions:
            continue
        pdf.heading(label, 2, outline=1)
        if lines:
            pdf.bullets(lines)
        else:
            pdf.paragraph(doc.labels.none)

