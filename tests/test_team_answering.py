"""A team answers together: every answer lands under the question its author saw, nothing typed is
dropped, follow-ups fit the choice – transcripts of two teammates through the engine."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import compose_engine
from bot.engine import intents
from bot.engine.model import GROUP, PRIVATE, ButtonInput, Chat
from bot.engine.records import ANSWERED
from devtools.people.buttons import means
from devtools.people.engine import Clock, World
from devtools.people.scenarios import aarhus_and_odense, agree
from storage import Database


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def world(database, content, clock):
    guide, catalogs = content
    return World(compose_engine(guide, catalogs, database.unit_of_work, clock=clock))


def team(world: World):
    """Anna and Bo share the sharer side (and a team group); Carl is the reuser."""
    return aarhus_and_odense(world)


def answers(world: World, person: str) -> dict[str, dict]:
    """The person's side's latest answers: question key -> value (answered ones)."""
    with world.engine.unit_of_work() as uow:
        found = uow.people.by_external_id(f"test:{person}")
        _, side = uow.members.memberships(found.id)[0]
        return {k: a.value for k, a in uow.answers.latest(side.id).items() if a.status == ANSWERED}


def test_two_teammates_answer_the_same_question_and_neither_answer_lands_elsewhere(world):
    anna, bo, carl = team(world)
    assert "Hvad er formålet?" in anna.says("/continue")
    assert "Hvad er formålet?" in bo.says("/continue")
    assert "Hvad går løsningen ud på?" in anna.says("Borgerne træner hjemme.")
    # Bo still has "Hvad er formålet?" on screen: his text is not filed under the next question.
    told = bo.says("Færre kørsler til centret.")
    assert "✓ Gemt" not in told
    assert "er besvaret i mellemtiden af Anna" in told and "Borgerne træner hjemme." in told
    assert "describe.solution" not in answers(world, "anna")
    bo.presses("Føj min tekst til")
    purpose = answers(world, "anna")["describe.purpose"]["text"]
    assert "Borgerne træner hjemme." in purpose and "Færre kørsler til centret." in purpose
    assert "describe.solution" not in answers(world, "anna")


def test_replace_and_keep_after_a_teammate_answered(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    bo.says("/continue")
    anna.says("Annas formål")
    bo.says("Bos formål")
    assert "✓ Gemt" in bo.presses("Erstat med min")
    assert answers(world, "anna")["describe.purpose"]["text"] == "Bos formål"
    anna.says("Annas løsning")  # Anna was on "Hvad går løsningen ud på?"
    bo.says("/continue")
    anna.says("/continue")
    bo.says("Bos proces")
    anna.says("Annas proces")
    assert "Behold svaret" in " ".join(anna.buttons())
    anna.presses("Behold svaret")
    assert answers(world, "anna")["describe.process"]["text"] == "Bos proces"
    assert "Annas proces" not in str(answers(world, "anna"))


def test_a_reply_in_the_group_belongs_to_the_question_replied_to(world):
    anna, bo, carl = team(world)
    assert "Hvad er formålet?" in anna.says("/continue", in_group="aarhus")
    purpose_message = anna.question_on_screen("aarhus")
    assert "Hvad går løsningen ud på?" in anna.says("Annas formål", in_group="aarhus", reply_to=purpose_message)
    solution_message = anna.question_on_screen("aarhus")
    # Bo, in his private chat, answers the same question as the group now shows.
    assert "Hvad går løsningen ud på?" in bo.says("/continue")
    assert "Hvordan forløb processen?" in bo.says("Bos løsning")
    # In the group, Anna replies to "løsning" and Bo to the older "formål" message.
    told = anna.says("Annas løsning", in_group="aarhus", reply_to=solution_message)
    assert "er besvaret i mellemtiden af Bo" in told and "Bos løsning" in told
    told = bo.says("Bos tilføjelse", in_group="aarhus", reply_to=purpose_message)
    assert "er besvaret i mellemtiden af Anna" in told and "Annas formål" in told
    bo.presses("Føj min tekst til", in_group="aarhus")
    saved = answers(world, "anna")
    assert saved["describe.purpose"]["text"] == "Annas formål\n\nBos tilføjelse"
    assert saved["describe.solution"]["text"] == "Bos løsning"
    assert "describe.process" not in saved


def test_a_long_text_split_by_telegram_is_one_answer(world, clock):
    anna, bo, carl = team(world)
    anna.says("/continue")
    first = "Borgerne træner hjemme. " * 170  # 4,080 characters: Telegram's first part
    assert len(first) > 4000
    anna.says(first.strip())
    clock.advance(1)
    joined = anna.says("Og resten af teksten.")
    assert "Resten af din lange tekst er føjet til svaret" in joined
    saved = answers(world, "anna")
    assert saved["describe.purpose"]["text"].endswith("Og resten af teksten.")
    assert "describe.solution" not in saved
    # A short answer followed by more text a while later is two answers.
    clock.advance(60)
    anna.says("Løsningen er en app.")
    assert answers(world, "anna")["describe.solution"]["text"] == "Løsningen er en app."


def test_a_long_answer_and_a_quick_short_line_after_it_are_two_inputs(world, clock):
    """3,600 characters is a long answer Telegram sent whole, not the first part of a split one: the
    quick line after it answers the next question shown, and the next question after that is shown."""
    anna, bo, carl = team(world)
    anna.says("/continue")
    long_answer = ("Borgerne træner hjemme. " * 150).strip()  # 3,599 characters
    assert "Hvad går løsningen ud på?" in anna.says(long_answer)
    clock.advance(1)
    told = anna.says("Løsningen er en app.")
    assert "Resten af din lange tekst" not in told and "Hvordan forløb processen?" in told
    saved = answers(world, "anna")
    assert saved["describe.purpose"]["text"] == long_answer
    assert saved["describe.solution"]["text"] == "Løsningen er en app."


def test_a_split_part_is_counted_as_telegram_counts_it(world, clock):
    """Telegram's limit is in UTF-16 units: 2,000 emoji are a first part of 4,000 (joined), though
    Python counts 2,000 characters."""
    anna, bo, carl = team(world)
    anna.says("/continue")
    anna.says("💪" * 2_000)
    clock.advance(1)
    assert "Resten af din lange tekst er føjet til svaret" in anna.says("Og resten.")


def test_text_with_no_question_waiting_is_kept_and_can_be_added_to_the_decision(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    anna.answer_all()  # the whole of Tjek, the go decision included
    told = anna.says("Vi går videre, fordi borgerne er glade.")
    assert "ikke gemt endnu" in told
    assert "Føj til seneste svar" in " ".join(anna.buttons())
    anna.presses("Føj til seneste svar")
    decision = answers(world, "anna")["expectations.go_decision"]
    assert decision["choice"] == "go" and "borgerne er glade" in decision["text"]
    anna.says("Noget helt andet.")
    assert "kasseret" in anna.presses("Kassér teksten")
    assert "Noget helt andet." not in str(answers(world, "anna"))


def test_text_replying_to_no_question_is_kept_and_can_answer_the_next_question(world):
    anna, bo, carl = team(world)
    welcome = next(m for m in world.inbox.messages["group:aarhus"] if "teamchat" in m.text)
    assert welcome.topic is None
    told = bo.says("Formålet er hjemmetræning.", in_group="aarhus", reply_to=welcome)
    assert "ikke gemt endnu" in told and "Hvad er formålet?" in told
    bo.presses("Svar på næste spørgsmål", in_group="aarhus")
    assert answers(world, "bo")["describe.purpose"]["text"] == "Formålet er hjemmetræning."
    assert "Hvad går løsningen ud på?" in bo.last_text("group:aarhus")


def test_no_is_not_followed_by_which(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    for _ in range(60):
        screen = anna.last_text()
        if "Har der været juridiske benspænd" in screen:
            break
        anna.answer_all_once()
    else:
        raise AssertionError("never asked about legal obstacles")
    after = anna.presses_label_exactly("Nej")
    assert "Hvilke?" not in after and "✓ Gemt" in after
    assert answers(world, "anna")["all_angles.legal_obstacles"] == {"choice": "no"}
    assert "Hvordan?" in anna.presses_label_exactly("Ja")  # IT systems: "Yes" → "How?"


# ---- any order of two teammates' inputs -----------------------------------------------------


STEPS = st.lists(st.tuples(st.sampled_from(["anna", "bo", "bo-group"]),
                           st.sampled_from(["continue", "type", "type", "type", "choose"])), min_size=5, max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_in_any_order_every_confirmed_answer_is_stored_under_the_question_its_author_saw(
    tmp_path_factory, content, steps
):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('db') / 'x.sqlite3'}")
    db.upgrade()
    try:
        world = World(compose_engine(*content, db.unit_of_work, clock=Clock()))
        anna, bo, carl = team(world)
        for number, (who, action) in enumerate(steps):
            person = anna if who == "anna" else bo
            group = "aarhus" if who == "bo-group" else None
            chat = f"group:{group}" if group else person.chat_id
            on_screen = world.inbox.newest_question(chat)
            if action == "continue":
                person.says("/continue", in_group=group)
            elif action == "choose":
                if on_screen is None or not on_screen.buttons:
                    continue
                choices = [b for row in on_screen.buttons for b in row if means(intents.Choose, b.data)]
                if choices:
                    person.send(ButtonInput(choices[0].data), Chat(chat, GROUP if group else PRIVATE))
            else:
                text = f"svar-{number}"
                reply = person.says(text, in_group=group, reply_to=on_screen if group else None)
                if "✓ Gemt" in reply:
                    assert on_screen is not None, f"{text} was saved though no question was on screen"
                    with world.engine.unit_of_work() as uow:
                        found = uow.people.by_external_id(f"test:{person.name}")
                        _, side = uow.members.memberships(found.id)[0]
                        history = uow.answers.history(side.id, on_screen.topic.question_key)
                    assert any(text in str(a.value.get("text", "")) for a in history), \
                        f"{text} is not under {on_screen.topic.question_key}, the question {who} saw"
    finally:
        db.dispose()


# ---- questions left for later, decisions ------------------------------------------------------

def answer_until(person, text_in_question: str, limit: int = 80) -> None:
    for _ in range(limit):
        if text_in_question in person.last_text():
            return
        person.answer_all_once()
    raise AssertionError(f"never asked {text_in_question!r}")


def test_questions_left_for_later_come_back_before_the_sign_off(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    assert "Sprunget over" in anna.presses("Senere")  # "Hvad er formålet?" waits as an open point
    offer = anna.answer_all()
    assert "I har sprunget 1 spørgsmål over i" in offer and "Hvad er formålet?" in offer
    assert "Hvad er formålet?" in anna.presses("Besvar dem nu")
    after = anna.says("Hjemmetræning")
    assert "✓ Gemt" in after and "Vi venter på" in after
    assert answers(world, "anna")["describe.purpose"]["text"] == "Hjemmetræning"
    # Left open on purpose: the offer is not repeated.
    bo.says("/continue")
    assert "Vi venter på" in bo.says("/continue")


def test_a_question_left_for_later_again_stays_open(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    anna.presses("Senere")
    anna.answer_all()
    anna.presses("Besvar dem nu")
    again = anna.presses("Senere")
    assert "Vi venter på" in again and "Besvar dem nu" not in " ".join(anna.buttons())


def test_a_decision_cannot_be_not_relevant_and_blocks_the_sign_off_until_taken(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    answer_until(anna, "Vil I gå videre med at sprede innovationen?")
    assert "Ikke relevant for os" not in anna.buttons() and "Senere" in anna.buttons()
    anna.presses("Senere")
    anna.presses("Lad dem stå åbne")
    carl.says("/continue")
    carl.answer_all()
    blocked = anna.says("/continue")
    assert "skal I træffe jeres beslutning" in blocked and "Vil I gå videre" in blocked
    assert "Vi er enige" not in " ".join(anna.buttons())
    anna.presses("Ja, vi går videre")
    anna.says("Borgerne er glade.")
    assert "Vi er enige" in " ".join(anna.buttons())


def test_after_the_other_side_stops_the_rest_of_the_phase_is_one_tap_away(world):
    anna, bo, carl = team(world)
    carl.says("/continue")
    answer_until(carl, "Vil I gå videre med at sprede innovationen?")
    carl.presses("Nej, vi stopper her")
    carl.presses("Spring over")
    shown = anna.says("/continue")
    assert "har besluttet ikke at gå videre" in shown
    done = anna.presses("Direkte til godkendelse")
    assert "står som åbne punkter" in done
    assert "Vi er enige" in " ".join(anna.buttons())
    agree(anna, carl)
    assert "Projektet Digital genoptræning er afsluttet" in anna.last_text("group:aarhus")  # Anna reads the team group


def test_todo_lists_what_waits_on_me_in_every_project_with_one_tap_to_it(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    anna.presses("Senere")
    todo = anna.says("/todo")
    assert "Digital genoptræning" in todo and "det næste: »Hvad går løsningen ud på?«" in todo
    assert "1 spørgsmål sprunget over til senere" in todo
    # A second project of Anna's, where nothing has been answered yet.
    anna.says("/new")
    anna.says("Fælles booking")
    anna.presses("Vi vil dele")
    anna.says("Aarhus Kommune")
    todo = anna.says("/todo")
    assert "Digital genoptræning" in todo and "Fælles booking" in todo
    assert "Hvad går løsningen ud på?" in anna.presses("▶ Digital genoptræning")
    # When both sides have answered, the sign-off waits on both.
    anna.answer_all()
    anna.presses("Lad dem stå åbne")
    carl.says("/continue")
    carl.answer_all()
    assert "Godkend Fase 1: Tjek" in carl.says("/todo")
    carl.presses("Vi ønsker ændringer")
    carl.says("Uddyb formålet, tak.")
    todo = anna.says("/todo")
    assert "har bedt om ændringer: »Uddyb formålet, tak.«" in todo
    assert "Godkend Fase 1: Tjek" in todo
    assert "Intet venter på jer" in carl.says("/todo")  # Carl waits for Aarhus to change something
    # Anna changes an answer: Carl, who asked for changes, gets the card again with what changed (and
    # only then is asked again).
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    anna.presses("✏️")
    anna.says("Genoptræning hjemme, uddybet.")
    card = carl.received().rsplit("Digital genoptræning\n", 1)[-1]
    assert "Svar i Fase 1: Tjek er ændret, efter I bad om ændringer" in card
    assert "»Hvad er formålet?«" in card and "→ »Genoptræning hjemme, uddybet.« (Anna)" in card
    assert "Godkend Fase 1: Tjek" in carl.says("/todo")


def test_reading_views_and_a_language_change_lead_back_to_where_the_person_was(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    anna.says("Annas formål")
    carl.says("/continue")
    for reading in ("/mine", "/theirs", "/compare", "/summary"):
        anna.says(reading)
        assert "▶ Fortsæt" in anna.buttons(), reading
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    assert "Hvad går løsningen ud på?" in anna.presses("▶ Fortsæt")
    carl.says("/language")
    carl.presses("English")
    assert "Is the solution of immediate interest" in carl.presses("▶")


# ---- finding the group link, what a summary says of a plan made in Høst ---------------

def test_group_linking_is_explained_and_a_join_names_the_organisation(world):
    anna, bo, carl = team(world)
    explained = bo.says("/start", in_group="kantine")
    assert "/invite" in explained and "/link" in explained
    assert "teamchat for Aarhus Kommune" in anna.says("/start", in_group="aarhus")
    invites = anna.says("/invite")
    assert "Er jeg allerede med i gruppen? Så skriv dér: /link " in invites
    code = invites.split("skriv dér: /link ")[1].split()[0]
    assert "teamchat" in bo.says(f"/link {code}", in_group="kantine")
    joined = "\n".join(m.text for m in world.inbox.messages["group:aarhus"])  # Aarhus is told in its group
    assert "Carl er kommet med i Digital genoptræning for Odense Kommune" in joined


def test_a_bad_amount_shows_the_question_again_and_a_plan_for_hoest_is_said_once(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    answer_until(anna, "Vil I lave et udkast til gevinstplanen nu?")
    asked = anna.presses("Ja, vi laver et udkast nu")
    assert "bruttogevinst" in asked
    again = anna.says("en hel del")
    assert "som et beløb" in again and "bruttogevinst" in again
    assert "✓ Gemt" in anna.says("1,2 mio. kr.")
    carl.says("/continue")
    answer_until(carl, "Vil I lave et udkast til gevinstplanen nu?")
    carl.presses("Nej, vi laver den i Høst-fasen")
    compared = carl.says("/compare") and carl.presses("Gevinstplan")
    assert "spørgsmål stilles ikke efter svaret »Nej, vi laver den i Høst-fasen«" in compared
    assert compared.count("Ikke besvaret endnu") < 10


def test_text_typed_while_a_draft_waits_joins_it(world):
    anna, bo, carl = team(world)
    anna.says("/continue")
    bo.says("/continue")
    anna.says("Annas formål")
    bo.says("Første del.")
    assert "er besvaret i mellemtiden" in bo.says("Anden del.")
    bo.presses("Føj min tekst til")
    assert answers(world, "anna")["describe.purpose"]["text"] == "Annas formål\n\nFørste del.\n\nAnden del."
