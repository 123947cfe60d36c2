"""Babel extractor for `dialogs/*.yaml`: every text of the guide, with its line and YAML path.

Registered as the `spredning_dialogs` entry point in `babel.extractors` and mapped in `pyproject.toml`
under `[tool.babel]`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bot.guide.model import Text
from bot.guide.parser import FileParser
from bot.guide.yaml_lines import load_yaml


def dialog_texts(path: Path) -> list[Text]:
    """Every translatable text of one phase file, in file order."""
    texts: list[Text] = []
    parser = FileParser(path, f"{path.parent.name}/{path.name}", [], texts)
    data, _duplicates = load_yaml(path)
    parser.parse_phase(data, 0)
    return sorted(texts, key=lambda t: t.line)


def extract_dialogs(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield `(lineno, funcname, message, comments)` for each text in a dialog file."""
    name = getattr(fileobj, "name", None)
    if name and Path(name).exists():
        path = Path(name)
        texts = dialog_texts(path)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dialog.yaml"
            path.write_bytes(fileobj.read())
            texts = dialog_texts(path)
    for text in texts:
        yield text.line, None, text.msgid, [text.path]
