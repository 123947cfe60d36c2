"""The export document as an A4 PDF/A-3b, tagged for PDF/UA-1: the summary on page 1, then the phases.

Page 1 and the phases laid out with `bot.export.layout`; both sides' answers stand in two
columns; a long answer runs on over pages, with the organisations' header row repeated.
"""

from __future__ import annotations

import datetime as dt
import io
from html import escape

import fpdf
from fpdf.prefs import ViewerPreferences

from bot.export.layout import ACCENT, BLACK, GREY, MARGIN, QUESTION_FILL, Cell, Layout, Para
from bot.export.model import Answer, Block, Document, PhaseSection, QuestionItem, ToolSection
from bot.export.tagged import MISSING

__all__ = ["MISSING", "render_pdf"]


class _Pdf(Layout):
    """A4 with a running title on every page but the first and "Side n af m" in the footer."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc.locale.replace("_", "-"))
        self.doc = doc
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.bottom = self.h - MARGIN - 2
        self.set_title(self.fit(doc.title))
        self.set_subject(self.fit(" · ".join(o for o in doc.organisations if o)))
        self.set_creator("spredning")
        self.set_producer(f"fpdf2 {fpdf.__version__}")
        self.set_creation_date(doc.generated_at)
        self.set_xmp_metadata(xmp(doc, self.title or "", self.subject or "", self.producer or ""))
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.repeat: tuple[list[Cell], list[float]] | None = None  # a table's header row

    def header(self) -> None:
        self.y = MARGIN
        if self.page_no() == 1:
            return
        title = self.fit(self.doc.title)
        while len(title) > 1 and self.width(title, "", 8) > self.epw:
            title = title[:-2] + "…"
        self.set_text_color(*GREY)
        with self.artifact("Pagination"):
            self.draw(self.w - MARGIN - self.width(title, "", 8), MARGIN - 6, title, "", 8, 4)
        self.set_text_color(*BLACK)
        if self.repeat is not None:
            with self.artifact("Pagination"):
                self.row(*self.repeat, None)

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.set_font("dejavu", "", 8)
        self.set_text_color(*GREY)
        with self.artifact("Pagination"):
            text = self.doc.labels.page.format(page=self.page_no(), pages=self.str_alias_nb_pages)
            self.cell(0, 5, self.fit(text), align="C")
        self.set_text_color(*BLACK)


def render_pdf(doc: Document, markdown: str | None = None, basename: str = "spredning") -> bytes:
    """The whole document as PDF/A-3b bytes, with the Markdown attached when it is given."""
    pdf = _Pdf(doc)
    pdf.add_page()
    _summary(pdf, doc)
    pdf.add_page()
    pdf.heading(doc.labels.progress, 2, 0)
    pdf.bullets(doc.progress)
    for phase in doc.phases:
        _phase(pdf, doc, phase)
    if markdown is not None:
        pdf.embed_file(
            bytes=markdown.encode("utf-8"),
            basename=f"{basename}.md",
            desc=doc.labels.attachment,
            mime_type="text/markdown",
            modification_date=doc.generated_at,
            associated_file_relationship="Alternative",
        )
    return bytes(pdf.output())


def _summary(pdf: _Pdf, doc: Document) -> None:
    pdf.paragraph(doc.labels.kicker, "B", 9, ACCENT)
    pdf.y += 1
    pdf.heading(doc.project, 1, 0)
    pdf.paragraph(doc.generated, "I", 9, GREY)
    with pdf.artifact():
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.y + 2, pdf.w - pdf.r_margin, pdf.y + 2)
    pdf.y += 2
    summary = doc.summary
    if summary is None:
        return
    pdf.heading(summary.heading, 2, 0)
    if summary.innovation:
        pdf.paragraph(summary.innovation, "", 9.5)
    for block in summary.blocks:
        _block(pdf, block)


def _block(pdf: _Pdf, block: Block) -> None:
    pdf.heading(block.heading, 3, 1)
    if not block.header:
        pdf.bullets(block.lines, 9)
        return
    header = [
        Cell((Para(h, "B", 8, (255, 255, 255)),), header=True, fill=ACCENT) for h in block.header
    ]
    rows = [
        [[Cell((Para(text, "B" if i == 0 else "", 8),)) for i, text in enumerate(row)]]
        for row in block.rows
    ]
    pdf.draw_table(header, rows, list(block.widths or [1] * len(block.header)), rules=True)


def _phase(pdf: _Pdf, doc: Document, phase: PhaseSection) -> None:
    pdf.heading(phase.heading, 2, 0)
    pdf.paragraph(phase.purpose, "I", 10, GREY)
    pdf.y += 1
    if not phase.started:
        pdf.paragraph(doc.labels.not_started)
        return
    for tool in phase.tools:
        if tool.questions:
            pdf.heading(tool.title, 3, 1)
            _tool_table(pdf, doc, tool)
            for note in tool.notes:
                pdf.paragraph(note, size=9.5)
            if tool.chart:
                _chart(pdf, tool)
    for label, lines in (
        (doc.labels.open_points, phase.open_points),
        (doc.labels.decisions, phase.decisions),
        (doc.labels.signoffs, phase.signoffs),
    ):
        if not lines and label == doc.labels.decisions:
            continue
        pdf.heading(label, 3, 1)
        if lines:
            pdf.bullets(lines)
        else:
            pdf.paragraph(doc.labels.none)


def _chart(pdf: _Pdf, tool: ToolSection) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(tool.chart or b"")) as image:
        ratio = image.height / image.width
    width = min(pdf.epw, 150)
    pdf.y += 2
    pdf.ensure(width * ratio)
    figure = pdf.tags.add("Figure", alt=tool.chart_alt or tool.title)
    with pdf.marked(figure):
        pdf.image(io.BytesIO(tool.chart or b""), x=pdf.l_margin, y=pdf.y, w=width)
    pdf.y += width * ratio + 2


def _question_cell(item: QuestionItem | None) -> Cell:
    if item is None:
        return Cell((Para(""),), fill=QUESTION_FILL)
    hints = tuple(Para(f"• {hint}", "I", 8.5, GREY) for hint in item.hints)
    return Cell((Para(item.text, "B"), *hints), span=2 if item.shared else 1, fill=QUESTION_FILL)


def _answer_cell(doc: Document, answer: Answer | None) -> Cell:
    if answer is None:
        return Cell((Para(""),))
    paras = [Para(answer.text) if answer.answered else Para(answer.text, "I", colour=GREY)]
    if answer.attachments:
        files = doc.labels.attachments.format(files=", ".join(answer.attachments))
        paras.append(Para(files, "I", 8, GREY))
    if answer.byline:
        paras.append(Para(answer.byline, "I", 8, GREY))
    return Cell(tuple(paras))


def _tool_table(pdf: _Pdf, doc: Document, tool: ToolSection) -> None:
    """Each side's own questions side by side, then the questions both sides answer."""
    header = [
        Cell((Para(o, "B", 9.5, (255, 255, 255)),), header=True, fill=ACCENT)
        for o in doc.organisations
    ]
    sharer = [q for q in tool.questions if not q.shared and q.answers[0].role == "sharer"]
    reuser = [q for q in tool.questions if not q.shared and q.answers[0].role != "sharer"]
    groups: list[list[list[Cell]]] = []
    for i in range(max(len(sharer), len(reuser))):
        pair = [side[i] if i < len(side) else None for side in (sharer, reuser)]
        groups.append(
            [
                [_question_cell(q) for q in pair],
                [_answer_cell(doc, q.answers[0] if q else None) for q in pair],
            ]
        )
    for item in (q for q in tool.questions if q.shared):
        groups.append([[_question_cell(item)], [_answer_cell(doc, a) for a in item.answers]])
    pdf.draw_table(header, groups, [1, 1])


def xmp(doc: Document, title: str, subject: str, producer: str) -> str:
    """XMP metadata: PDF/A-3b and PDF/UA-1 identification, title and language, the dates."""
    when = doc.generated_at if doc.generated_at.tzinfo else doc.generated_at.replace(tzinfo=dt.UTC)
    stamp = when.astimezone(dt.UTC).isoformat(timespec="seconds")
    lang = doc.locale.replace("_", "-")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>
    <rdf:li xml:lang="{lang}">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <xmp:CreatorTool>spredning</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""
