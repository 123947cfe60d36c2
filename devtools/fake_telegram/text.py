"""Text parsing as Telegram does it: UTF-16 lengths, HTML and MarkdownV2 entities, commands."""

from __future__ import annotations

import re
from typing import Any

from .protocol import JSON, ApiError, _bad_request


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_HTML_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "a": "text_link", "code": "code", "pre": "pre", "tg-spoiler": "spoiler", "span": "spoiler",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*"""
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>"""
)
_ATTR_RE = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_CHAR_REF_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities); raise 400 like Telegram on bad markup."""
    out: list[str] = []
    offset = 0  # UTF-16 offset in the plain text
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []

    def fail(message: str, at: int) -> ApiError:
        return _bad_request(
            f"can't parse entities: {message} at byte offset {len(text[:at].encode())}"
        )

    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG_RE.match(text, pos)
            if match is None:
                follower = text[pos + 1 : pos + 2]
                if follower == "/" or follower.isalpha():
                    raise fail("Unclosed start tag" if follower != "/" else "Unclosed end tag", pos)
                raise fail("Unexpected end of name token", pos)
            closing, name = match.group(1) == "/", match.group(2).lower()
            attrs = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                     for m in _ATTR_RE.finditer(match.group(3))}
            if not closing:
                if name not in _HTML_ENTITY_TYPES:
                    raise fail(f'Unsupported start tag "{name}"', pos)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"', pos)
                if name == "tg-emoji" and "emoji-id" not in attrs:
                    raise fail('Tag "tg-emoji" must have attribute "emoji-id"', pos)
                if name == "code" and stack and stack[-1][0] == "pre":
                    language = attrs.get("class", "")
                    if language.startswith("language-"):
                        stack[-1][2]["language"] = language.removeprefix("language-")
                        attrs["inside_pre"] = "1"
                stack.append((name, offset, attrs))
            else:
                if not stack:
                    raise fail("Unexpected end tag", pos)
                if stack[-1][0] != name:
                    raise fail(f'Unmatched end tag, expected "</{stack[-1][0]}>", '
                               f'found "</{name}>"', pos)
                _, start, open_attrs = stack.pop()
                entity = _html_entity(name, start, offset - start, open_attrs)
                if entity is not None:
                    entities.append(entity)
            pos = match.end()
            continue
        if char == "&":
            match = _CHAR_REF_RE.match(text, pos)
            if match is not None:
                ref = match.group(1)
                if ref.startswith("#"):  # "#123" or "#x1F600" (not a "0x" prefix)
                    hexadecimal = ref[1:2] in ("x", "X")
                    code = int(ref[2:], 16) if hexadecimal else int(ref[1:])  # noqa: FURB166
                    decoded = chr(code) if 0 < code < 0x110000 else "\ufffd"
                else:
                    decoded = _NAMED_REFS[ref]
                out.append(decoded)
                offset += utf16_len(decoded)
                pos = match.end()
                continue
        end = pos + 1
        while end < len(text) and text[end] not in "<&":
            end += 1
        chunk = text[pos:end]
        out.append(chunk)
        offset += utf16_len(chunk)
        pos = end
    if stack:
        raise _bad_request("can't parse entities: Can't find end tag corresponding to start "
                           f'tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(name: str, offset: int, length: int, attrs: dict[str, str]) -> JSON | None:
    if length <= 0 or attrs.get("inside_pre"):
        return None
    entity: JSON = {"type": _HTML_ENTITY_TYPES[name], "offset": offset, "length": length}
    if name == "a":
        if not attrs.get("href"):
            return None
        entity["url"] = attrs["href"]
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    return entity


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(text: str) -> str:
    """Approximate MarkdownV2: plain text, or 400 for unescaped reserved characters."""
    out: list[str] = []
    pos, in_code, in_pre, in_url = 0, False, False, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            if pos + 1 < len(text):
                out.append(text[pos + 1])
            pos += 2
            continue
        if text.startswith("```", pos):
            if not in_pre:  # skip the optional language on the opening line
                newline = text.find("\n", pos + 3)
                pos = len(text) if newline < 0 else newline + 1
            else:
                pos += 3
            in_pre = not in_pre
            continue
        if in_pre or (in_code and char != "`"):
            out.append(char)
        elif char == "`":
            in_code = not in_code
        elif in_url:
            in_url = char != ")"
        elif char == "]" and text.startswith("(", pos + 1):
            in_url = True
            pos += 1
        elif (char in "*_~|[]" or (char == ">" and (pos == 0 or text[pos - 1] == "\n"))
              or (char == "!" and text.startswith("[", pos + 1))):
            pass
        elif char in _MDV2_RESERVED:
            raise _bad_request(f"can't parse entities: Character '{char}' is reserved and must "
                               "be escaped with the preceding '\\'")
        else:
            out.append(char)
        pos += 1
    if in_code or in_pre:
        raise _bad_request("can't parse entities: Can't find end of Code entity at byte offset "
                           f"{len(text.encode())}")
    return "".join(out)


def parse_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[JSON]]:
    """Apply `parse_mode` like Telegram does: (plain text, entities)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text), []
    if mode == "markdown":
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        return re.sub(r"[*_`]", "", plain), []
    if mode:
        raise _bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, list(entities) if isinstance(entities, list) else []


def command_entity(text: str) -> JSON | None:
    """The ``bot_command`` entity Telegram attaches to text starting with a command."""
    match = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])", text)
    if match is None:
        return None
    return {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
