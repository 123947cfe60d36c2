"""Reached tools only: every path that shows the other side's answers hides tools the reader has
not reached yet (/theirs, /compare and its chart, /summary and its buttons, /export)."""

from __future__ import annotations

import pytest

from bot.console import parse_line
from bot.engine import callbacks as cb
from bot.engine import intents
from devtools.people.scenarios import start_project

SEEN, UNSEEN = "SYNLIGT-SVAR", "HEMMELIGT-SVAR"


@pytest.fixture
def ahead(world):
    """Anna (sharer) answers all of Tjek: tool 1 with SEEN, the rest (and the profile) with UNSEEN;
    Carl (reuser) has not answered anything, so he has reached only tool 1."""
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    while "værktøj 1/" in anna.last_text():
        anna.answer_all_once(SEEN)
    anna.answer_all(UNSEEN)
    assert "Vi venter på" in anna.last_text()
    reply = carl.send(parse_line("/theirs"))
    data = next(b.data for m in reply.messages for row in m.buttons for b in row)
    return anna, carl, cb.decode(data).project_id


def texts(reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def test_theirs_lists_and_shows_only_reached_tools(ahead):
    anna, carl, project = ahead
    carl.says("/theirs")
    assert [b for b in carl.buttons() if b != "▶ Fortsæt"] == ["Tjek · Beskriv innovationen"]
    shown = carl.presses(carl.buttons()[0])
    assert SEEN in shown and UNSEEN not in shown


def test_summary_shows_only_reached_tools_and_no_chart_of_the_others_ratings(ahead):
    anna, carl, project = ahead
    reply = carl.send(parse_line("/summary"))
    text = texts(reply)
    assert SEEN in text and UNSEEN not in text
    assert "Vises, når I er nået til dette værktøj" in text
    assert not [d for m in reply.messages for d in m.documents]  # Anna's ratings, drawn, would leak too
    # Anna, who reached everything, sees it all (and the chart of her own ratings).
    own = anna.send(parse_line("/summary"))
    assert UNSEEN in texts(own) and [d for m in own.messages for d in m.documents]


def test_the_summary_button_shows_only_reached_tools(ahead):
    anna, carl, project = ahead
    reply = carl.presses_data(cb.encode(intents.ShowSummary(project, "check")))
    assert SEEN in texts(reply) and UNSEEN not in texts(reply)


def test_compare_and_its_chart_show_only_reached_tools(ahead, content):
    anna, carl, project = ahead
    guide, _ = content
    profile = next(tool for tool in guide.phase("check").tools if tool.profile)
    refused = carl.presses_data(cb.encode(intents.Compare(project, profile.id)))
    assert UNSEEN not in texts(refused) and not [d for m in refused.messages for d in m.documents]
    first = guide.phase("check").tools[0]
    shown = carl.presses_data(cb.encode(intents.Compare(project, first.id)))
    assert SEEN in texts(shown) and UNSEEN not in texts(shown)


def test_export_shows_only_reached_tools(ahead):
    anna, carl, project = ahead
    reply = carl.send(parse_line("/export"))
    pdf, markdown = [d for m in reply.messages for d in m.documents]
    text = markdown.data.decode()
    assert SEEN in text and UNSEEN not in text
    assert "Vises, når I er nået til dette værktøj" in text
    assert UNSEEN.encode() not in pdf.data
    mine = anna.send(parse_line("/export"))
    assert UNSEEN in [d for m in mine.messages for d in m.documents][1].data.decode()
