"""The stories many tests start from, written once: two organisations, a phase answered, a phase agreed.

The engine's people (`devtools.people.engine`) are synchronous, Telegram's (`TgPerson`) are awaited;
a story told in both has a version for each.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import intents
from bot.engine.engine import Engine
from devtools.fake_telegram import FakeTelegram
from devtools.people.buttons import agreeing, closing_confirmed, means, skippable_question
from devtools.people.engine import Person, World, invite_token
from devtools.people.telegram import TgPerson, invite_tokens


def start_project(world: World) -> tuple[Person, Person, Person, Person]:
    """Anna (sharer) creates the project; Bo joins her team; Carl (reuser) and Dina join theirs."""
    anna, bo, carl, dina = (world.person(n) for n in ("anna", "bo", "carl", "dina"))
    assert "Spredningsguiden" in anna.says("/start")
    assert "Hvad hedder innovationen" in anna.presses("Start et projekt")
    assert "Hvilken side" in anna.says("Digital genoptræning")
    assert "organisation" in anna.presses("Vi vil dele")
    created = anna.says("Aarhus Kommune")
    assert "Projektet Digital genoptræning er oprettet" in created
    partner, team = invite_token(created, 0), invite_token(created, 1)
    assert "Velkommen til Digital genoptræning" in bo.says(f"/start {team}")
    welcome = carl.says(f"/start {partner}")
    assert "Velkommen" in welcome and "Vi vil genbruge" in welcome
    carl.says("Odense Kommune")
    assert "Carl er kommet med" in anna.received()
    carl_team = invite_token(carl.says("/invite"), 1)
    assert "Velkommen" in dina.says(f"/start {carl_team}")
    return anna, bo, carl, dina


def aarhus_and_odense(world: World, group: str = "aarhus") -> tuple[Person, Person, Person]:
    """Anna creates "Digital genoptræning" for Aarhus Kommune (the sharer) and links the team group
    `group`; Bo joins her team; Carl joins for Odense Kommune (the reuser)."""
    anna, bo, carl = (world.person(n) for n in ("anna", "bo", "carl"))
    anna.says("/start")
    anna.presses("Start et projekt")
    anna.says("Digital genoptræning")
    anna.presses("Vi vil dele")
    created = anna.says("Aarhus Kommune")
    partner, team = invite_token(created, 0), invite_token(created, 1)
    bo.says(f"/start {team}")
    assert "teamchat" in anna.says(f"/start {team}", in_group=group)
    carl.says(f"/start {partner}")
    carl.says("Odense Kommune")
    return anna, bo, carl


Action = Callable[[Person], object]


def pending(person: Person) -> bool:
    """Whether the bot is waiting for an answer from this person (a question or a follow-up)."""
    messages = person.world.inbox.messages[person.chat_id]
    data = [b.data for b in (b for row in messages[-1].buttons for b in row)] if messages else []
    return skippable_question(data) is not None or any(means(intents.SkipFollowUp, d) for d in data)


def answer_phase_with(person: Person, custom: dict[str, Action]) -> None:
    """Answer the current phase; questions whose text contains a key of `custom` get that action."""
    person.says("/continue")
    for _ in range(300):
        if not pending(person):
            return
        last = person.last_text()
        action = next((act for key, act in custom.items() if key in last), None)
        if action is None:
            person.answer_all_once()
        else:
            action(person)
    raise AssertionError("too many questions")


def answer_phase(person: Person, text: str = "Svar") -> str:
    """`/continue`, then answer every question of the phase; what the last answer was told."""
    person.says("/continue")
    return person.answer_all(text)


def agree(*people: Person) -> str:
    """Each presses "we agree" on the phase offered for sign-off, in turn (and confirms it, when
    agreeing closes the project); what the last was told."""
    said = ""
    for person in people:
        said = person.presses(agreeing)
        if person.offers(closing_confirmed):
            said = person.presses(closing_confirmed)
    return said


def agree_phase(sharer: Person, reuser: Person) -> str:
    """Both sides answer the current phase and agree on it; what the reuser was told at the end."""
    answer_phase(sharer)
    answer_phase(reuser)
    return agree(sharer, reuser)


async def two_organisations(tg: FakeTelegram) -> tuple[TgPerson, TgPerson, TgPerson, str]:
    """In Telegram: Anna (sharer) creates the project; Carl (reuser) joins from her link; Eve is in no
    project. Returns them and the team token."""
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    carl = TgPerson(tg, tg.user(2002, "Carl", "da"))
    eve = TgPerson(tg, tg.user(3003, "Eve", "da"))
    greeting = await anna.says("/start")
    assert greeting.startswith("Hej Anna! 👋") and "Spredningsguiden" in greeting
    assert anna.buttons() == ["➕ Start et projekt", "🔗 Deltag i et projekt"]
    assert "Hvad hedder innovationen" in await anna.presses("Start et projekt")
    await anna.says("Digital genoptræning")
    await anna.presses("Vi vil dele")
    created = await anna.says("Aarhus Kommune")
    partner, team, group = invite_tokens(created)
    assert f"https://t.me/{tg.bot_username}?start={partner}" in created
    assert f"?startgroup={group}" in created and group == team
    welcome = await carl.says(f"/start {partner}")
    assert "Velkommen til Digital genoptræning" in welcome
    await carl.says("Odense Kommune")
    assert "Carl er kommet med i Digital genoptræning" in anna.got(0)
    return anna, carl, eve, team


def signoffs_of(engine: Engine, person: str, phase_id: str = "check") -> int:
    """How many sign-offs of a phase are stored for the side of the simulated `person` ("anna")."""
    with engine.unit_of_work() as uow:
        found = uow.people.by_external_id(f"test:{person}")
        assert found is not None
        project, side = uow.members.memberships(found.id)[0]
        return sum(s.side_id == side.id for s in uow.signoffs.of_phase(project.id, phase_id))


def drafting_now(intent: intents.Intent) -> bool:
    """"Yes, we draft the benefits plan now"."""
    return isinstance(intent, intents.Choose) and intent.option == "now"


def reach(person: Person, key: str) -> None:
    """Answer the person's questions (drafting the benefits plan now) until the one with `key` is asked."""
    person.says("/continue")
    for _ in range(100):
        asked = person.world.inbox.newest_question(person.chat_id)
        if asked is not None and asked.topic is not None and asked.topic.question_key == key:
            return
        if person.offers(drafting_now):
            person.presses(drafting_now)
        else:
            person.answer_all_once()
    raise AssertionError(f"{key} was never asked")
