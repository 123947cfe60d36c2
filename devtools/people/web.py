"""A person on the web page: open a link, read it, answer forms as a browser without JavaScript would."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.engine import callbacks as cb
from bot.engine.intents import Intent
from devtools.people.buttons import typed_value

if TYPE_CHECKING:
    from devtools.people.engine import Person

BASE = "http://testserver"  # where the page is served in process (Starlette's test client)
BOT_TOKEN = "123456:web-test-token"  # the bot token a Mini App's init data is signed with

FORM = re.compile(r'<form (?:class="\w+" )?method="post" action="(?P<action>[^"]+)"(?: data-kind="(?P<kind>\w+)")?'
                  r'(?: enctype="[^"]+")?>(?P<body>.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
RADIO = re.compile(r'<input type="radio" name="choice" value="([^"]+)"')
PRESS = re.compile(r'<(?:button type="submit"|option) (?:name="press" )?value="([^"]+)"[^>]*>([^<]*)<')


def link_of(person: Person, base: str = BASE) -> str:
    """The path of the personal link /web gives `person`."""
    said = person.says("/web")
    found = re.search(re.escape(base) + r"(/p/[A-Za-z0-9._-]+)", said)
    assert found, said
    return found.group(1)


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


def open_questions(page: str) -> list[dict[str, Any]]:
    """The page's answer forms of questions not answered yet (their summary offers to answer, not to change)."""
    return [f for f in forms(page) if f["summary"] == "Svar" and "/answer" in f["action"]]


def presses(page: str, meaning: Callable[[Intent], bool]) -> tuple[str, dict[str, str]]:
    """Where to post, and the fields, to press the page's button (or choose the option) that means
    what `meaning` accepts – the reply's readings, the currency – chosen by meaning, never by wording."""
    for form in FORM.finditer(page):
        if not form["action"].endswith("/press"):
            continue
        fields = {k: html.unescape(v) for k, v in HIDDEN.findall(form["body"])}
        for data, _label in PRESS.findall(form["body"]):
            intent = cb.decode(html.unescape(data))
            if intent is not None and meaning(intent):
                return html.unescape(form["action"]), {**fields, "press": html.unescape(data)}
    raise AssertionError("no such button on the page")


def answer_fields(form: dict[str, Any], text: str | None = None) -> dict[str, str]:
    """The fields that answer `form`: its first choice, else `text` (without it: a valid value for its kind)."""
    fields = dict(form["fields"], action="save")
    if form["choices"]:
        fields["choice"] = form["choices"][0]
    else:
        fields["text"] = text or typed_value(form["kind"], "Svar fra nettet")
    return fields


def signoff_form(page: str, verdict: str, note: str = "") -> tuple[str, dict[str, str]]:
    """Where to post the page's sign-off of the phase it offers, and the fields that give `verdict`
    ("agree" or "changes", the form's own values) with an optional note."""
    signoff = next(f for f in forms(page) if "/signoff" in f["action"])
    return signoff["action"], {**signoff["fields"], "verdict": verdict, **({"note": note} if note else {})}


async def answer_all_on_the_page(web: Any, path: str, at_most: int) -> None:
    """Answer the page's open questions one form at a time (each answer may open the next), as a
    person working down the page would; at most `at_most` forms."""
    for _ in range(at_most):
        todo = open_questions((await web.get(path)).text)
        if not todo:
            return
        assert (await web.post(todo[0]["action"], data=answer_fields(todo[0]))).status_code == 303


async def agree_on_the_page(web: Any, path: str) -> None:
    """Sign off the phase the page offers for sign-off, agreeing."""
    action, fields = signoff_form((await web.get(path)).text, "agree")
    assert (await web.post(action, data=fields)).status_code == 303
