"""Questions not asked after an earlier answer are said in one line that quotes that answer's label,
also when the earlier question is in another tool (the benefits plan in Høst after a draft made in Tjek)."""

from __future__ import annotations

import datetime as dt

from bot.engine.records import ANSWERED, AnswerRecord
from bot.engine.render.answers import answers_of_tool

AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_the_hoest_plan_after_a_draft_quotes_the_drafts_answer_by_its_label(content):
    guide, catalogs = content
    draft = AnswerRecord(1, 1, "benefits_draft.draft", ANSWERED, {"choice": "now"}, None, AT)
    plan = guide.tool(guide.question("benefits_plan.gross_own").tool_id)
    for locale, label in (("da", "»Ja, vi laver et udkast nu«"), ("en", "“Yes, we'll draft it now”")):
        shown = answers_of_tool(catalogs.translator(locale), guide, plan, "sharer", {draft.question_key: draft}, {})
        assert label in shown and "»now«" not in shown and "“now”" not in shown, shown
