"""Split long HTML messages at paragraph boundaries so that nothing is cut silently."""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TAG_OR_ENTITY = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;")


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Chunks of at most `limit` characters: whole paragraphs where possible, then lines, then words."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joiner = "\n\n" if current else ""
        if len(current) + len(joiner) + len(piece) <= limit:
            current += joiner + piece
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks or [""]


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        block = ""
        for line in paragraph.split("\n"):
            for part in _cut_line(line, limit):
                if block and len(block) + 1 + len(part) > limit:
                    pieces.append(block)
                    block = part
                else:
                    block = f"{block}\n{part}" if block else part
        if block:
            pieces.append(block)
    return pieces


def _cut_line(line: str, limit: int) -> list[str]:
    """Cut a too-long line at spaces, never inside a tag or an HTML entity."""
    parts = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        for match in _TAG_OR_ENTITY.finditer(line, 0, min(len(line), limit + 16)):
            if match.start() < cut < match.end():
                cut = match.start()
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    parts.append(line)
    return [p for p in parts if p]
