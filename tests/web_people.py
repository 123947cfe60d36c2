"""A person on the web page: open a link, read it, answer forms as a browser without JavaScript would."""

from __future__ import annotations

import html
import re
from typing import Any

FORM = re.compile(r'<form (?:class="\w+" )?method="post" action="(?P<action>[^"]+)"(?: data-kind="(?P<kind>\w+)")?(?: enctype="[^"]+")?>(?P<body>.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
RADIO = re.compile(r'<input type="radio" name="choice" value="([^"]+)"')


def forms(page: str) -> list[dict[str, Any]]:
    """The page's forms: action, kind, hidden fields and choices; `open` when the question is unanswered."""
    found = []
    for match in FORM.finditer(page):
        before = page[max(0, match.start() - 200):match.start()]
        summary = re.findall(r"<summary>([^<]*)</summary>", before)
        found.append({"action": html.unescape(match["action"]), "kind": match["kind"],
                      "fields": {k: html.unescape(v) for k, v in HIDDEN.findall(match["body"])},
                      "choices": RADIO.findall(match["body"]), "summary": summary[-1] if summary else None})
    return found


def typed_value(kind: str) -> str:
    return {"amount": "250.000 DKK", "date": "31-12-2026"}.get(kind, "Svar fra nettet")


def answer_fields(form: dict[str, Any], text: str | None = None) -> dict[str, str]:
    fields = dict(form["fields"], action="save")
    if form["choices"]:
        fields["choice"] = form["choices"][0]
    else:
        fields["text"] = text or typed_value(form["kind"])
    return fields
