"""A project built in memory, without a database, for the export's tests.

The Check phase is answered by both sides and agreed, with texts an export must show literally
(Danish, Norwegian, emoji, HTML- and Markdown-like, a long one).
"""

from __future__ import annotations

import datetime as dt
import itertools

from bot.engine.progress import ProjectProgress, SideView
from bot.engine.records import (
    AGREE,
    ANSWERED,
    AgreementRecord,
    AnswerRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
)
from bot.guide.model import Guide, Question, Side

UTC = dt.UTC
CREATED = dt.datetime(2026, 11, 19, 9, 15, tzinfo=UTC)
AGREED = dt.datetime(2026, 11, 20, 13, 30, tzinfo=UTC)
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TZ = "Europe/Copenhagen"

NAMES = {1: "Anna Hansen", 2: "Bo Ørsted", 3: "Carl Ødegård"}
SHARER_ORG = "Aarhus Kommune"
REUSER_ORG = "Bergen kommune"

DANISH = "Æble, øl og blåbærgrød"
NORWEGIAN = "Gjenbruk på tvers – ÆØÅ æøå"
EMOJI = "Det virker 👍🏽 super 🎉 – Ελληνικά και Кириллица"
HTML_LIKE = "<b>not bold</b> & co"
MARKDOWN_LIKE = "# Overskrift\n- punkt\n1. nummer *stjerne* _under_ [link](http://x) `kode` | rør"
LONG_END = "SLUTMÆRKE-42"
LONG = " ".join(f"ord{n:04d}" for n in range(1, 1300)) + " " + LONG_END
SPECIAL = {
    "describe.purpose": DANISH,
    "describe.solution": EMOJI,
    "describe.process": HTML_LIKE,
    "good_story.most_exciting": NORWEGIAN,
    "relevance_timing.fit": MARKDOWN_LIKE,
}


def value_for(question: Question, role: str) -> dict:
    """A stored answer value for `question` on side `role`: the special texts, or one of its kind."""
    if question.key in SPECIAL and role in question.sides:
        return {"text": SPECIAL[question.key]}
    if question.kind in ("choice", "yes_no"):
        value: dict = {"choice": question.choices()[0].id}
        if question.follow_up:
            value["text"] = f"Begrundelse {role} {question.id}"
        return value
    if question.kind == "scale":
        return {"scale": 4}
    if question.kind == "amount":
        return {"amount": "250000", "currency": "DKK"}
    if question.kind == "date":
        return {"date": "2026-12-31"}
    return {"text": f"Svar fra {role} på {question.id}"}


def build_progress(
    guide: Guide, long_answer: bool = False, agreed: bool = True, extra: dict | None = None
) -> tuple[ProjectProgress, list[SignoffRecord]]:
    """The Check phase fully answered by both sides (and agreed), plus `extra` answers by key."""
    ids = itertools.count(1)
    project = ProjectRecord(id=1, name="Digital genoptræning", created_by=1, created_at=CREATED)
    sides: dict[Side, SideRecord] = {
        "sharer": SideRecord(id=10, project_id=1, role="sharer", organisation=SHARER_ORG),
        "reuser": SideRecord(id=20, project_id=1, role="reuser", organisation=REUSER_ORG),
    }
    authors: dict[Side, int] = {"sharer": 1, "reuser": 3}
    answers: dict[Side, dict[str, AnswerRecord]] = {"sharer": {}, "reuser": {}}
    for role, side in sides.items():
        for question in guide.phase("check").questions_for(role):
            value = value_for(question, role)
            if long_answer and question.key == "all_angles.resources":
                value = {"text": LONG}
            if question.key == "good_story.document_value":
                value = {
                    "text": "Se rapporten",
                    "attachments": [
                        {"name": "evaluering_2026.pdf", "kind": "document", "file_id": "f1"},
                        {"name": None, "kind": "photo", "file_id": "f2"},
                    ],
                }
            answers[role][question.key] = AnswerRecord(
                next(ids), side.id, question.key, ANSWERED, value, authors[role], CREATED
            )
        for key, (status, value) in (extra or {}).get(role, {}).items():
            answers[role][key] = AnswerRecord(
                next(ids), side.id, key, status, value, authors[role], CREATED
            )
    views = {role: SideView(sides[role], answers[role]) for role in sides}
    check_ids = tuple(
        sorted(
            a.id
            for role in answers
            for k, a in answers[role].items()
            if k.startswith(tuple(t.id + "." for t in guide.phase("check").tools))
        )
    )
    signoffs = [
        SignoffRecord(1, 1, "check", 10, 1, AGREE, None, check_ids, AGREED - dt.timedelta(hours=1)),
        SignoffRecord(2, 1, "check", 20, 3, AGREE, None, check_ids, AGREED),
    ]
    agreements = [AgreementRecord(1, 1, "check", check_ids, (1, 2), AGREED)] if agreed else []
    return ProjectProgress(guide, project, views, agreements), signoffs


def flat(text: str) -> str:
    """The text with every run of whitespace one space (as a PDF's extracted text compares)."""
    return " ".join(text.split())
