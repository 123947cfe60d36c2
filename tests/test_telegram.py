"""End to end: the real PTB Application (built as `spredning run` builds it) against a fake Bot API.

Two organisations in private chats and a team group go through the Tjek phase to an agreement;
documents, edits, HTML, long messages, forged buttons, blocked people and 429s on the way.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import load_content
from bot.engine import intents
from devtools.people.buttons import agreeing, means
from devtools.people.scenarios import two_organisations
from devtools.people.telegram import TgPerson, invite_tokens, running_bot

CONTENT = load_content(default_locale="en")


@pytest.fixture
def database_url(sqlite_url) -> str:
    """SQLite only: the engine runs inline on the event loop, as `spredning run` runs it there."""
    return sqlite_url


async def test_commands_are_registered_per_language(bot, tg):
    assert {"da", "nb", "en"} <= set(tg.commands)
    names = [c["command"] for c in tg.commands["da"]]
    assert {"continue", "mine", "theirs", "compare", "summary", "projects", "invite", "language", "settings",
            "help", "export"} <= set(names)


async def test_two_organisations_answer_the_check_phase_and_agree(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    first = await anna.says("/continue")
    assert "Hvad er formålet?" in first and "Tjek · værktøj 1/7" in first
    # An answer gets one message: the confirmation with the next question and its buttons.
    mark = tg.mark()
    await anna.says("Færre ventelister")
    reply = [m for m in tg.sent[mark:] if m.chat_id == anna.chat_id]
    assert len(reply) == 1 and reply[0].plain_text.startswith("✓ Gemt.") and "Ikke relevant for os" in anna.buttons()
    assert anna.buttons()[-1] == "↩ Fortryd"  # the confirmation's undo, below the next question's buttons
    done = await anna.answer_all()
    assert "Vi venter på Odense Kommune" in done
    assert "har udfyldt værktøjet" in carl.got(0)  # nudged while Anna worked
    await carl.says("/continue")
    ready = await carl.answer_all()
    assert "Begge organisationer har svaret på alle spørgsmål i Fase 1: Tjek" in ready
    await anna.presses("Vi er enige")
    agreed = await carl.presses("Vi er enige")
    assert "Begge organisationer har aftalt Fase 1: Tjek" in agreed
    assert "Næste fase: Fase 2: Test" in agreed
    # The readiness profile comes as a picture too.
    await carl.says("/compare")
    mark = tg.mark()
    profile = await carl.presses("Spredningsparathed")
    assert "Størst forskel" in profile or "ens" in profile
    pictures = [m for m in tg.sent[mark:] if m.chat_id == carl.chat_id and m.photo is not None]
    assert pictures and pictures[0].photo.content.startswith(b"\x89PNG")
    # Every press was answered, promptly.
    assert len(tg.callback_answers) >= 2
    assert all(a.latency is not None and a.latency < 3 for a in tg.callback_answers)


async def test_user_text_is_shown_literally_and_long_messages_are_split(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    await anna.says("<b>ikke fed</b> & <a href='x'>link</a>")
    long_answer = " ".join(f"ord{n}" for n in range(900)) + " SLUT-1"
    await anna.says(long_answer)
    await anna.says(" ".join(f"mere{n}" for n in range(900)) + " SLUT-2")
    await carl.says("/theirs")
    mark = tg.mark()
    await carl.presses("Beskriv innovationen")
    shown = [m for m in tg.sent[mark:] if m.chat_id == carl.chat_id]
    text = "\n".join(m.plain_text or "" for m in shown)
    assert "<b>ikke fed</b> & <a href='x'>link</a>" in text
    assert "SLUT-1" in text and "SLUT-2" in text
    assert len(shown) >= 2 and all(len(m.plain_text or "") <= 4096 for m in shown)


async def test_documents_are_answers_the_other_side_can_open(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    mark = tg.mark()
    tg.send_document(anna.user, "proces.pdf", b"%PDF-1.4 fake", caption="Vores procesbeskrivelse")
    await anna.settle(mark)
    assert "✓ Gemt." in anna.got(mark)
    await carl.says("/theirs")
    mark = tg.mark()
    await carl.presses("Beskriv innovationen")
    assert "proces.pdf" in carl.got(mark)
    documents = [m for m in tg.sent[mark:] if m.chat_id == carl.chat_id and m.document is not None]
    assert documents and documents[0].document.content == b"%PDF-1.4 fake"


async def test_an_edited_answer_becomes_a_new_revision(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    mark = tg.mark()
    sent = tg.send_text(anna.user, "Første version")
    await anna.settle(mark)
    mark = tg.mark()
    tg.edit_text(anna.user, sent, "Anden version")
    await anna.settle(mark)
    assert "er opdateret" in anna.got(mark)
    await anna.says("/mine")
    assert "Anden version" in await anna.presses("Beskriv innovationen")


async def test_forged_and_foreign_buttons_are_refused_without_data(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/theirs")
    await anna.says("/continue")
    await anna.says("Hemmeligt svar")
    data = anna.last(with_button="Tilbage").callback_data("Tilbage")
    await eve.says("/start")
    mark = tg.mark()
    own_message = eve.last()
    forged = await tg.await_for_answer(tg.press(eve.user, own_message, data), timeout=10)
    garbage = await tg.await_for_answer(tg.press(eve.user, own_message, "garbage:::"), timeout=10)
    await eve.settle()
    assert forged.text and garbage.text  # a notice, not silence
    assert "Hemmeligt" not in eve.got(mark)
    assert "Digital genoptræning" not in eve.got(mark) and "Hemmeligt" not in (forged.text + garbage.text)


async def test_a_team_group_answers_with_force_reply_and_keeps_its_link_as_a_supergroup(bot, tg):
    anna, carl, eve, team = await two_organisations(tg)
    group = tg.group(-4001, "Aarhus team")
    tg.add_bot_to_group(anna.user, group)
    linked = await anna.says(f"/start@{tg.bot_username} {team}", chat=group)
    assert "Denne gruppe er nu teamchat" in linked
    question = await anna.says("/continue", chat=group)
    assert "Hvad er formålet?" in question
    asked = anna.last(group.id)
    assert (asked.reply_markup or {}).get("force_reply") is True
    # A stranger in the group cannot answer for the team; an anonymous admin is not a member either.
    refused = await eve.says("Eves svar", chat=group, reply_to=asked, expect_reply=False)
    assert "Gemt" not in refused
    tg.send_as_channel(group, "Anonymt svar", group)
    await anna.settle()
    saved = await anna.says("Formålet er hjemmetræning", chat=group, reply_to=asked)
    assert "✓ Gemt." in saved
    moved = tg.migrate_group(group, -1004001)
    await anna.settle()
    again = await anna.says("/continue", chat=moved.chat)
    assert "Hvad går løsningen ud på?" in again
    await carl.says("/theirs")
    shown = await carl.presses("Beskriv innovationen")
    assert "Formålet er hjemmetræning" in shown
    assert "Eves svar" not in shown and "Anonymt svar" not in shown
    # Anna leaves the team group: she leaves the team, and reads no answers any more.
    tg.raw_update({"message": {"message_id": 999, "date": 0, "chat": moved.chat.to_dict(),
                               "from": anna.user.to_dict(), "left_chat_member": anna.user.to_dict()}})
    await anna.settle()
    assert "ikke med i et projekt" in await anna.says("/theirs")


async def test_a_blocked_person_is_skipped_and_a_429_delays_but_never_duplicates(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    dina = TgPerson(tg, tg.user(2003, "Dina", "da"))
    carl_invites = await carl.says("/invite")
    await dina.says(f"/start {invite_tokens(carl_invites)[1]}")
    tg.block(carl.chat_id)
    tg.fail_next("sendMessage", status=429, retry_after=1, chat=dina.chat_id)
    await anna.says("/continue")
    for _ in range(40):
        if "Fortæl den gode historie" in anna.last().plain_text:
            break
        last = anna.last()
        data = [b["callback_data"] for b in last.buttons if "callback_data" in b]
        choice = next((d for d in data if means(intents.Choose, d)), None)
        mark = tg.mark()
        if choice:
            tg.press(anna.user, last, choice)
        else:
            tg.send_text(anna.user, "Svar")
        await anna.settle(mark)
    nudge = await tg.await_for(lambda m: "har udfyldt værktøjet" in (m.plain_text or ""), chat=dina.chat_id,
                               timeout=10)
    assert nudge is not None
    await anna.settle()
    nudges = [m for m in tg.messages_to(dina.chat_id) if "har udfyldt værktøjet" in (m.plain_text or "")]
    assert len(nudges) == 1
    with database.unit_of_work() as uow:
        assert uow.people.by_external_id(f"tg:{carl.chat_id}").unreachable


async def test_the_same_update_delivered_twice_gives_one_answer_and_its_reply_again(bot, tg, database):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    mark = tg.mark()
    sent = tg.send_text(anna.user, "Kun én gang")
    saved = lambda m: "✓ Gemt." in (m.plain_text or "")  # noqa: E731
    await tg.await_for(saved, chat=anna.chat_id, since=mark, timeout=15)
    again = tg.mark()
    tg.redeliver(sent)
    await tg.await_for(saved, chat=anna.chat_id, since=again, timeout=15)
    await anna.settle()
    # The reply kept with the update's key is sent again: it may never have arrived the first time.
    replies = [m.plain_text for m in tg.sent[mark:] if m.chat_id == anna.chat_id and "✓ Gemt." in (m.plain_text or "")]
    assert len(replies) == 2 and replies[0] == replies[1]
    with database.unit_of_work() as uow:
        side = uow.projects.sides(1)[0]
        texts = [a.value.get("text") for key in uow.answers.latest(side.id)
                 for a in uow.answers.history(side.id, key)]
    assert texts.count("Kun én gang") == 1


async def test_5xx_and_timeouts_of_the_bot_api_lose_nothing_and_duplicate_nothing(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    # A 502 on the reply: retried, arrives once.
    tg.fail_next("sendMessage", status=502, chat=anna.chat_id)
    mark = tg.mark()
    tg.send_text(anna.user, "Svar trods 502")
    reply = await tg.await_for(lambda m: "✓ Gemt." in (m.plain_text or ""), chat=anna.chat_id, since=mark, timeout=15)
    await anna.settle()
    assert sum("✓ Gemt." in (m.plain_text or "") for m in tg.sent[mark:] if m.chat_id == anna.chat_id) == 1
    assert reply is not None
    # A reply that times out after Telegram accepted it is not sent again.
    tg.delay_next("sendMessage", 6.0, chat=anna.chat_id)
    mark = tg.mark()
    tg.send_text(anna.user, "Svar trods timeout")
    await tg.await_for(lambda m: "✓ Gemt." in (m.plain_text or ""), chat=anna.chat_id, since=mark, timeout=20)
    await anna.settle()
    assert sum("✓ Gemt." in (m.plain_text or "") for m in tg.sent[mark:] if m.chat_id == anna.chat_id) == 1
    # And the bot still serves everyone.
    assert "?" in await carl.says("/continue")


async def test_a_button_is_answered_within_seconds_even_when_the_database_is_slow(tg, database):
    import time

    def slow_unit_of_work():
        time.sleep(3.5)  # a database that takes its time
        return database.unit_of_work()

    # In worker threads, as on PostgreSQL: the press is answered while the turn still waits.
    async with running_bot(tg, CONTENT, slow_unit_of_work, outbox_poll=30, inline=False,
                           nudge_delay=dt.timedelta(0)):
        zoe = tg.user(4004, "Zoe", "da")
        mark = tg.mark()
        tg.send_text(zoe, "/start")
        greeting = await tg.await_for(chat=zoe.id, since=mark, timeout=30)
        pressed = tg.press(zoe, greeting, greeting.callback_data("Start et projekt"))
        answer = await tg.await_for_answer(pressed, timeout=30)
        assert answer.latency is not None and answer.latency < 3.0
        await tg.await_for(lambda m: "Hvad hedder innovationen" in (m.plain_text or ""), chat=zoe.id, timeout=30)


async def test_control_characters_emoji_and_empty_captions_are_handled(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    assert "✓ Gemt." in await anna.says("🎉🚀")
    assert "✓ Gemt." in await anna.says("bip\x07 bop\x00 slut")
    mark = tg.mark()
    tg.send_document(anna.user, "tom.txt", b"x", caption="")
    await anna.settle(mark)
    assert "✓ Gemt." in anna.got(mark)
    await carl.says("/theirs")
    shown = await carl.presses("Beskriv innovationen")
    assert "🎉🚀" in shown and "tom.txt" in shown and "bop" in shown


async def test_in_the_team_group_a_reply_answers_the_question_replied_to(bot, tg, database):
    anna, carl, eve, team = await two_organisations(tg)
    bo = TgPerson(tg, tg.user(1002, "Bo", "da"))
    await bo.says(f"/start {team}")
    group = tg.group(-4002, "Aarhus team")
    tg.add_bot_to_group(anna.user, group)
    await anna.says(f"/start@{tg.bot_username} {team}", chat=group)
    assert "Hvad er formålet?" in await anna.says("/continue", chat=group)
    purpose = anna.last(group.id)
    assert "Hvad går løsningen ud på?" in await bo.says("Bos formål", chat=group, reply_to=purpose)
    solution = anna.last(group.id)
    # Anna replies to the older question: her text is not filed under "løsning".
    told = await anna.says("Annas formål", chat=group, reply_to=purpose)
    assert "er besvaret i mellemtiden af Bo" in told and "Bos formål" in told
    assert "✓ Gemt" in await anna.says("Annas løsning", chat=group, reply_to=solution)
    with database.unit_of_work() as uow:
        side = next(s for s in uow.projects.sides(1) if s.role == "sharer")
        saved = {k: a.value.get("text") for k, a in uow.answers.latest(side.id).items()}
    assert saved == {"describe.purpose": "Bos formål", "describe.solution": "Annas løsning"}


async def test_two_teammates_on_one_question_nothing_misfiled_and_the_draft_placed_with_a_button(bot, tg, database):
    anna, carl, eve, team = await two_organisations(tg)
    bo = TgPerson(tg, tg.user(1002, "Bo", "da"))
    await bo.says(f"/start {team}")
    assert "Hvad er formålet?" in await anna.says("/continue")
    assert "Hvad er formålet?" in await bo.says("/continue")
    assert "Hvad går løsningen ud på?" in await anna.says("Annas formål")
    told = await bo.says("Bos formål")
    assert "er besvaret i mellemtiden af Anna" in told and "✓ Gemt" not in told
    assert "✓ Gemt" in await bo.presses("Føj min tekst til")
    with database.unit_of_work() as uow:
        side = next(s for s in uow.projects.sides(1) if s.role == "sharer")
        saved = {k: a.value.get("text") for k, a in uow.answers.latest(side.id).items()}
    assert saved == {"describe.purpose": "Annas formål\n\nBos formål"}


async def test_we_agree_tapped_twice_20_ms_apart_is_one_signoff_and_one_notice(bot, tg):
    anna, carl, eve, _ = await two_organisations(tg)
    await anna.says("/continue")
    await anna.answer_all()
    await carl.says("/continue")
    await carl.answer_all()
    mark = await anna.double_taps(agreeing)  # 20 ms apart, as on a phone
    assert carl.got(mark).count("har godkendt") == 1
    assert anna.got(mark).count("I har godkendt") == 1 and "allerede godkendt" in anna.got(mark)


async def test_an_amount_read_two_ways_is_asked_with_buttons_and_what_was_stored_is_said_back(bot, tg, database):
    from devtools.people.scenarios import drafting_now

    anna, carl, eve, _ = await two_organisations(tg)
    await carl.says("/continue")
    await carl.answer_all(until="benefits_draft.gross_own", prefer=drafting_now)
    asked = await carl.says("1,250")
    assert "Hvad mener du med »1,250«?" in asked and "Gemt" not in asked

    def thousand_two_hundred_fifty(intent: intents.Intent) -> bool:
        return isinstance(intent, intents.PickReading) and intent.first == "125000"

    saved = (await carl.presses(thousand_two_hundred_fifty)).replace("\xa0", " ")
    assert "✓ Gemt: 1.250 kr. (DKK)" in saved and "Forventet nettogevinst" in saved
    assert "✓ Gemt: -50.000 kr. (DKK)" in (await carl.says("-50.000 kr")).replace("\xa0", " ")
    with database.unit_of_work() as uow:
        side = next(s for s in uow.projects.sides(1) if s.role == "reuser")
        stored = {k: a.value.get("amount") for k, a in uow.answers.latest(side.id).items() if "amount" in a.value}
    assert stored == {"benefits_draft.gross_own": "1250", "benefits_draft.net_own": "-50000"}
