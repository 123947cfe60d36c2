"""Nothing typed by accident becomes an answer: text with no question on screen is kept and offered,
text that says nothing is refused – and the question stays where it was."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.model import GROUP, Chat, TextInput
from bot.engine.records import ANSWERED
from devtools.people.engine import World
from devtools.people.scenarios import aarhus_and_odense, start_project

PURPOSE, SOLUTION = "describe.purpose", "describe.solution"


def answers(world: World, person: str) -> dict[str, str]:
    """The person's side's latest answered texts: question key -> text."""
    with world.engine.unit_of_work() as uow:
        found = uow.people.by_external_id(f"test:{person}")
        _, side = uow.members.memberships(found.id)[0]
        return {k: a.value.get("text", "") for k, a in uow.answers.latest(side.id).items() if a.status == ANSWERED}


def pausing(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.Pause)


def answering_the_next_question(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.PlaceDraft) and intent.action == "r"


def test_text_typed_after_pause_is_not_filed_and_the_bot_says_where_it_could_go(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Borgerne ventede for længe.")
    assert "⏸ Pause" in anna.presses(pausing)
    told = anna.says("hej")
    assert "ikke gemt endnu" in told and "Hvad går løsningen ud på?" in told
    assert anna.offers(answering_the_next_question)
    assert answers(world, "anna") == {PURPOSE: "Borgerne ventede for længe."}
    world.deliver_nudges()
    assert "har udfyldt værktøjet" not in carl.received()
    # She meant it as the answer after all: one press, and it is.
    assert "✓ Gemt" in anna.presses(answering_the_next_question)
    assert answers(world, "anna")[SOLUTION] == "hej"


def test_after_a_summary_a_view_or_cancel_typed_text_is_not_filed(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    for leaving in ("/summary", "/mine", "/cancel", "/settings"):
        anna.says(leaving)
        assert "ikke gemt endnu" in anna.says(f"tekst efter {leaving}")
    assert answers(world, "anna") == {}
    # /continue shows the question again: now text answers it.
    anna.says("/continue")
    assert "✓ Gemt" in anna.says("Borgerne ventede for længe.")
    assert answers(world, "anna") == {PURPOSE: "Borgerne ventede for længe."}


def test_invisible_or_punctuation_only_text_is_refused_and_the_question_stays(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    assert "Svaret er tomt" in anna.says("\u200b")
    assert "Svaret er tomt" in anna.says("\u200b \u2060\ufeff\n")
    assert "er ikke et svar: der er hverken ord eller tal" in anna.says("...")
    assert "er ikke et svar" in anna.says("–?!")
    assert answers(world, "anna") == {}
    assert "✓ Gemt" in anna.says("👍")  # an emoji says something
    assert answers(world, "anna") == {PURPOSE: "👍"}
    assert "✓ Gemt" in anna.says("\u200bDen ventede\u200b ")  # invisible characters around it go
    assert answers(world, "anna")[SOLUTION] == "Den ventede"


def test_a_refused_line_keeps_the_question_on_screen(world):
    """"Not an answer" is about the question asked: the next line still answers it."""
    anna, bo, carl = aarhus_and_odense(world)
    anna.says("/continue")
    assert "er ikke et svar" in anna.says("?")
    assert "✓ Gemt" in anna.says("Formålet")
    assert answers(world, "anna") == {PURPOSE: "Formålet"}


def test_in_the_team_group_text_that_replies_to_nothing_is_still_ignored(world):
    anna, bo, carl = aarhus_and_odense(world, group="aarhus")
    anna.says("/continue", in_group="aarhus")
    before = len(world.inbox.messages["group:aarhus"])
    reply = bo.send(TextInput("Skal vi tage frokost?"), Chat("group:aarhus", GROUP, "aarhus"))
    assert reply.messages == () and len(world.inbox.messages["group:aarhus"]) == before
    assert answers(world, "anna") == {}
