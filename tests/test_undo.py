"""↩ Undo: the answer just given taken back – the previous value (or none) restored as a new
revision, what it queued for others withdrawn, or, once it went out, its readers told once."""

from __future__ import annotations

import pytest

from bot.app import compose_engine
from bot.engine import intents
from bot.engine.model import ButtonInput
from bot.engine.records import UNANSWERED
from devtools.people.buttons import means
from devtools.people.engine import Clock, Person, World
from devtools.people.scenarios import start_project

PURPOSE, SOLUTION, PROCESS = "describe.purpose", "describe.solution", "describe.process"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def world(database, content, clock):
    guide, catalogs = content
    world = World(compose_engine(guide, catalogs, database.unit_of_work, clock=clock))
    world.deliver_due = True  # nudges go out when they are due (ten minutes after the answer), as in production
    return world


def undoing(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.Undo)


def history(world: World, person: str, key: str) -> list[tuple[str, str | None]]:
    """Every revision of the person's side's answer to `key`: (status, text)."""
    with world.engine.unit_of_work() as uow:
        found = uow.people.by_external_id(f"test:{person}")
        _, side = uow.members.memberships(found.id)[0]
        return [(a.status, a.value.get("text")) for a in uow.answers.history(side.id, key)]


def latest(world: World, person: str) -> dict[str, str]:
    with world.engine.unit_of_work() as uow:
        found = uow.people.by_external_id(f"test:{person}")
        _, side = uow.members.memberships(found.id)[0]
        return {k: a.value.get("text", a.status) for k, a in uow.answers.latest(side.id).items()}


def first_tool_but_one(anna: Person) -> None:
    """Anna answers the first tool (Beskriv innovationen) but its last question."""
    anna.says("/continue")
    anna.says("Borgerne ventede for længe.")
    anna.says("En app til genoptræning.")


def test_undo_of_a_first_answer_makes_it_unanswered_again_and_asks_it_again(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    assert "✓ Gemt." in anna.says("Forkert spørgsmål, beklager")
    confirmation = anna.last_reply.messages[0]
    assert "✓ Gemt." in confirmation.text and [means(undoing, b.data) for row in confirmation.buttons for b in row] \
        == [True]
    undone = anna.presses(undoing)
    assert "↩ Fortrudt. »Hvad er formålet?« er ikke besvaret igen." in undone
    assert "Hvad er formålet?" in undone.split("ikke besvaret igen.")[1]  # asked again
    assert latest(world, "anna") == {}
    assert history(world, "anna", PURPOSE) == [("answered", "Forkert spørgsmål, beklager"), (UNANSWERED, None)]
    assert "✓ Gemt." in anna.says("Borgerne ventede for længe.")
    assert latest(world, "anna") == {PURPOSE: "Borgerne ventede for længe."}


def test_undo_of_an_edit_restores_the_previous_answer(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Borgerne ventede for længe.")
    anna.says("/back")
    anna.says("Noget helt andet")  # the question shown again, answered anew: an edit
    assert latest(world, "anna")[PURPOSE] == "Noget helt andet"
    undone = anna.presses(undoing)
    assert "står igen som før" in undone and "Borgerne ventede for længe." in undone
    assert latest(world, "anna")[PURPOSE] == "Borgerne ventede for længe."


def test_undo_withdraws_the_nudge_the_answer_queued_before_it_goes_out(world, clock):
    anna, bo, carl, dina = start_project(world)
    first_tool_but_one(anna)
    anna.says("Vi startede i 2019.")  # the tool is finished: Carl and Dina are to be told in ten minutes
    clock.advance(60)
    anna.presses(undoing)
    clock.advance(15 * 60)
    world.deliver_nudges(due_only=True)
    for reader in (bo, carl, dina):
        assert "har udfyldt værktøjet" not in reader.received()
        assert "fortrudt" not in reader.received()  # nothing went out, so there is nothing to take back
    assert PROCESS not in latest(world, "anna")


def test_undo_after_the_nudge_went_out_tells_the_same_people_once(world, clock):
    anna, bo, carl, dina = start_project(world)
    first_tool_but_one(anna)
    world.deliver_due = False  # the nudge is delivered at once (a short nudge delay)
    anna.says("Vi startede i 2019.")
    told = {p.name: p.received().count("har udfyldt værktøjet") for p in (bo, carl, dina)}
    assert told["carl"] == 1 and told["dina"] == 1
    anna.presses(undoing)
    for reader in (bo, carl, dina):
        taken_back = reader.received().count("Anna har fortrudt sit svar på »Hvordan forløb processen?«")
        assert taken_back == told[reader.name], reader.name
    assert "Spørgsmålet er ikke besvaret igen." in carl.received()


def test_undo_pressed_twice_undoes_once(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Borgerne ventede for længe.")
    button = anna.button(undoing)
    first = anna.send(ButtonInput(button.data))
    again = anna.send(ButtonInput(button.data))
    assert "Fortrudt" in anna.text_of(first, anna.chat_id)
    assert again.notice == "Allerede fortrudt." and anna.text_of(again, anna.chat_id) == ""
    assert history(world, "anna", PURPOSE) == [("answered", "Borgerne ventede for længe."), (UNANSWERED, None)]


def test_undo_lasts_ten_minutes_and_only_until_the_next_answer_here(world, clock):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Borgerne ventede for længe.")
    old = anna.button(undoing)
    anna.says("En app til genoptræning.")  # the next answer: the first one's undo is gone
    refused = anna.send(ButtonInput(old.data))
    assert refused.notice == "Kan ikke fortrydes længere." and "Ret svaret med /mine" in anna.text_of(
        refused, anna.chat_id)
    clock.advance(11 * 60)
    late = anna.presses(undoing)
    assert "kan ikke fortrydes længere" in late
    assert latest(world, "anna") == {PURPOSE: "Borgerne ventede for længe.", SOLUTION: "En app til genoptræning."}
    # Her teammate cannot undo it for her, even with the same button.
    anna.says("/continue")
    anna.says("Vi startede i 2019.")
    assert bo.send(ButtonInput(anna.button(undoing).data)).notice == "Kan ikke fortrydes længere."
    assert PROCESS in latest(world, "anna")


def test_a_skip_can_be_undone_too(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.presses(lambda intent: isinstance(intent, intents.Skip) and intent.how == "l")
    assert latest(world, "anna") == {PURPOSE: "later"}
    assert "er ikke besvaret igen" in anna.presses(undoing)
    assert latest(world, "anna") == {}


def test_answer_undo_answer_again_across_a_team_costs_each_reader_one_notice(world, clock):
    """Anna finishes the first tool, takes the last answer back and gives it again within the nudge
    delay: Carl and Dina (the other organisation) are told once that the tool is finished, nothing of
    the undo; Bo, her teammate, hears nothing. Printed: what each person received in the scenario."""
    anna, bo, carl, dina = start_project(world)
    first_tool_but_one(anna)
    before = {p.name: len(world.inbox.messages[p.chat_id]) for p in (anna, bo, carl, dina)}
    anna.says("Vi startede i 2018.")
    clock.advance(30)
    anna.presses(undoing)
    clock.advance(30)
    anna.says("Vi startede i 2019.")
    clock.advance(15 * 60)
    world.deliver_nudges(due_only=True)
    received = {p.name: [m.text for m in world.inbox.messages[p.chat_id][before[p.name]:]]
                for p in (anna, bo, carl, dina)}
    print({name: len(texts) for name, texts in received.items()})
    assert [t for t in received["carl"] if "har udfyldt værktøjet" in t] and len(received["carl"]) == 1
    assert len(received["dina"]) == 1 and received["bo"] == []
    assert not any("fortrudt" in t for t in received["carl"] + received["dina"])
    assert latest(world, "anna")[PROCESS] == "Vi startede i 2019."
