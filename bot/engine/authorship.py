"""Whose words an answer holds: the parts of a text answer that several people added to.

An answer's value keeps its whole text in ``text`` (what is compared, searched and exported) and,
once someone adds to it, ``parts``: each added text with its author's person id, in order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.records import AnswerRecord

Part = tuple[int | None, str]  # (author's person id, the text they wrote)


def with_addition(value: dict[str, Any], earlier_author: int | None, author: int | None,
                  addition: str, limit: int) -> dict[str, Any]:
    """`value` with `addition` by `author` appended to its text (the text so far being by
    `earlier_author`, unless its parts say whose it is)."""
    earlier = str(value.get("text", "")).strip()
    parts = [list(p) for p in value.get("parts") or []] or ([[earlier_author, earlier]] if earlier else [])
    parts.append([author, addition])
    text = "\n\n".join(str(p[1]) for p in parts)[:limit]
    return {**value, "text": text, "parts": parts}


def text_parts(answer: AnswerRecord) -> list[Part]:
    """The parts of an answer written by two or more people, each with its author (empty: one author)."""
    parts = answer.value.get("parts")
    if not isinstance(parts, list) or len(parts) < 2:
        return []
    found: list[Part] = [(p[0] if isinstance(p[0], int) else None, str(p[1])) for p in parts
                         if isinstance(p, list | tuple) and len(p) == 2]
    return found if len({author for author, _ in found}) > 1 else []


def authors_of(answer: AnswerRecord) -> list[int]:
    """Everyone who wrote the answer, in the order they first did (its author when it has no parts)."""
    parts = text_parts(answer)
    ids = [author for author, _ in parts] if parts else [answer.author_id]
    return [i for i in dict.fromkeys(ids) if i is not None]


def named_parts(answer: AnswerRecord, names: Mapping[int, str], unknown: str) -> list[tuple[str, str]]:
    """The parts of an answer by several people as (author's name, text); `unknown` for someone gone."""
    return [(names.get(author, unknown) if author is not None else unknown, text)
            for author, text in text_parts(answer)]
