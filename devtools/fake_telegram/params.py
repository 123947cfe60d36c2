"""Request parameters of a Bot API call, from a query string, form, multipart or JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .protocol import JSON, _bad_request


@dataclass(frozen=True)
class _Upload:
    filename: str
    body: bytes
    content_type: str | None


class _Params:
    """Request parameters from a query string, a form, multipart, or a JSON body.

    PTB sends form fields whose non-string values are JSON-encoded; JSON bodies are typed.
    """

    def __init__(self, values: JSON, uploads: dict[str, _Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, (dict, list)) else str(value)

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str) -> float | None:
        value = self.values.get(name)
        try:
            return None if value is None or value == "" else float(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_ref(self, name: str = "chat_id") -> int | str | None:
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("@"):
            return value
        return self.get_int(name)

    def input_file(self, name: str) -> _Upload | str | None:
        if name in self.uploads:
            return self.uploads[name]
        value = self.get_str(name)
        if value is not None and value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return value

    def loggable(self) -> JSON:
        data = dict(self.values)
        for name, upload in self.uploads.items():
            data[name] = f"<upload {upload.filename!r} {len(upload.body)} bytes>"
        return data
