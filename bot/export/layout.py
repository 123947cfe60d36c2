"""Blocks on tagged A4 pages: paragraphs, headings, lists and tables that run on over pages.

A table's header row is repeated on each page it runs on to (as an artifact); a long cell runs
on over pages, a filled or short row never splits.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.export.tagged import Elem, TaggedPdf

MARGIN = 18.0
LINE = 4.6  # line height of body text, mm
GUTTER = 4.0
PAD_X, PAD_Y = 2.0, 1.1  # table cell padding

BLACK = (0, 0, 0)
ACCENT = (22, 78, 99)
GREY = (100, 100, 100)
QUESTION_FILL = (236, 241, 244)
RULE = (200, 208, 212)
TH = "<</O /Table /Scope /Column>>"


@dataclass(frozen=True)
class Para:
    """A paragraph in a table cell."""

    text: str
    style: str = ""
    size: float = 9.5
    colour: tuple[int, int, int] = BLACK


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    span: int = 1
    header: bool = False
    fill: tuple[int, int, int] | None = None


Line = tuple[str, Para, float]  # text, its paragraph's look, line height


class Layout(TaggedPdf):
    """The blocks; `self.bottom` is where text ends, `self.repeat` the header row to repeat."""

    bottom: float
    repeat: tuple[list[Cell], list[float]] | None = None

    def ensure(self, height: float) -> None:
        """A new page unless `height` mm fit below."""
        if self.y + height > self.bottom:
            self.add_page()

    # Blocks -----------------------------------------------------------------------------------

    def paragraph(
        self,
        text: str,
        style: str = "",
        size: float = 10,
        colour=BLACK,
        height: float = LINE,
        kind: str = "P",
        parent: Elem | None = None,
        indent: float = 0.0,
    ) -> None:
        elem = self.tags.add(kind, parent)
        lines = self.wrap(self.fit(text), self.epw - indent, style, size)
        self.set_text_color(*colour)
        done = 0
        while done < len(lines):
            self.ensure(height)
            with self.marked(elem):
                while done < len(lines) and self.y + height <= self.bottom:
                    self.draw(self.l_margin + indent, self.y, lines[done], style, size, height)
                    self.y += height
                    done += 1
        self.set_text_color(*BLACK)

    def heading(self, text: str, level: int, outline: int) -> None:
        """A heading (H1–H3) kept with what follows, and its bookmark."""
        size, space = {1: (20, 0), 2: (15, 6), 3: (10.5, 3)}[level]
        self.y += space
        self.ensure(size * 0.5 + (12 if level == 3 else 30))
        self.start_section(self.fit(text), level=outline, strict=False)
        self.paragraph(text, "B", size, ACCENT if level < 3 else BLACK, size * 0.5, f"H{level}")
        self.y += 1.5

    def bullets(self, lines: tuple[str, ...] | list[str], size: float = 10) -> None:
        items = self.tags.add("L")
        for line in lines:
            item = self.tags.add("LI", items)
            self.ensure(LINE)
            with self.marked(self.tags.add("Lbl", item)):
                self.draw(self.l_margin, self.y, "•", "", size, LINE)
            self.paragraph(line, "", size, kind="LBody", parent=item, indent=5)
        self.y += 1

    # Tables -----------------------------------------------------------------------------------

    def columns(self, widths: list[float]) -> list[float]:
        share = (self.epw - GUTTER * (len(widths) - 1)) / sum(widths)
        return [w * share for w in widths]

    def cell_lines(self, cell: Cell, width: float) -> list[Line]:
        lines: list[Line] = []
        for para in cell.paras:
            height = LINE * para.size / 9.5
            wrapped = self.wrap(self.fit(para.text), width - 2 * PAD_X, para.style, para.size)
            lines += [(text, para, height) for text in wrapped]
        return lines

    def spans(self, cells: list[Cell], widths: list[float]) -> list[tuple[float, float]]:
        """Where each cell starts and how wide it is."""
        spans, x, index = [], self.l_margin, 0
        for cell in cells:
            width = sum(widths[index : index + cell.span]) + GUTTER * (cell.span - 1)
            spans.append((x, width))
            x += width + GUTTER
            index += cell.span
        return spans

    def height(self, cells: list[Cell], widths: list[float]) -> float:
        spans = self.spans(cells, widths)
        laid = [self.cell_lines(c, w) for c, (_, w) in zip(cells, spans, strict=True)]
        return max(sum(h for *_, h in lines) for lines in laid) + 2 * PAD_Y

    def row(self, cells: list[Cell], widths: list[float], parent: Elem | None) -> None:
        """A table row; tagged under `parent` (a table), or drawn as it is (a repeated header)."""
        spans = self.spans(cells, widths)
        laid = [self.cell_lines(c, w) for c, (_, w) in zip(cells, spans, strict=True)]
        elems: list[Elem | None] = [None] * len(cells)
        if parent is not None:
            tr = self.tags.add("TR", parent)
            elems = [
                self.tags.add(
                    "TH" if c.header else "TD",
                    tr,
                    a=TH
                    if c.header
                    else (f"<</O /Table /ColSpan {c.span}>>" if c.span > 1 else None),
                )
                for c in cells
            ]
        height = max(sum(h for *_, h in lines) for lines in laid) + 2 * PAD_Y
        if any(c.fill for c in cells) or height < 30:
            self.ensure(height)  # filled and short rows are never split
        while True:
            top, room = self.y, self.bottom - self.y - 2 * PAD_Y
            used = 0.0
            for cell, lines, (x, width), elem in zip(cells, laid, spans, elems, strict=True):
                take, total = 0, 0.0
                while take < len(lines) and total + lines[take][2] <= room + 0.01:
                    total += lines[take][2]
                    take += 1
                if cell.fill:
                    with self.artifact():
                        self.set_fill_color(*cell.fill)
                        self.rect(x, top, width, height, style="F")
                if take:
                    self.draw_lines(lines[:take], x, top + PAD_Y, elem)
                del lines[:take]
                used = max(used, total)
            self.y = top + used + 2 * PAD_Y
            if not any(laid):
                return
            self.add_page()
            height = max(sum(h for *_, h in lines) for lines in laid) + 2 * PAD_Y

    def draw_lines(self, lines: list[Line], x: float, y: float, elem: Elem | None) -> None:
        def draw() -> None:
            top = y
            for text, para, height in lines:
                self.set_text_color(*para.colour)
                self.draw(x + PAD_X, top, text, para.style, para.size, height)
                top += height
            self.set_text_color(*BLACK)

        if elem is None:
            draw()
        else:
            with self.marked(elem):
                draw()

    def draw_table(
        self,
        header: list[Cell],
        groups: list[list[list[Cell]]],
        widths: list[float],
        rules: bool = False,
    ) -> None:
        """A table whose header row is repeated on each page it runs on to; a group of rows
        (a question and its answers) starts on a new page rather than leave the question alone."""
        table = self.tags.add("Table")
        columns = self.columns(widths)
        first = sum(self.height(cells, columns) for cells in groups[0][:2]) if groups else 0
        self.ensure(self.height(header, columns) + min(first, 60))
        self.row(header, columns, table)
        self.repeat = (header, columns)
        for rows in groups:
            self.ensure(min(sum(self.height(cells, columns) for cells in rows[:2]), 60))
            for cells in rows:
                self.row(cells, columns, table)
                if rules:
                    with self.artifact():
                        self.set_draw_color(*RULE)
                        self.set_line_width(0.2)
                        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.repeat = None
        self.y += 2
