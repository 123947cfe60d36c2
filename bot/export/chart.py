"""The readiness profiles of both organisations as a bar chart (PNG, drawn with Pillow)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.engine.progress import ProjectProgress
from bot.engine.render.insights import ChartRow, chart_legend, chart_rows
from bot.guide.model import Tool
from bot.i18n import Translator

FONTS = Path(__file__).resolve().parent / "fonts"


def profile_chart(t: Translator, progress: ProjectProgress, tool: Tool) -> bytes | None:
    """The two profiles as a small bar chart (PNG), or None until one side has rated something."""
    rows = chart_rows(t, progress, tool)
    if rows is None:
        return None
    return _draw_profiles(chart_legend(t, progress), rows)


@lru_cache(maxsize=256)  # the same ratings are looked at again and again: draw them once
def _draw_profiles(legend: tuple[str, ...], rows: tuple[ChartRow, ...]) -> bytes:
    """Bars per factor; the legend on one line if it fits, else one organisation per line."""
    row_height, unit = 64, 110
    font, bold = _font("DejaVuSans.ttf"), _font("DejaVuSans-Bold.ttf")
    left = max(300, 40 + max(int(bold.getlength(name)) for name, _, _ in rows))
    entries = [36 + int(font.getlength(label)) for label in legend]
    width = max(left + unit * 5 + 60, 900)
    stacked = left + sum(entries) > width - 16
    if stacked:
        width = max(width, 16 + 26 + max(entries))
    legend_height = 30 * len(legend) if stacked else 30
    top_of_rows = 40 + legend_height
    image = Image.new("RGB", (width, top_of_rows + 20 + row_height * len(rows)), "white")
    draw = ImageDraw.Draw(image)
    colours = ((38, 112, 168), (224, 122, 40))  # sharer, reuser
    x, y = (16 if stacked else left), 20
    for label, colour, entry in zip(legend, colours, entries, strict=True):
        draw.rectangle([x, y, x + 18, y + 18], fill=colour)
        draw.text((x + 26, y - 3), label, font=font, fill="black")
        if stacked:
            y += 30
        else:
            x += entry
    for index, (name, a, b) in enumerate(rows):
        top = top_of_rows + index * row_height
        draw.text((16, top + 16), name, font=bold, fill="black")
        for offset, (colour, value) in enumerate(zip(colours, (a, b), strict=True)):
            y = top + 6 + offset * 26
            if value is not None:
                draw.rectangle([left, y, left + unit * value, y + 20], fill=colour)
                draw.text((left + unit * value + 8, y - 1), str(value), font=font, fill="black")
        for mark in range(1, 6):
            x = left + unit * mark
            draw.line([x, top + 2, x, top + row_height - 4], fill=(220, 220, 220))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=4)
def _font(name: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), 20)
