"""The simulated people: one vocabulary for every channel, and buttons read by their intent."""

from __future__ import annotations

from bot.engine import callbacks as cb
from bot.engine import intents
from devtools.people.buttons import (
    adapting,
    agreeing,
    answer_button,
    default_guide,
    kind_of,
    means,
    question_by_ref,
    skippable_question,
    typed_value,
)
from devtools.people.engine import Person
from devtools.people.protocol import Participant
from devtools.people.telegram import TgPerson


def test_every_driver_speaks_the_shared_vocabulary():
    assert issubclass(Person, Participant) and issubclass(TgPerson, Participant)


def test_a_question_is_answered_by_its_first_option_or_by_skipping_its_follow_up():
    ref = cb.question_ref("describe.purpose")
    skip = cb.encode(intents.Skip(1, ref, intents.LATER))
    first, second = (cb.encode(intents.Choose(1, ref, option)) for option in ("yes", "no"))
    follow_up = cb.encode(intents.SkipFollowUp(1, ref))
    assert answer_button([cb.encode(intents.Back(1)), skip, first, second]) == first
    assert answer_button([follow_up, second]) == second  # a choice before a follow-up's skip
    assert answer_button([cb.encode(intents.Pause(1)), follow_up]) == follow_up
    assert answer_button([skip, cb.encode(intents.Back(1))]) is None
    assert skippable_question([cb.encode(intents.Back(1)), skip]) == ref
    assert skippable_question([first, "garbage"]) is None


def test_buttons_are_read_by_intent_never_by_their_wire_format():
    agree = cb.encode(intents.SignOff(1, "check", intents.AGREE))
    changes = cb.encode(intents.SignOff(1, "check", intents.CHANGES))
    assert means(agreeing, agree) and not means(agreeing, changes)
    assert means(intents.SignOff, changes) and means(intents.Choose | intents.SignOff, changes)
    assert means(adapting, cb.encode(intents.Choose(1, "abcdef", "adapt")))
    assert not means(adapting, cb.encode(intents.Choose(1, "abcdef", "adopt")))
    assert not means(intents.SignOff, "g:" + "9" * 30)  # malformed data means nothing


def test_a_typed_answer_fits_the_kind_of_question_the_guide_gives():
    guide = default_guide()
    amount = next(q for q in guide.all_questions() if q.kind == "amount")
    assert question_by_ref(guide, cb.question_ref(amount.key)) == amount
    assert kind_of(guide, amount.key) == "amount" and kind_of(guide, None) is None
    assert typed_value("amount", "Svar") == "250000 DKK" and typed_value("date", "Svar") == "31-12-2026"
    assert typed_value("text", "Svar") == "Svar" and typed_value(None, "Svar") == "Svar"
