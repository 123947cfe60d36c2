"""Every question and sub-question of Spredningsguiden stays in the bot: counts are pinned per tool and side.

If you add or remove a question on purpose, update the table – and say why in the commit.
"""

from __future__ import annotations

import pytest

from bot.guide.loader import load_guide

# tool: (sharer questions, sharer sub-questions/examples, reuser questions, reuser sub-questions/examples)
# Questions asked of both sides count on both.
EXPECTED = {
    "describe": (3, 6, 2, 0),
    "good_story": (4, 3, 2, 0),
    "all_angles": (8, 0, 2, 0),
    "relevance_timing": (0, 0, 3, 9),
    "expectations": (8, 4, 8, 3),
    "target_group": (4, 2, 3, 0),
    "learn_from_test": (3, 0, 2, 0),
    "adopt_or_adapt": (3, 0, 5, 2),
    "reuse_contacts": (1, 2, 2, 0),
    "remove_obstacles": (2, 5, 1, 5),
    "implement": (1, 2, 11, 15),
    "highlight_new": (2, 2, 3, 4),
    "share_gains": (1, 1, 2, 2),
    # Additions from Meld. St. 30 (2019–2020), ch. 13 – not part of Spredningsguiden.
    "readiness": (5, 0, 5, 0),
    "benefits_draft": (11, 6, 11, 6),
    "benefits_plan": (10, 6, 10, 6),
    "benefits_outcome": (5, 1, 5, 1),
}

GUIDE = load_guide()


@pytest.mark.parametrize("tool_id", EXPECTED)
def test_questions_and_sub_questions_per_tool_and_side(tool_id):
    tool = GUIDE.tool(tool_id)
    counts = []
    for side in ("sharer", "reuser"):
        questions = tool.questions_for(side)
        counts += [len(questions), sum(len(q.hints) for q in questions)]
    assert tuple(counts) == EXPECTED[tool_id]


def test_thirteen_tools_in_six_phases():
    assert [len([t for t in p.tools if t.from_guide]) for p in GUIDE.phases] == [5, 3, 1, 1, 1, 2]


def test_the_additions_from_meld_st_30_are_marked_as_such():
    additions = [t.id for p in GUIDE.phases for t in p.tools if not t.from_guide]
    assert additions == ["readiness", "benefits_draft", "benefits_plan", "benefits_outcome"]
    assert all(GUIDE.tool(t).source == "meld_st_30" for t in additions)


def test_agreement_questions_are_asked_of_both_sides():
    shared = {q.text for q in GUIDE.tool("expectations").questions if q.shared}
    assert {
        "Hvordan vil I konkret samarbejde?",
        "Er der jura eller økonomi, som skal afklares?",
        "Hvem skal godkende og følge samarbejdet?",
        "Skal andre inviteres med?",
    } <= shared


@pytest.mark.parametrize(
    ("side", "text"),
    [
        ("sharer", "Hvem har været de største kritikere? Hvad gik kritikken ud på?"),
        ("reuser", "Hvordan vil I vurdere fremskridt undervejs?"),
        ("sharer", "Skal I kompenseres for jeres hjælp, fx økonomisk?"),
        ("reuser", "Hvad har de andre ikke testet, som I kunne teste?"),
        ("reuser", "Hvilke kontakter skal I selv finde?"),
        ("sharer", "Det mangler vi stadig at fjerne, aflære og revidere"),
        ("reuser", "Risikohåndtering"),
        ("sharer", "Hvad kan I ellers lade jer inspirere af hos de andre?"),
        (
            "reuser",
            "Hvad har I fået ud af at genbruge/tilpasse en eksisterende løsning frem for at begynde helt forfra?",
        ),
    ],
)
def test_questions_from_the_guide_are_on_their_side(side, text):
    texts = {
        " ".join(filter(None, [q.text, q.follow_up]))
        for q in GUIDE.all_questions()
        if side in q.sides
    }
    assert any(text in t or t in text for t in texts), text
