"""What is signed is what was shown: a card carries the version of the answers on it, an edit after it
went out sends it again headed with what changed, and an older card's "We agree" records nothing."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.model import ButtonInput
from devtools.people.buttons import agreeing
from devtools.people.engine import Person
from devtools.people.scenarios import agree, answer_phase, signoffs_of, start_project


def edit_purpose(person: Person, text: str) -> str:
    person.says("/mine")
    person.presses("Beskriv innovationen")
    person.presses(intents.Edit)  # the first question of the tool: "Hvad er formålet?"
    return person.says(text)


def test_an_edit_after_the_card_sends_it_again_with_the_change_and_the_old_card_agrees_nothing(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna, "Borgerne ventede for længe")
    answer_phase(carl)
    world.deliver_nudges()
    old_card = carl.button(agreeing)  # the card Carl was sent
    anna.presses(agreeing)
    world.hold_nudges = True
    edit_purpose(anna, "Genoptræning hjemme")
    edit_purpose(anna, "Genoptræning hjemme, så borgerne bliver selvhjulpne")  # two edits, one card
    pressed = carl.send(ButtonInput(old_card.data))
    shown = carl.text_of(pressed, carl.chat_id)
    assert "Svarene er ændret, siden kortet blev sendt" in shown and pressed.notice
    assert "Begge organisationer har svaret" in shown  # the card as it is now, with its buttons
    assert "Aarhus Kommune (Vi vil dele) godkendte svarene, før de blev ændret" in shown
    assert signoffs_of(world.engine, "carl") == 0
    before = {p.name: len(p.received()) for p in (bo, carl, dina)}
    world.deliver_nudges()
    news = {p.name: p.received()[before[p.name]:] for p in (bo, carl, dina)}
    assert news["carl"] == ""  # he has just been shown the card as it is now
    for name in ("bo", "dina"):
        assert news[name].count("Svar i Fase 1: Tjek er ændret, siden kortet blev sendt") == 1, name
        assert ("»Hvad er formålet?«: »Borgerne ventede for længe« → "
                "»Genoptræning hjemme, så borgerne bliver selvhjulpne« (Anna)") in news[name], name
    world.hold_nudges = False
    assert "I har godkendt" in carl.presses(agreeing)  # on the card as it is now
    assert "Begge organisationer har aftalt Fase 1: Tjek" in anna.presses(agreeing)


def test_an_edit_in_an_agreed_phase_tells_both_sides_what_changed_by_whom_and_that_the_agreement_lapsed(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna, "Borgerne ventede for længe")
    answer_phase(carl)
    agree(anna, carl)
    before = {p.name: len(p.received()) for p in (bo, carl, dina)}
    edit_purpose(anna, "Genoptræning hjemme")
    for person in (bo, carl, dina):
        news = person.received()[before[person.name]:]
        assert news.count("Svar i Fase 1: Tjek er ændret, efter I havde aftalt fasen") == 1, person.name
        assert "»Hvad er formålet?«: »Borgerne ventede for længe« → »Genoptræning hjemme« (Anna)" in news
        assert "Aftalen gælder ikke længere" in news
    assert "Begge organisationer har aftalt Fase 1: Tjek" in agree(carl, anna)


def test_an_answer_given_again_unchanged_after_the_card_changes_nothing_and_tells_nobody(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna, "Borgerne ventede for længe")
    answer_phase(carl)
    world.deliver_nudges()
    anna.presses(agreeing)
    before = {p.name: len(p.received()) for p in (bo, carl, dina)}
    assert edit_purpose(anna, "Borgerne ventede for længe").startswith("✓ Gemt.")
    world.deliver_nudges()
    assert {p.name: p.received()[before[p.name]:] for p in (bo, carl, dina)} == {"bo": "", "carl": "", "dina": ""}
    assert "Begge organisationer har aftalt Fase 1: Tjek" in carl.presses(agreeing)  # Anna's sign-off holds
