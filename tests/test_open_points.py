"""The summary's open points are what is still open: a question put off is one, a question marked
"not relevant" is an answer and is not."""

from __future__ import annotations

from devtools.people.buttons import not_relevant, putting_off
from devtools.people.scenarios import start_project


def test_not_relevant_is_no_open_point_and_a_put_off_question_is_listed_once(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.presses(not_relevant)  # Hvad er formålet?
    anna.presses(putting_off)  # the second question of the tool
    summary = anna.says("/summary")
    open_points = summary.split("Åbne punkter", 1)[1].split("Beslutninger", 1)[0].split("Godkendelse", 1)[0]
    assert "Hvad er formålet?" not in open_points
    assert open_points.count("sprunget over til senere") == 1
    assert "Hvad er formålet?" in summary.split("Åbne punkter", 1)[0]  # shown with its tool, as not relevant
