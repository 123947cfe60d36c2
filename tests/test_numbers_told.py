"""Amounts and dates in the conversation: each organisation's currency, what was stored said back,
two readings asked about with buttons, nothing stored until one is chosen – as transcripts."""

from __future__ import annotations

import pytest

from bot.engine import intents
from devtools.people.engine import Person, World, invite_token
from devtools.people.scenarios import reach

GROSS_OWN, NET_OWN, FOLLOW_WHEN = "benefits_draft.gross_own", "benefits_draft.net_own", "benefits_draft.follow_when"


def flat(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def reading(amount_in_hundredths: str) -> object:
    return lambda intent: isinstance(intent, intents.PickReading) and intent.first == amount_in_hundredths


def currency(code: str) -> object:
    return lambda intent: isinstance(intent, intents.SetCurrency) and intent.currency == code


def shares(person: Person, project: str, organisation: str) -> str:
    """The person starts `project` as the sharer for `organisation`; what the bot said last."""
    person.says("/start")
    person.presses(intents.NewProject)
    person.says(project)
    person.presses(lambda intent: isinstance(intent, intents.ChooseSide) and intent.side == "sharer")
    return person.says(organisation)


def bergen(world: World) -> tuple[Person, Person, Person]:
    """Anna (Danish) shares for Aarhus Kommune; Kari (Norwegian) and John (English) reuse for Bergen kommune."""
    anna, kari, john = world.person("anna"), world.person("kari", "nb"), world.person("john", "en")
    created = shares(anna, "Digital genoptræning", "Aarhus Kommune")
    assert "Beløb uden valuta regner jeg i DKK" in created
    kari.says(f"/start {invite_token(created, 0)}")
    assert "Beløp uten valuta regner jeg i NOK" in kari.says("Bergen kommune")
    john.says(f"/start {invite_token(kari.says('/invite'), 1)}")
    return anna, kari, john


def test_a_norwegian_types_crowns_the_norwegian_way_and_is_told_what_was_stored(world):
    anna, kari, john = bergen(world)
    reach(kari, GROSS_OWN)
    assert "✓ Lagret: 900 000 kr (NOK)" in flat(kari.says("900.000 NOK"))
    assert "✓ Lagret: -50 000 kr (NOK)" in flat(kari.says("-50.000 kr"))  # a net loss is a real outcome


def test_an_english_speaker_in_bergen_counts_in_nok_and_chooses_between_two_readings(world):
    anna, kari, john = bergen(world)
    reach(john, GROSS_OWN)
    assert "✓ Saved: NOK200,000" in flat(john.says("200 000 kr"))
    asked = flat(john.says("1.250"))
    assert "What do you mean by “1.250”?" in asked and "Saved" not in asked
    labels = john.buttons()
    assert "NOK1.25" in labels and "NOK1,250" in labels
    john.says("/mine")
    assert "NOK1,250" not in flat(john.last_text()), "nothing is stored until a reading is chosen"
    assert "✓ Saved: NOK1,250" in flat(john.presses(reading("125000")))
    assert john.world.inbox.newest_question(john.chat_id).topic.question_key != NET_OWN  # it went on


def test_a_date_is_said_back_a_month_alone_is_its_first_day_and_an_impossible_one_is_refused(world):
    anna, kari, john = bergen(world)
    reach(john, FOLLOW_WHEN)
    refused = john.says("31-02-2027")
    assert "That date does not exist" in refused and "Saved" not in refused
    assert john.world.inbox.newest_question(john.chat_id).topic.question_key == FOLLOW_WHEN
    assert "✓ Saved: June 1, 2027 (the first of the month)" in john.says("June 2027")


def test_an_organisation_whose_currency_is_unclear_is_asked_and_can_change_it_in_settings(world):
    eve = world.person("eve", "en")
    created = shares(eve, "Open data portal", "Acme Agency")
    assert "Which currency does Acme Agency work in?" in created
    assert "Amounts without a currency are now saved in EUR." in eve.presses(currency("EUR"))
    assert "Amounts without a currency are saved in: EUR" in eve.says("/settings")
    eve.presses("Change currency")
    changed = eve.presses(currency("SEK"))
    assert "now saved in SEK" in changed and "Amounts already saved keep their currency." in changed


def test_each_organisations_plan_is_totalled_in_its_own_currency(world):
    anna, kari, john = bergen(world)
    reach(anna, GROSS_OWN)
    anna.says("1.000.000")
    reach(kari, GROSS_OWN)
    kari.says("900.000")
    kari.says("100.000 DKK")  # net, in the other organisation's currency: kept apart, never added to NOK
    kari.says("/compare")
    plan = flat(kari.presses("Gevinstrealiseringsplan (utkast)"))
    assert "Aarhus Kommune" in plan and "1 000 000 DKK" in plan
    assert "900 000 kr" in plan and "100 000 DKK" in plan
    assert "1 000 000 kr" not in plan


def test_an_amount_stored_before_it_was_said_back_and_looking_a_thousandth_is_listed_not_rewritten(
        world, database, database_url, capsys):
    import datetime as dt

    from bot.__main__ import main

    anna, kari, john = bergen(world)
    reach(kari, GROSS_OWN)
    kari.says("900.000 NOK")  # read right, and its text kept: not listed
    with database.unit_of_work() as uow:  # as the old reader stored "900.000 NOK" (a thousandth)
        person = uow.people.by_external_id(kari.sender().external_id)
        assert person is not None
        side = next(side for project, side in uow.members.memberships(person.id))
        uow.answers.add(side.id, NET_OWN, "answered", {"amount": "900", "currency": "NOK"}, None,
                        dt.datetime.now(dt.UTC))
        uow.commit()
    assert main(["--database-url", database_url, "check", "--data"]) == 0
    listed = capsys.readouterr().out
    assert "1 stored amount(s) under 1,000 crowns" in listed
    assert f"Digital genoptræning · Bergen kommune · {NET_OWN}: 900 NOK" in listed


def test_two_teammates_pressing_the_same_reading_in_their_group_at_once_store_one_answer(world):
    """In Aarhus' team group Anna answers »1,250«; the bot asks which was meant and Anna and Bo both
    press 1.250 kr. at the same moment: one answer, one confirmation in the group, the other press a
    quiet notice that it is already saved."""
    import threading

    from bot.engine.model import GROUP, ButtonInput, Chat, Input
    from devtools.people.scenarios import aarhus_and_odense

    anna, bo, carl = aarhus_and_odense(world, group="aarhus")
    reach(anna, GROSS_OWN)
    anna.says("/continue", in_group="aarhus")
    assert world.inbox.newest_question("group:aarhus").topic.question_key == GROSS_OWN
    asked = anna.says("1,250", in_group="aarhus")
    assert "Hvad mener du med »1,250«?" in asked
    data = anna.button(reading("125000"), "group:aarhus").data
    group = Chat("group:aarhus", GROUP, "aarhus")
    replies = {}

    def press(person: Person) -> None:
        replies[person.name] = world.engine.handle(Input(person.sender(), group, ButtonInput(data), f"r-{person.name}"))

    threads = [threading.Thread(target=press, args=(person,)) for person in (anna, bo)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    said = [" ".join(m.text for m in reply.messages if m.chat == group.id) for reply in replies.values()]
    assert sum("✓ Gemt: 1.250 kr." in flat(text) for text in said) == 1
    assert sum(text == "" for text in said) == 1  # the later press shows a notice, and says nothing in the group
    assert [flat(r.notice or "") for r in replies.values() if not r.messages or all(m.chat != group.id
                                                                                       for m in r.messages)] \
        == ["Allerede gemt: 1.250 kr. (DKK)"]
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:anna").id)[0][1]
        assert [a.value.get("amount") for a in uow.answers.history(side.id, GROSS_OWN)] == ["1250"]


@pytest.mark.web_page
def test_the_plan_is_totalled_per_currency_on_the_web_page_and_on_page_one_of_the_pdf(world, web):
    import io
    import re

    from pypdf import PdfReader

    from bot.console import parse_line
    from devtools.people.web import link_of

    anna, kari, john = bergen(world)
    reach(anna, GROSS_OWN)
    anna.says("1.000.000")
    reach(kari, GROSS_OWN)
    kari.says("900.000")
    kari.says("100.000 DKK")  # net, in the other organisation's currency: kept apart
    page = flat(re.sub(r"<[^>]+>", " ", web.get(link_of(kari)).text))
    assert "Aarhus Kommune (Vi vil dele): forventet brutto 1 000 000 DKK" in page
    assert "Bergen kommune (Vi vil gjenbruke): forventet brutto 900 000 kr og netto 100 000 DKK" in page
    reply = kari.send(parse_line("/export"))
    pdf = next(d for m in reply.messages for d in m.documents if d.mime == "application/pdf")
    first = flat(PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text())  # what a manager reads first
    assert "Gevinster per år: plan og resultat" in first
    assert "Aarhus Kommune brutto 1 000 000 DKK" in first
    assert "Bergen kommune brutto 900 000 kr\nnetto 100 000 DKK" in first
    for mixed in ("1 000 000 kr", "1 000 000 NOK", "900 000 DKK", "1 900 000"):
        assert mixed not in page and mixed not in first
