"""The HTTP stack under python-telegram-bot finds what it imports on every request."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from pathlib import Path

import httpcore._synchronization as synchronization

ROOT = Path(__file__).resolve().parents[1]


def test_sniffio_is_a_declared_dependency():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.split(">")[0].split("=")[0].strip() == "sniffio" for d in dependencies)


def test_httpcore_finds_sniffio_without_searching_the_path():
    # httpcore imports sniffio in each request's lock set-up; when it is missing, that import fails
    # after a search of sys.path every time (issue 17: 13 % of the bot's CPU under load).
    import sniffio

    assert sys.modules["sniffio"] is sniffio

    async def detect() -> str:
        return synchronization.current_async_library()

    assert asyncio.run(detect()) == "asyncio"
