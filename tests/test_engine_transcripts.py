"""Two organisations, two members each, through the guide – as transcripts through the engine."""

from __future__ import annotations

from bot.app import compose_engine
from bot.console import parse_line
from devtools.people.buttons import adapting, agreeing, closing_confirmed
from devtools.people.engine import World, invite_token
from devtools.people.scenarios import agree_phase, answer_phase, start_project


def test_teammates_share_the_side_and_never_get_the_same_question_twice(world):
    anna, bo, carl, dina = start_project(world)
    first = anna.says("/continue")
    assert "Hvad er formålet?" in first
    assert "Tjek · værktøj 1/7: Beskriv innovationen · spørgsmål 1/" in first
    after = anna.says("Vi ville give borgerne genoptræning hjemme.")
    assert "✓ Gemt." in after and "Hvad går løsningen ud på?" in after
    # Bo is on the same side: his next question is the one after Anna's answer.
    assert "Hvad går løsningen ud på?" in bo.says("/continue")
    bo.says("En app med øvelser.")
    assert "Hvordan forløb processen?" in anna.says("/continue")
    # The reuser side has its own questions.
    assert "Er løsningen umiddelbart interessant" in carl.says("/continue")


def test_the_other_side_sees_answers_of_tools_it_has_reached_and_nothing_else(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Et <b>formål</b> & mere")
    carl.says("/theirs")
    assert "Beskriv innovationen" in " ".join(carl.buttons())
    shown = carl.presses("Beskriv innovationen")
    assert "Et <b>formål</b> & mere" in shown  # user text is shown literally
    assert "&lt;b&gt;" in carl.world.inbox.messages[carl.chat_id][-1].text  # and escaped in HTML
    # A stranger sees nothing of the project.
    eve = world.person("eve")
    stolen = eve.presses_data(carl.button("Beskriv innovationen").data)
    assert "ikke er med i" in stolen.notice
    assert all("formål" not in m.text for m in stolen.messages)


def test_a_whole_phase_with_skips_signoff_and_agreement(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    assert "Ikke relevant for os" in anna.buttons()
    assert "✓ Markeret som ikke relevant" in anna.presses("Ikke relevant for os")
    assert "Sprunget over" in anna.presses("Senere")
    offered = answer_phase(anna)
    assert "I har sprunget 1 spørgsmål over" in offered and "Hvad går løsningen ud på?" in offered
    assert "Vi venter på Odense Kommune" in anna.presses("Lad dem stå åbne")
    ready = answer_phase(carl)
    # Anna put one question off: the card does not say every question was answered, and counts it.
    assert "færdige med Fase 1: Tjek, men ikke alle spørgsmål er besvaret" in ready
    assert "svaret på alle spørgsmål" not in ready
    assert "1 ikke relevant, 1 åbent" in ready and len(ready) < 1_500  # the card
    whole = carl.presses("Hele opsummeringen")
    assert "Åbne punkter" in whole and "sprunget over til senere" in whole
    assert "Ikke relevant for os" in whole.split("Åbne punkter")[0]  # an answer, shown with its tool
    # Both sides were asked to sign off.
    assert "Begge organisationer er færdige" in anna.received()
    assert "I har godkendt" in anna.presses("Vi er enige")
    changes = carl.presses("Vi ønsker ændringer")
    assert "Hvad ønsker I ændret" in changes
    carl.says("Uddyb formålet, tak.")
    assert "Uddyb formålet, tak." in anna.received()
    # Anna edits an answer; her earlier sign-off no longer covers the answers.
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    assert "Ret svaret" in anna.presses("Hvad er formålet?")
    edited = anna.says("Genoptræning hjemme, så borgerne bliver hurtigere selvhjulpne.")
    assert edited.startswith("✓ Gemt.")
    # Asked to sign off again in one line (she has seen the card), no question re-asked.
    assert "venter på, at I tager stilling" in edited and len(edited) < 200
    assert "✅ Vi er enige" in anna.buttons()
    assert "Genoptræning hjemme" in anna.presses("Hele opsummeringen")
    assert "venter på, at I tager stilling" in anna.says("/continue")
    anna.presses("Vi er enige")
    agreed = carl.presses("Vi er enige")
    assert "Begge organisationer har aftalt Fase 1: Tjek" in agreed
    assert "Næste fase: Fase 2: Test" in agreed
    assert "Begge organisationer har aftalt" in dina.received()
    assert "Del viden om målgruppen" in carl.presses("Fortsæt")


def test_no_go_closes_the_project_with_a_closing_summary(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    carl.says("/continue")
    for _ in range(100):
        buttons = carl.buttons()
        if "Nej, vi stopper her" in buttons:
            carl.presses("Nej, vi stopper her")
            carl.presses("Spring over")
            break
        carl.answer_all_once()
    card = anna.received()
    anna.says("/continue")
    # The card says what agreeing does, before anyone has agreed.
    assert "Odense Kommune (Vi vil genbruge) har valgt at stoppe" in card
    assert "afsluttes projektet efter Fase 1: Tjek" in card
    anna.presses(agreeing)
    # The last agreement closes the project: asked once more, with the consequence repeated.
    asked = carl.presses(agreeing)
    assert "afsluttes projektet" in asked and "Er I sikre?" in asked and "er afsluttet" not in asked
    assert "er afsluttet" not in anna.received()  # nothing agreed yet
    closing = carl.presses(closing_confirmed)
    assert "Projektet Digital genoptræning er afsluttet" in closing
    assert "Projektet Digital genoptræning er afsluttet" in anna.received()
    assert "er afsluttet" in anna.says("/continue")


def test_adopt_as_is_by_both_sides_skips_adapt(world):
    anna, bo, carl, dina = start_project(world)
    agree_phase(anna, carl)
    # answer_all picks the first option: "go" in Tjek, "adopt" in Kopiér eller tilpas?
    agreed = agree_phase(anna, carl)
    assert "Fase 2: Test" in agreed
    assert "fasen Tilpas springes over" in agreed
    assert "Næste fase: Fase 4: Fjern" in agreed


def test_adapt_goes_through_the_adapt_phase(world):
    anna, bo, carl, dina = start_project(world)
    agree_phase(anna, carl)
    answer_phase(anna)
    carl.says("/continue")
    for _ in range(100):
        if carl.offers(adapting):
            carl.presses(adapting)
            break
        carl.answer_all_once()
    carl.answer_all()
    anna.presses("Vi er enige")
    agreed = carl.presses("Vi er enige")
    assert "Næste fase: Fase 3: Tilpas" in agreed


def test_the_whole_guide_from_check_to_harvest(world):
    anna, bo, carl, dina = start_project(world)
    titles = []
    for _ in range(5):  # Tjek, Test, (Tilpas skipped), Fjern, Brug, Høst
        titles.append(agree_phase(anna, carl))
    assert "Alle faser er gennemført" in titles[-1]
    summary = anna.says("/summary")
    assert "Fortæl om gevinsterne" in summary
    assert "Aftalt af begge organisationer" in summary
    # An answer of an agreed phase changes: the bot asks to confirm again, and says nothing contrary.
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    anna.presses("✏️")
    changed = anna.says("Et nyt formål")
    assert "Bekræft venligst aftalen igen" in changed
    assert "Alle faser er gennemført" not in changed


def test_back_goes_to_the_previous_question_and_edits_it_as_a_new_revision(world):
    anna, *_ = start_project(world)
    anna.says("/continue")
    anna.says("Første svar")
    back = anna.presses("Tilbage")
    assert "Nuværende svar: Første svar" in back
    again = anna.says("Andet svar")
    assert "Hvad går løsningen ud på?" in again


def test_a_restart_between_inputs_continues_where_the_conversation_was(database, content):
    guide, catalogs = content
    world = World(compose_engine(guide, catalogs, database.unit_of_work))
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Svar 1")
    world.engine = compose_engine(guide, catalogs, database.unit_of_work)  # a new process, same database
    assert "Hvad går løsningen ud på?" in anna.says("/continue")


def test_the_same_input_twice_is_processed_once_and_answered_again(world):
    from bot.engine.model import TextInput

    anna, *_ = start_project(world)
    anna.says("/continue")
    first = anna.send(TextInput("Svar"), key="update-77")
    second = anna.send(TextInput("Svar"), key="update-77")
    assert first.messages and second.duplicate and second.messages == first.messages  # the kept reply
    assert "Hvad går løsningen ud på?" in anna.says("/continue")


def test_input_keys_are_kept_a_week_for_redelivery_and_then_forgotten(world, database):
    import datetime as dt

    from sqlalchemy import func, select

    from bot.engine.model import TextInput
    from storage.models import ProcessedInput

    anna, *_ = start_project(world)
    anna.says("/continue")
    anna.send(TextInput("Svar"), key="update-78")
    engine = world.engine

    def keys() -> int:
        with database.unit_of_work() as uow:
            return uow.session.scalar(select(func.count()).select_from(ProcessedInput))

    kept = keys()
    assert engine.forget_old_inputs(engine.clock() + dt.timedelta(days=6)) == 0
    assert anna.send(TextInput("Svar"), key="update-78").duplicate  # six days on: still recognised
    assert engine.forget_old_inputs(engine.clock() + dt.timedelta(days=8), batch=3) == kept
    assert keys() == 0


def test_unknown_commands_old_buttons_and_people_without_a_project_get_answers(world):
    zoe = world.person("zoe")
    assert "ikke med i et projekt" in zoe.says("hej")
    assert "kender jeg ikke" in zoe.says("/frobnicate")
    assert "gælder ikke længere" in zoe.presses_data("garbage::data").notice
    assert "ikke er med i" in zoe.presses_data("a:1:ffffff:go").notice


def test_invites_can_be_reissued_and_the_old_ones_stop_working(world):
    anna, bo, carl, dina = start_project(world)
    old = invite_token(anna.says("/invite"), 1)
    fresh = anna.presses("Nye links")
    assert invite_token(fresh, 1) != old
    assert "trukket tilbage" in world.person("erik").says(f"/start {old}")
    assert "Velkommen" in world.person("erik").says(f"/start {invite_token(fresh, 1)}")


def test_a_person_in_two_projects_switches_between_them(world):
    anna, *_ = start_project(world)
    anna.says("/new")
    anna.says("Andet projekt")
    anna.presses("Vi vil genbruge")
    anna.presses("Spring over")
    listing = anna.says("/projects")
    assert "Digital genoptræning" in listing and "Andet projekt" in listing
    assert "Du arbejder nu i Digital genoptræning" in anna.presses("Skift til Digital")


def test_a_burst_of_finished_tools_becomes_one_nudge_with_a_button_per_tool(world):
    anna, bo, carl, dina = start_project(world)
    world.hold_nudges = True
    anna.says("/continue")
    for _ in range(60):  # answer Anna's first two tools of Tjek
        if "Kom rundt om løsningen" in anna.last_text():
            break
        anna.answer_all_once()
    world.deliver_nudges()
    nudges = [m for m in world.inbox.messages[carl.chat_id] if "har udfyldt" in m.text]
    assert len(nudges) == 1
    assert "Beskriv innovationen" in nudges[0].text and "Fortæl den gode historie" in nudges[0].text
    assert "har udfyldt værktøjerne" in nudges[0].text
    assert len(nudges[0].buttons) == 2
    # The team mate who answered nothing is nudged too? No: nudges go to the *other* side.
    assert not any("har udfyldt" in m.text for m in world.inbox.messages[bo.chat_id])
    assert not any("har udfyldt" in m.text for m in world.inbox.messages[anna.chat_id])
    # The button opens exactly those answers.
    opened = carl.presses("Beskriv innovationen")
    assert "Aarhus Kommune" in opened and "Svar" in opened


def test_a_muted_person_gets_no_nudges_but_the_teammate_does(world):
    anna, bo, carl, dina = start_project(world)
    assert "slået til" in carl.says("/settings")
    assert "slået fra" in carl.presses("Slå beskeder fra")
    anna.says("/continue")
    while "Fortæl den gode historie" not in anna.last_text():
        anna.answer_all_once()
    assert "har udfyldt værktøjet" not in carl.received()
    assert "har udfyldt værktøjet »Beskriv innovationen«" in dina.received()


def test_pause_stops_reminders_until_the_person_continues(world, database):
    import datetime as dt

    from bot.engine.reminders import Reminders

    anna, bo, carl, dina = start_project(world)
    engine = world.engine
    reminders = Reminders(engine.guide, engine.catalogs, database.unit_of_work, engine.clock)
    now = engine.clock()
    assert reminders.schedule(now + dt.timedelta(days=2)) == 0  # not idle long enough
    bo.says("/pause")
    queued = reminders.schedule(now + dt.timedelta(days=4))
    assert queued == 3  # Anna, Carl and Dina; Bo paused
    delivered = world.deliver_nudges()
    assert all("venter stadig på jer" in m.text for m in delivered)
    assert {m.chat for m in delivered} == {anna.chat_id, carl.chat_id, dina.chat_id}
    assert reminders.schedule(now + dt.timedelta(days=5)) == 0  # the next one comes 7 days later
    assert reminders.schedule(now + dt.timedelta(days=11)) == 3
    assert reminders.schedule(now + dt.timedelta(days=18)) == 3
    assert reminders.schedule(now + dt.timedelta(days=40)) == 0  # at most 3 in a row


def test_a_side_with_nothing_open_is_looked_at_once_until_its_project_changes(world, database):
    import datetime as dt

    from bot.engine.reminders import Reminders

    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)  # the sharers have answered all of Tjek; the reusers have not started
    engine = world.engine
    reminders = Reminders(engine.guide, engine.catalogs, database.unit_of_work, engine.clock)
    later = engine.clock() + dt.timedelta(days=4)

    def scanned() -> set[str]:
        with database.unit_of_work() as uow:
            return {side.role for _, side, _ in uow.outbox.idle_sides(later, later - dt.timedelta(days=60))}

    assert scanned() == {"sharer", "reuser"}
    assert reminders.schedule(later) == 2  # Carl and Dina; the sharers wait for them
    world.deliver_nudges()
    assert scanned() == {"reuser"}  # nothing has changed for the sharers: not looked at again
    answer_phase(carl)
    assert scanned() == {"reuser", "sharer"}  # the project changed: the sharers are looked at again


def test_two_workers_draining_one_outbox_send_each_nudge_once(database, content):
    import threading

    from bot.engine.outbox import Outbox

    guide, catalogs = content
    engine = compose_engine(guide, catalogs, database.unit_of_work)
    import datetime as dt

    now = engine.clock()
    with database.unit_of_work() as uow:
        person = uow.people.add("test:x", "X", "da", "test:x", now)
        for n in range(200):
            uow.outbox.add("test:x", person.id, None, None, "nudge", {"text": f"nudge {n}", "buttons": []}, now, now)
        uow.commit()
    sent: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        outbox = Outbox(database.unit_of_work, engine.clock)
        while batch := outbox.claim(7, now + dt.timedelta(seconds=1)):
            for outgoing in batch:
                with lock:
                    sent.append(outgoing.message.text)
                outbox.sent(outgoing.id)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(f"nudge {n}" for n in range(200))


def test_a_decision_is_told_to_the_other_side_and_summaries_show_times_in_local_time(world):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    assert "har truffet en beslutning" in carl.received()
    assert "»Vil I gå videre med at sprede innovationen?« – Ja, vi går videre til Test" in carl.received()
    summary = anna.says("/summary")
    assert "Opsummering · Fase 1: Tjek" in summary
    assert "🔍 Beskriv innovationen" in anna.buttons()
    whole = anna.presses("🔍 Beskriv innovationen")
    assert "Aarhus Kommune" in whole


def test_a_person_sees_what_is_stored_and_forgets_it_while_answers_stay_with_the_side(world):
    anna, bo, carl, dina = start_project(world)
    bo.says("/continue")
    bo.says("Bos svar om formålet")
    shown = bo.says("/forget")
    assert "Navn: Bo" in shown and "Digital genoptræning" in shown
    assert "slettet" in bo.presses("Slet mine data")
    # Bo's answer stays with the side, attributed to a former member; Bo is no longer a member.
    carl.says("/theirs")
    assert "Bos svar om formålet" in carl.presses("Beskriv innovationen")
    assert "ikke med i et projekt" in bo.says("/mine")


def test_only_the_creator_deletes_a_project_and_then_nothing_of_it_is_left(world, database):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Et svar")
    assert "Kun den, der oprettede projektet" in carl.says("/delete")
    assert "Det kan ikke fortrydes" in anna.says("/delete")
    assert "er slettet" in anna.presses("Ja, slet projektet")
    assert "har slettet projektet Digital genoptræning" in carl.received()
    assert "ikke med i et projekt" in carl.says("/theirs")
    with database.unit_of_work() as uow:
        assert uow.projects.get(1) is None and uow.projects.sides(1) == []


def test_export_sends_the_project_as_pdf_and_markdown(world):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Genoptræning hjemme – æøå")
    reply = anna.send(parse_line("/export"))
    documents = [d for m in reply.messages for d in m.documents]
    assert [d.filename.rsplit(".", 1)[1] for d in documents] == ["pdf", "md"]
    assert documents[0].data.startswith(b"%PDF")
    assert "Genoptræning hjemme – æøå" in documents[1].data.decode()
    assert "Aarhus Kommune" in documents[1].data.decode()


def test_bad_expired_and_wrong_side_invites_create_no_membership(world, database):
    import datetime as dt

    anna, bo, carl, dina = start_project(world)
    links = anna.says("/invite")
    partner = invite_token(links, 0)
    eve = world.person("eve")
    assert "kan jeg ikke læse" in eve.says("/start bad*chars!")
    assert "kan jeg ikke læse" in eve.says("/start " + "A" * 65)
    assert "findes ikke" in eve.says("/start " + "B" * 32)
    # A teammate of the sharer cannot use the partner link to join the other side as well.
    assert "den anden side" in bo.says(f"/start {partner}")
    # Expired: the engine's clock moves 15 days ahead.
    later = world.engine.clock() + dt.timedelta(days=15)
    world.engine.clock = lambda: later
    assert "udløbet" in eve.says(f"/start {partner}")
    with database.unit_of_work() as uow:
        person = uow.people.by_external_id("test:eve")
        assert uow.members.memberships(person.id) == []
        assert [m.person_id for side in uow.projects.sides(1) for m in uow.members.of_side(side.id)].count(
            uow.people.by_external_id("test:bo").id) == 1


def test_an_agreement_racing_an_edit_is_bound_to_the_exact_revisions(world, database):
    import threading

    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    answer_phase(carl)
    anna.presses("Vi er enige")
    agree = carl.button("Vi er enige").data
    bo.says("/mine")
    bo.presses("Beskriv innovationen")
    bo.presses("Hvad er formålet?")
    barrier = threading.Barrier(2)

    def carl_agrees() -> None:
        barrier.wait()
        carl.presses_data(agree)

    def bo_edits() -> None:
        barrier.wait()
        bo.says("Et nyt formål, skrevet samtidig")

    threads = [threading.Thread(target=carl_agrees), threading.Thread(target=bo_edits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from bot.engine.progress import load_progress

    with database.unit_of_work() as uow:
        progress = load_progress(world.engine.guide, uow, uow.projects.get(1))
        agreement = progress.agreement("check")
        # Either the edit came first (no agreement: Anna's sign-off no longer covers the answers), or
        # the agreement came first and the edit reopened it. Never an agreement on answers nobody saw.
        assert agreement is None or progress.is_outdated(agreement)
        assert progress.current_phase().id == "check" or progress.outdated_phases()


def test_a_question_and_every_notice_about_a_project_name_it(world):
    anna, bo, carl, dina = start_project(world)
    asked = anna.says("/continue")
    assert "Digital genoptræning · Tjek · værktøj 1/7" in asked  # which project asks, also with only one
    anna.answer_all()
    carl.says("/continue")
    carl.answer_all()
    anna.presses(agreeing)
    told = carl.received() + bo.received()
    assert "har godkendt Fase 1: Tjek i Digital genoptræning" in told
    assert "Anna har godkendt Fase 1: Tjek for jer i Digital genoptræning" in told
