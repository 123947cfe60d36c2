"""The export document as an A4 PDF (fpdf2, vendored DejaVu Sans, both sides in two columns).

Characters the font lacks (most emoji) are shown as "□" instead of silently vanishing; text
shaping is off, since it would need uharfbuzz and the languages we speak do not need it.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.export.model import Answer, Document, PhaseSection, QuestionItem, ToolSection

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MISSING = "□"

MARGIN = 18.0
LINE = 4.6  # line height of body text, mm
GUTTER = 4.0
PADDING = (1.6, 2.0)  # table cell padding: vertical, horizontal
CHUNK_LINES = 12  # lines of an answer per table row (a row cannot span pages; short rows fill them)

ACCENT = (22, 78, 99)
GREY = (110, 110, 110)
QUESTION_FILL = (236, 241, 244)
HEADER_STYLE = FontFace(family=FAMILY, emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
QUESTION_STYLE = FontFace(family=FAMILY, emphasis="BOLD", color=(0, 0, 0), fill_color=QUESTION_FILL)
ANSWER_STYLE = FontFace(family=FAMILY, emphasis="", color=(0, 0, 0))
DIM_STYLE = FontFace(family=FAMILY, emphasis="ITALICS", color=GREY)
META_STYLE = FontFace(family=FAMILY, emphasis="ITALICS", color=GREY, size_pt=8)

Cell = tuple[str, FontFace, int, tuple[float, float, float, float]]  # text, style, span, padding
PAD = (PADDING[0], PADDING[1], PADDING[0], PADDING[1])  # top, right, bottom, left


class _Pdf(FPDF):
    """A4 with a running title on every page but the first and "Side n af m" in the footer."""

    def __init__(self, doc: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        self._wrapped: dict[tuple[str, int, int, float], list[str]] = {}
        for style, file in FONT_FILES.items():
            self.add_font(FAMILY, style, str(FONTS / file))
        self.supported = frozenset.intersection(
            *(frozenset(self.fonts[key].cmap) for key in self.fonts)
        )
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
            elif (
                unicodedata.category(char) in ("Cc", "Cf", "Mn", "Sk") or 0x1F3FB <= code <= 0x1F3FF
            ):
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
        title = self.fit(self.doc.title)
        while len(title) > 1 and self.get_string_width(title) > self.epw:
            title = title[:-2] + "…"
        self.cell(0, 5, title, align="R", new_x="LMARGIN", new_y="NEXT")
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

    def paragraph(
        self,
        text: str,
        style: str = "",
        size: float = 10,
        color: tuple[int, int, int] = (0, 0, 0),
        height: float = LINE,
    ) -> None:
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
        self.start_section(
            self.fit(text), level=level if outline is None else outline, strict=False
        )
        self.paragraph(text, "B", size, ACCENT if level < 2 else (0, 0, 0), height=size * 0.5)
        self.ln(1.5)

    def bullets(self, lines: Iterable[str]) -> None:
        self.set_font(FAMILY, "", 10)
        for line in lines:
            self.cell(5, LINE, "•")
            self.multi_cell(self.epw - 5, LINE, self.fit(line), new_x="LMARGIN", new_y="NEXT")

    # The two-column tables --------------------------------------------------------------------
    # One small table per question (or pair of one-sided questions), so that a question never
    # ends a page without its answer; the organisations' header row is drawn on every page.

    def column_width(self, colspan: int = 1) -> float:
        return (self.epw - GUTTER) / 2 * colspan + GUTTER * (colspan - 1)

    def lines(self, text: str, style: FontFace, colspan: int = 1) -> list[str]:
        """`text` wrapped as a table cell would wrap it (remembered: wrapping is the costly part)."""
        key = (text, id(style), colspan, self.font_size_pt)
        if key not in self._wrapped:
            with self.use_font_face(style):
                self._wrapped[key] = self.multi_cell(
                    self.column_width(colspan), LINE, text, padding=PAD, dry_run=True, output="LINES"
                ) or [""]
        return self._wrapped[key]

    def chunks(self, text: str, style: FontFace) -> list[str]:
        """`text` wrapped to a column and cut into pieces, each short enough for one table row."""
        lines = self.lines(text, style) if text else [""]
        return ["\n".join(lines[i : i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)]

    def row_height(self, cells: list[Cell]) -> float:
        return max(
            len(self.lines(text, style, span)) * LINE + pad[0] + pad[2]
            for text, style, span, pad in cells
        )

    def tool_table(self, tool: ToolSection) -> None:
        self.set_font(FAMILY, "", 9.5)
        header: list[Cell] = [(self.fit(o), HEADER_STYLE, 1, PAD) for o in self.doc.organisations]
        sharer = [q for q in tool.questions if not q.shared and q.answers[0].role == "sharer"]
        reuser = [q for q in tool.questions if not q.shared and q.answers[0].role != "sharer"]
        groups: list[list[QuestionItem | None]] = [
            [left, right] for left, right in _pairs(sharer, reuser)
        ]
        groups += [[item] for item in tool.questions if item.shared]
        header_page = 0
        for items in groups:
            rows = self.question_rows(items)
            heights = [self.row_height(cells) for cells in rows]
            header_height = self.row_height(header)
            if self.y + header_height + sum(heights[:2]) > self.page_break_trigger:
                self.add_page()
            with_header = (
                self.page != header_page or self.y + sum(heights) > self.page_break_trigger
            )
            self.draw_rows(([header] if with_header else []) + rows, with_header)
            if with_header:
                header_page = self.page
        self.ln(2)

    def question_rows(self, items: list[QuestionItem | None]) -> list[list[Cell]]:
        """The question(s) in one row, the answers below cut into row-sized pieces, then who and files."""
        if len(items) == 1 and items[0] is not None:
            rows: list[list[Cell]] = [[(self.fit(items[0].text), QUESTION_STYLE, 2, PAD)]]
            answers: list[Answer | None] = list(items[0].answers)
        else:
            rows = [
                [
                    (self.fit(i.text), QUESTION_STYLE, 1, PAD) if i else ("", ANSWER_STYLE, 1, PAD)
                    for i in items
                ]
            ]
            answers = [i.answers[0] if i else None for i in items]
        styles = [ANSWER_STYLE if a is None or a.answered else DIM_STYLE for a in answers]
        pieces = [self.chunks(self.fit(a.text) if a else "", s) for a, s in zip(answers, styles)]
        count = max(len(p) for p in pieces)
        for n in range(count):  # the pieces of a long answer read as one: no padding between them
            pad = (PAD[0] if n == 0 else 0, PAD[1], PAD[2] if n == count - 1 else 0, PAD[3])
            rows.append([(p[n] if n < len(p) else "", s, 1, pad) for p, s in zip(pieces, styles)])
        meta = [self.fit(self.meta(a)) if a else "" for a in answers]
        if any(meta):
            rows.append([(text, META_STYLE, 1, PAD) for text in meta])
        return rows

    def draw_rows(self, rows: list[list[Cell]], with_header: bool) -> None:
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
            first_row_as_headings=with_header,
            repeat_headings=1,
        ) as table:
            for cells in rows:
                row = table.row()
                for text, style, span, pad in cells:
                    row.cell(text, style=style, colspan=span, padding=pad)

    def meta(self, answer: Answer) -> str:
        lines = []
        if answer.attachments:
            lines.append(self.doc.labels.attachments.format(files=", ".join(answer.attachments)))
        if answer.byline:
            lines.append(answer.byline)
        return "\n".join(lines)


def _pairs(
    left: list[QuestionItem], right: list[QuestionItem]
) -> list[tuple[QuestionItem | None, QuestionItem | None]]:
    count = max(len(left), len(right))
    return [
        (left[i] if i < len(left) else None, right[i] if i < len(right) else None)
        for i in range(count)
    ]


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
            if tool.notes:
                pdf.ln(2)
                for note in tool.notes:
                    pdf.paragraph(note)
            if tool.chart:
                pdf.ln(2)
                pdf.image(io.BytesIO(tool.chart), w=min(pdf.epw, 150))
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
