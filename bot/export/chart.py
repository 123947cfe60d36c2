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
    width, row_height, left, unit = 900, 64, 300, 110
    height = 90 + row_height * len(rows)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font, bold = _font("DejaVuSans.ttf"), _font("DejaVuSans-Bold.ttf")
    colours = ((38, 112, 168), (224, 122, 40))  # sharer, reuser
    legend_x = left
    for label, colour in zip(legend, colours, strict=True):
        draw.rectangle([legend_x, 20, legend_x + 18, 38], fill=colour)
        draw.text((legend_x + 26, 17), label, font=font, fill="black")
        legend_x += 36 + int(draw.textlength(label, font=font))
    for index, (name, a, b) in enumerate(rows):
        top = 70 + index * row_height
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
