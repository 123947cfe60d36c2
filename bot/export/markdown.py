"""The export document as Markdown (CommonMark/GFM); every text is escaped to show literally."""

from __future__ import annotations

import re

from bot.export.model import Answer, Block, Document, PhaseSection, QuestionItem, ToolSection

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)(#|>|\+|-|=|(\d+)(?=[.)]))")


def md(text: str) -> str:
    """Escape `text` for Markdown: punctuation with a meaning, and block markers at line starts.

    Line breaks become hard breaks; blank lines separate paragraphs; indentation is dropped
    (four spaces would start a code block).
    """
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(
        "\\\n".join(_line(line) for line in p.split("\n")) for p in paragraphs if p.strip()
    )


def _line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", line.strip())
    match = _LINE_START.match(escaped)
    if match is None:
        return escaped
    if match.group(3):  # "1." or "1)" would start an ordered list
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def render_markdown(doc: Document) -> str:
    """The whole document as one Markdown text."""
    out: list[str] = [f"# {md(doc.title)}", "", f"*{md(doc.labels.kicker)}*", ""]
    organisations = [md(o) for o in doc.organisations if o]
    if organisations:
        out += ["\\\n".join(organisations), ""]
    out += [f"*{md(doc.generated)}*", ""]
    if doc.summary is not None:
        out += [f"## {md(doc.summary.heading)}", ""]
        if doc.summary.innovation:
            out += [md(doc.summary.innovation), ""]
        for block in doc.summary.blocks:
            out += _block(block)
    out += [f"## {md(doc.labels.progress)}", ""]
    out += [f"- {md(line)}" for line in doc.progress]
    for phase in doc.phases:
        out += ["", *_phase(doc, phase)]
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    return "<br>".join(_INLINE.sub(r"\\\1", line.strip()) for line in text.split("\n")) or " "


def _block(block: Block) -> list[str]:
    """A part of the summary as a GFM table, or as a bullet list."""
    out = [f"### {md(block.heading)}", ""]
    if block.header:
        out.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
        out.append("|" + " --- |" * len(block.header))
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    else:
        out += [f"- {md(line)}" for line in block.lines]
    return out + [""]


def _phase(doc: Document, phase: PhaseSection) -> list[str]:
    out = [f"## {md(phase.heading)}", "", f"*{md(phase.purpose)}*", ""]
    if not phase.started:
        return out + [md(doc.labels.not_started)]
    for tool in phase.tools:
        out += _tool(doc, tool)
    for label, lines in (
        (doc.labels.open_points, phase.open_points),
        (doc.labels.decisions, phase.decisions),
        (doc.labels.signoffs, phase.signoffs),
    ):
        if not lines and label == doc.labels.decisions:
            continue
        out += [f"### {md(label)}", ""]
        out += [f"- {md(line)}" for line in lines] if lines else [md(doc.labels.none)]
        out.append("")
    return out


def _tool(doc: Document, tool: ToolSection) -> list[str]:
    out = [f"### {md(tool.title)}", ""]
    for item in tool.questions:
        out += _question(doc, item)
    for note in tool.notes:
        out += [md(note), ""]
    return out


def _question(doc: Document, item: QuestionItem) -> list[str]:
    out = [f"#### {md(item.text)}", ""]
    if item.hints:
        out += [*(f"- *{md(hint)}*" for hint in item.hints), ""]
    for answer in item.answers:
        out += [_answer(doc, answer), ""]
    return out


def _answer(doc: Document, answer: Answer) -> str:
    body = md(answer.text) if answer.answered else f"*{md(answer.text)}*"
    parts = [f"**{md(answer.organisation)}:** {body}".rstrip()]
    if answer.attachments:
        files = doc.labels.attachments.format(files=", ".join(answer.attachments))
        parts.append(f"📎 {md(files)}")
    if answer.byline:
        parts.append(f"*{md(answer.byline)}*")
    return "\\\n".join(parts)
