"""The summary's open points are what is still open: a question put off is one, a question marked
"not relevant" is an answer and is not."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.intents import Intent
from devtools.people.scenarios import start_project


def skipping(how: str):
    def means(intent: Intent) -> bool:
        return isinstance(intent, intents.Skip) and intent.how == how

    return means


def test_not_relevant_is_no_open_point_and_a_put_off_question_is_listed_once(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.presses(skipping(intents.NOT_RELEVANT))  # Hvad er formålet?
    anna.presses(skipping(intents.LATER))  # the second question of the tool
    summary = anna.says("/summary")
    open_points = summary.split("Åbne punkter", 1)[1].split("Beslutninger", 1)[0].split("Godkendelse", 1)[0]
    assert "Hvad er formålet?" not in open_points
    assert open_points.count("sprunget over til senere") == 1
    assert "Hvad er formålet?" in summary.split("Åbne punkter", 1)[0]  # shown with its tool, as not relevant
