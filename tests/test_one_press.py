"""News worth telling, once: a sign-off pressed twice (a double tap, a teammate who presses too) is one
sign-off the other organisation hears of once, and a tool whose every question was put off is not
announced as completed."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.model import ButtonInput
from devtools.people.buttons import agreeing, putting_off
from devtools.people.scenarios import answer_phase, signoffs_of, start_project


def test_a_double_tap_on_we_agree_is_one_signoff_and_one_notice_each(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    answer_phase(carl)
    world.deliver_nudges()
    before = {p.name: p.received().count("har godkendt") for p in (anna, bo, carl, dina)}
    agree_button = anna.button(agreeing)
    first = anna.send(ButtonInput(agree_button.data))
    again = anna.send(ButtonInput(agree_button.data))  # the same button, a moment later
    assert "I har godkendt" in anna.text_of(first, anna.chat_id)
    assert "allerede godkendt" in anna.text_of(again, anna.chat_id) and again.notice
    bo_said = bo.presses(agreeing)  # her teammate, on the card he was sent
    assert "allerede godkendt" in bo_said
    world.deliver_nudges()
    assert signoffs_of(world.engine, "anna") == 1
    told = {p.name: p.received().count("har godkendt") - before[p.name] for p in (bo, carl, dina)}
    assert told == {"bo": 1, "carl": 1, "dina": 1}


def test_a_tool_whose_every_question_was_put_off_is_not_announced_as_completed(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    for _ in range(3):  # the first tool (Beskriv innovationen) has three questions for the sharer
        anna.presses(putting_off)
    world.deliver_nudges()
    assert "har udfyldt værktøjet" not in carl.received()
    anna.says("/mine")  # back to one of the open points: answering it finishes the tool
    anna.presses("Beskriv innovationen")
    anna.presses(intents.Edit)
    anna.says("Borgerne ventede for længe.")
    world.deliver_nudges()
    assert carl.received().count("har udfyldt værktøjet") == 1


def test_two_teammates_pressing_we_agree_at_the_same_moment_in_two_chats_sign_off_once(world, database_url):
    """Anna and Bo press the card's "We agree" at once, each in their own chat. On PostgreSQL the two
    turns run side by side: a table lock held here lets both get as far as their first notice, then
    both go on. Either way one sign-off is stored and Carl and Dina hear of it once."""
    import threading
    import time

    from sqlalchemy import create_engine, text

    from bot.engine.model import PRIVATE, Chat, Input

    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    answer_phase(carl)
    world.deliver_nudges()
    before = {p.name: p.received().count("har godkendt") for p in (carl, dina)}
    presses = [Input(p.sender(), Chat(p.chat_id, PRIVATE), ButtonInput(p.button(agreeing).data), f"together-{p.name}")
               for p in (anna, bo)]
    blocker = create_engine(database_url).connect() if database_url.startswith("postgresql") else None
    if blocker is not None:
        blocker.execute(text("LOCK TABLE outbox IN EXCLUSIVE MODE"))  # reads go on, the first notice waits
    replies: dict[str, str] = {}

    def press(inp: Input) -> None:
        reply = world.engine.handle(inp)
        replies[inp.sender.name] = " ".join(m.text for m in reply.messages)

    threads = [threading.Thread(target=press, args=(inp,)) for inp in presses]
    for thread in threads:
        thread.start()
    if blocker is not None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # both turns are waiting: on the table lock, or on the other turn
            waiting = blocker.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
            if waiting == 2:
                break
            time.sleep(0.02)
        blocker.rollback()
        blocker.close()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted("allerede godkendt" in said for said in replies.values()) == [False, True]
    world.deliver_nudges()
    assert signoffs_of(world.engine, "anna") == 1
    told = {p.name: p.received().count("har godkendt") - before[p.name] for p in (carl, dina)}
    assert told == {"carl": 1, "dina": 1}
