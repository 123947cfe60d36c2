"""Quiet and useful: what each person receives over a whole project, counted per phase.

Two organisations; Aarhus (sharer) is Anna and Bo with a team group, Odense (reuser) is Carl. Anna
answers the first tool of each phase in private, Bo the rest in the team group, Carl all of his side
in private; then both sides sign off. A minute passes between inputs, and nudges are sent when due."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.app import compose_engine
from bot.console import plain
from bot.engine import intents
from bot.engine.intents import Intent
from bot.engine.model import GROUP, ButtonInput, Chat, Message
from devtools.people.buttons import (
    adapting,
    agreeing,
    answer_button,
    kind_of,
    means,
    question_by_ref,
    skippable_question,
    typed_value,
)
from devtools.people.engine import Clock, Person, World
from devtools.people.scenarios import aarhus_and_odense, agree

GROUP_ID = "aarhus"
PHASES = ("Tjek", "Test", "Tilpas", "Fjern", "Brug", "Høst")
MAX_NOTIFICATIONS = 6  # per person on the side that is not acting, per phase
MAX_NOTIFICATION_CHARS = 4_000




def in_group(person: Person) -> None:
    """Answer the side's questions in the team group until the bot stops asking there."""
    chat = f"group:{GROUP_ID}"
    for _ in range(150):
        last = person.world.inbox.messages[chat][-1]
        data = [b.data for row in last.buttons for b in row]
        if choice := answer_button(data):
            person.send(ButtonInput(choice), Chat(chat, GROUP))
        elif last.topic is not None and last.force_reply:
            kind = kind_of(person.world.engine.guide, last.topic.question_key)
            person.says(typed_value(kind, "Svar fra gruppen"), in_group=GROUP_ID, reply_to=last)
        else:
            return
    raise AssertionError("the bot kept asking in the group")


def latest(person: Person, chat: str | None = None) -> Message:
    """The newest message in the chat that is not a notification (a nudge may arrive after a question)."""
    return next(m for m in reversed(person.world.inbox.messages[chat or person.chat_id]) if not m.notification)


def step(person: Person) -> bool:
    """Answer what the bot asks in private (choices: the first option); False when it asks nothing."""
    last = latest(person)
    data = [b.data for row in last.buttons for b in row]
    if choice := answer_button(data):
        person.send(ButtonInput(choice))
    elif (ref := skippable_question(data)) is not None:
        question = question_by_ref(person.world.engine.guide, ref)
        person.says(typed_value(question.kind if question else None, "Svar"))
    else:
        return False
    return True


def first_tool(person: Person) -> None:
    """Answer the questions of the tool now being asked, in private."""
    tool = tool_asking(person)
    while tool is not None and tool_asking(person) == tool and step(person):
        pass


def tool_asking(person: Person) -> str | None:
    """The tool whose question is on screen in the person's private chat, None for no question."""
    topic = latest(person).topic
    guide = person.world.engine.guide
    if topic is None or not guide.has_question(topic.question_key):
        return None
    return guide.question(topic.question_key).tool_id


def answer_side(person: Person, adapt: bool = False) -> None:
    for _ in range(200):
        data = [b.data for row in latest(person).buttons for b in row]
        if adapt and any(means(adapting, d) for d in data):
            person.presses(adapting)
        elif any(means(leaving_open, d) for d in data):
            person.presses(leaving_open)
        elif not step(person):
            return
    raise AssertionError("the bot kept asking")


def leaving_open(intent: Intent) -> bool:
    """Leave the questions skipped for later open (and go on to the sign-off)."""
    return isinstance(intent, intents.LaterChoice) and intent.choice == intents.LEAVE_OPEN


def signs_off(person: Person) -> None:
    person.says("/continue")
    if any(means(agreeing, b.data) for row in latest(person).buttons for b in row):
        agree(person)


def whole_project(world: World) -> tuple[dict, dict]:
    """Run the project; returns per (person, phase): received messages, and the chats' messages."""
    anna, bo, carl = aarhus_and_odense(world, GROUP_ID)
    reads = {"anna": [anna.chat_id, f"group:{GROUP_ID}"], "bo": [bo.chat_id, f"group:{GROUP_ID}"],
             "carl": [carl.chat_id]}
    received: dict[tuple[str, str], list[Message]] = defaultdict(list)
    for phase in PHASES:
        marks = {chat: len(world.inbox.messages[chat]) for chats in reads.values() for chat in chats}
        anna.says("/continue")
        first_tool(anna)
        bo.says("/continue", in_group=GROUP_ID)
        in_group(bo)
        carl.says("/continue")
        answer_side(carl, adapt=True)
        anna.says("/continue")
        answer_side(anna)
        signs_off(anna)
        signs_off(carl)
        for name, chats in reads.items():
            for chat in chats:
                received[name, phase].extend(world.inbox.messages[chat][marks[chat]:])
        if "Alle faser er gennemført" in anna.received():
            break
    return received, reads


def table(received: dict) -> str:
    rows = ["person  phase   messages  characters  notifications  notification chars"]
    for (name, phase), messages in received.items():
        notes = [m for m in messages if m.notification]
        rows.append(f"{name:7} {phase:7} {len(messages):8}  {sum(len(m.text) for m in messages):10}  "
                    f"{len(notes):13}  {sum(len(m.text) for m in notes):18}")
    return "\n".join(rows)


def test_a_whole_project_is_quiet_for_everyone(database, content):
    clock = Clock()
    guide, catalogs = content
    world = World(
        compose_engine(guide, catalogs, database.unit_of_work, clock=clock), deliver_due=True, tick=clock.tick
    )
    received, reads = whole_project(world)
    print("\n" + table(received))
    assert ("anna", "Høst") in received, "the project did not reach Høst"
    for (name, phase), messages in received.items():
        notes = [m for m in messages if m.notification]
        assert len(notes) <= MAX_NOTIFICATIONS, (name, phase, [plain(m.text)[:60] for m in notes])
        assert sum(len(m.text) for m in notes) <= MAX_NOTIFICATION_CHARS, (name, phase)
        assert not any(len(m.text) > 2_000 for m in notes), "a long summary was pushed unasked"
    for chat, messages in world.inbox.messages.items():
        nudges = [(m.text, m.buttons) for m in messages if m.notification]
        assert len(nudges) == len(set(nudges)), f"{chat} got the same notification twice"


# ---- one notification per person per event -----------------------------------------------------

@pytest.fixture
def team(database, content):
    """Anna and Bo (Aarhus, with a team group both write in) and Carl (Odense); nudges held."""
    clock = Clock()
    guide, catalogs = content
    world = World(compose_engine(guide, catalogs, database.unit_of_work, clock=clock), hold_nudges=True)
    anna, bo, carl = aarhus_and_odense(world, GROUP_ID)
    bo.says("/continue", in_group=GROUP_ID)
    world.deliver_nudges()
    return world, clock, anna, bo, carl


def nudges(world: World, chat: str, since: int) -> list[str]:
    return [plain(m.text) for m in world.inbox.messages[chat][since:] if m.notification]


def test_a_member_in_the_team_group_is_told_there_once_unless_they_choose_otherwise(team):
    world, clock, anna, bo, carl = team
    group = f"group:{GROUP_ID}"
    marks = {chat: len(world.inbox.messages[chat]) for chat in (anna.chat_id, bo.chat_id, group)}
    carl.says("/continue")
    carl.presses_label_exactly("Nej")  # "Er løsningen umiddelbart interessant?" – then "Hvorfor?"
    carl.says("Vi har en løsning allerede.")
    answer_side(carl)  # the rest of Tjek, to the go decision
    world.deliver_nudges()
    told = nudges(world, group, marks[group])
    assert any("truffet en beslutning" in n for n in told)
    assert nudges(world, anna.chat_id, marks[anna.chat_id]) == [] and nudges(world, bo.chat_id, marks[bo.chat_id]) == []
    # Bo wants it privately as well.
    bo.says("/settings")
    assert "Beskeder om projektet får du: i teamgruppen" in bo.last_text()
    bo.presses("Begge steder")
    marks = {chat: len(world.inbox.messages[chat]) for chat in (anna.chat_id, bo.chat_id, group)}
    carl.presses("Vi er enige") if "Vi er enige" in " ".join(carl.buttons()) else carl.says("/continue")
    anna.says("/continue")
    answer_side(anna)
    world.deliver_nudges()
    assert nudges(world, bo.chat_id, marks[bo.chat_id]), "Bo chose to be told privately too"
    assert nudges(world, anna.chat_id, marks[anna.chat_id]) == [], "Anna is told in the group"


def test_nobody_is_told_about_their_own_action_and_teammates_once(team):
    world, clock, anna, bo, carl = team
    group = f"group:{GROUP_ID}"
    anna.says("/continue")
    answer_side(anna)
    carl.says("/continue")
    answer_side(carl)
    world.deliver_nudges()
    marks = {chat: len(world.inbox.messages[chat]) for chat in (anna.chat_id, bo.chat_id, group)}
    assert "venter på, at I tager stilling" in anna.says("/continue")  # she saw the card in the group
    anna.presses("Vi er enige")
    world.deliver_nudges()
    assert nudges(world, group, marks[group]) == [], "Anna reads the group: it is not told what she just did"
    assert nudges(world, anna.chat_id, marks[anna.chat_id]) == []
    assert nudges(world, bo.chat_id, marks[bo.chat_id]) == [
        "✅ Anna har godkendt Fase 1: Tjek for jer i Digital genoptræning."]


def test_a_decision_that_finishes_a_tool_is_one_nudge_and_nothing_stale_follows_the_card(team):
    world, clock, anna, bo, carl = team
    group = f"group:{GROUP_ID}"
    carl.says("/continue")
    answer_side(carl)  # all of Tjek for Odense: tools finished, the go decision
    mark = len(world.inbox.messages[group])
    world.deliver_nudges()
    told = nudges(world, group, mark)
    bo_mark = len(world.inbox.messages[bo.chat_id])
    anna.says("/continue")
    answer_side(anna)  # Aarhus finishes too: the card (to Bo privately, as Anna reads the group)
    world.deliver_nudges()
    told += nudges(world, group, mark + len(told)) + nudges(world, bo.chat_id, bo_mark)
    assert sum("truffet en beslutning" in n for n in told) == 1
    assert not any("Afstem forventninger" in n and "📬" in n for n in told), "the decision's tool is in its nudge"
    card = next(i for i, n in enumerate(told) if "Her er det vigtigste" in n)
    assert not any("📬" in n for n in told[card:]), "a tools nudge arrived after the phase card"
    assert all(len(n) < 1_300 for n in told)
    # The card was sent to the group: /continue there and /summary show the buttons, not the card again.
    again = bo.says("/continue", in_group=GROUP_ID)
    assert "venter på, at I tager stilling" in again and "Her er det vigtigste" not in again
    assert "Vi er enige" in " ".join(b.label for row in world.inbox.messages[group][-1].buttons for b in row)
    anna.says("/summary")
    assert "Vi er enige" in " ".join(anna.buttons())
