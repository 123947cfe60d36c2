"""A confirmation is never lost: the reply of a handled input is kept with its key and sent again
when the same input arrives again (as a payment API returns the stored response for a repeated
idempotency key)."""

from __future__ import annotations

from bot.console import parse_line
from bot.engine.model import PRIVATE, Chat, Input
from devtools.people.scenarios import start_project


def test_a_redelivered_input_gets_the_reply_the_first_delivery_lost(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    first_question = anna.last_text()
    assert "Hvad er formålet?" in first_question
    answer = Input(anna.sender(), Chat(anna.chat_id, PRIVATE), parse_line("Færre fejl"), "update-500")
    lost = world.engine.handle(answer)  # committed; the process dies before the reply is sent
    assert "✓ Gemt." in lost.messages[0].text
    again = world.engine.handle(answer)  # Telegram delivers the update again
    assert again.duplicate and again.messages == lost.messages and again.notice == lost.notice
    # The answer was stored once, and the conversation goes on from it.
    assert "Hvad går løsningen ud på?" in anna.says("/continue")
    with world.engine.unit_of_work() as uow:
        side = uow.projects.sides(1)[0]
        texts = [a.value.get("text") for key in uow.answers.latest(side.id)
                 for a in uow.answers.history(side.id, key)]
    assert texts.count("Færre fejl") == 1


def test_a_repeated_button_press_gets_its_notice_and_buttons_again(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/theirs")
    press = Input(anna.sender(), Chat(anna.chat_id, PRIVATE), parse_line("/mine"), "update-501")
    first = world.engine.handle(press)
    again = world.engine.handle(press)
    assert again.messages == first.messages and first.messages[0].buttons
