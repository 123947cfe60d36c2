"""The project on a web page: personal links, what a reader sees, forms that act as the person, the Mini App.

Real parts: the engine on SQLite and PostgreSQL, the Starlette application in process (no browser:
`test_web_browser.py` has one). Each promise of SECURITY.md ("The web page") has a test here."""

from __future__ import annotations

import datetime as dt

import pytest
from init_data_py import sign
from starlette.testclient import TestClient

from bot.app import web_app
from bot.web.access import AttemptLimit
from devtools.people.scenarios import start_project
from devtools.people.web import BASE, BOT_TOKEN, answer_fields, forms, link_of

SEEN, UNSEEN = "SYNLIGT-SVAR", "HEMMELIGT-SVAR"
pytestmark = pytest.mark.web_page  # the engine gives personal web links (conftest.py, `links`)


def post_answer(web, path: str, form: dict, **fields: str):
    return web.post(form["action"], data={**answer_fields(form), **fields}, follow_redirects=False)


def test_web_gives_a_personal_link_and_the_page_shows_the_project_in_the_readers_language(world, web):
    anna, bo, carl, dina = start_project(world)
    said = anna.says("/web")
    assert "personlige link til Digital genoptræning" in said and "14 dage" in said
    assert [b.label for m in anna.last_reply.messages for row in m.buttons for b in row] == \
        ["🌐 Åbn i browseren", "📱 Åbn i Telegram"]
    page = web.get(link_of(anna))
    assert page.status_code == 200
    assert '<html lang="da">' in page.text and "<h1>Digital genoptræning</h1>" in page.text
    assert "Fase 1: Tjek" in page.text and "I gang." in page.text
    assert "Aarhus Kommune (Vi vil dele)" in page.text and "Odense Kommune (Vi vil genbruge)" in page.text
    assert "/web – projektet på en webside" in anna.says("/help")


def test_every_response_has_a_csp_no_store_and_a_same_origin_referrer(world, web):
    anna, *_ = start_project(world)
    for response in (web.get(link_of(anna)), web.get("/p/forged"), web.get("/static/style.css"), web.get("/app")):
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self' https://telegram.org" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "same-origin"


def test_forged_expired_and_foreign_links_are_refused(world, web, signer):
    anna, bo, carl, dina = start_project(world)
    path = link_of(anna)
    token = path.split("/")[-1]
    body, mac = token.rsplit(".", 1)
    parts = body.split(".")
    other_project = ".".join([parts[0], parts[1], "999", *parts[3:]]) + "." + mac
    forged_mac = body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    for bad in (other_project, forged_mac, "1.1.1.1.1.abc", "x" * 300):
        response = web.get(f"/p/{bad}")
        assert response.status_code == 403 and "This link does not work" in response.text  # no Accept-Language: English
        assert "Digital genoptræning" not in response.text
    with world.engine.unit_of_work() as uow:
        person = uow.people.by_external_id("test:anna")
        project, side = uow.members.memberships(person.id)[0]
        joined = next(m for m in uow.members.of_side(side.id) if m.person_id == person.id).joined_at
    long_ago = world.engine.clock() - dt.timedelta(days=15)
    expired = signer.sign(person.id, project.id, joined, long_ago)  # expired a day ago (14 days)
    assert web.get(f"/p/{expired}").status_code == 403
    assert (
        web.get(f"/p/{signer.sign(person.id, project.id, joined, long_ago + dt.timedelta(days=2))}").status_code == 200
    )
    refused = web.get("/p/forged", headers={"Accept-Language": "da-DK,da;q=0.9"})
    assert "Linket virker ikke" in refused.text and "/web" in refused.text


def test_a_link_dies_with_forget_and_with_the_project(world, web):
    anna, bo, carl, dina = start_project(world)
    bos, annas = link_of(bo), link_of(anna)
    assert web.get(bos).status_code == 200
    bo.says("/forget")
    assert "Dine data er slettet" in bo.presses("Slet mine data")
    assert web.get(bos).status_code == 403
    assert web.get(annas).status_code == 200
    anna.says("/delete")
    anna.presses("Ja, slet projektet")
    assert web.get(annas).status_code == 403


def test_refused_link_attempts_are_rate_limited(world, signer):
    app = web_app(world.engine, signer, BASE)
    app.limit = AttemptLimit(limit=3, window=60)
    with TestClient(app.asgi(), base_url=BASE) as client:
        assert [client.get(f"/p/bad{i}").status_code for i in range(5)] == [403, 403, 403, 429, 429]


def test_a_reader_sees_only_tools_their_side_has_reached(world, web):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    while "værktøj 1/" in anna.last_text():
        anna.answer_all_once(SEEN)
    anna.answer_all(UNSEEN)
    carls = web.get(link_of(carl)).text
    assert SEEN in carls and UNSEEN not in carls
    assert carls.count("🔒 Vises, når I er nået til dette værktøj.") >= 6
    annas = web.get(link_of(anna)).text
    assert SEEN in annas and UNSEEN in annas


def test_answering_on_the_web_is_an_engine_input_that_nudges_and_is_escaped(world, web):
    anna, bo, carl, dina = start_project(world)
    path = link_of(anna)
    first = forms(web.get(path).text)[0]
    response = post_answer(web, path, first, text="<script>alert(1)</script> & mere")
    assert response.status_code == 303 and response.headers["location"].startswith(path + "?done=web:")
    shown = web.get(response.headers["location"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mere" in shown and "<script>alert" not in shown
    assert '<section class="said" role="status"' in shown and "✓ Gemt." in shown
    # The same form sent again (a double click, a reload) does nothing more.
    again = post_answer(web, path, first, text="anden tekst")
    assert again.status_code == 303
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:anna").id)[0][1]
        key = world.engine.guide.phases[0].tools[0].questions_for("sharer")[0].key
        assert [a.value.get("text") for a in uow.answers.history(side.id, key)] == \
            ["<script>alert(1)</script> & mere"]
    # Anna answers her whole first tool on the web: Carl is told in his chat, Bo (her teammate) too.
    for _ in range(30):
        page = web.get(path).text
        todo = [f for f in forms(page) if f["summary"] == "Svar" and "/answer" in f["action"]]
        if not todo or "Beskriv innovationen" not in page.split(todo[0]["fields"]["q"])[0].rsplit("<h3", 1)[-1]:
            break
        assert post_answer(web, path, todo[0]).status_code == 303
    world.deliver_nudges()
    assert "har udfyldt værktøjet" in carl.received()


def test_a_web_answer_is_one_engine_turn_in_one_transaction(world, web, database):
    """The form is one intent: one input key claimed and one commit, whatever kind the answer is."""
    from sqlalchemy import event, func, select

    from storage.models import ProcessedInput

    anna, *_ = start_project(world)
    path = link_of(anna)
    commits = []
    event.listen(database.engine, "commit", lambda connection: commits.append(1))

    def inputs() -> int:
        with database.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(ProcessedInput)).scalar_one()

    for answered in range(3):  # the first open questions: a text, and the next ones the page offers
        form = forms(web.get(path).text)[answered]
        before_inputs, commits[:] = inputs(), []
        response = post_answer(web, path, form)
        assert response.status_code == 303 and "done=web:" in response.headers["location"]
        assert (len(commits), inputs() - before_inputs) == (1, 1)


def test_forms_without_the_csrf_token_or_from_another_origin_are_refused(world, web):
    anna, *_ = start_project(world)
    path = link_of(anna)
    form = forms(web.get(path).text)[0]
    assert post_answer(web, path, form, csrf="wrong").status_code == 403
    assert post_answer(web, path, form, csrf="").status_code == 403
    assert web.post(form["action"], data=answer_fields(form), headers={"Origin": "https://evil.example"},
                    follow_redirects=False).status_code == 403
    assert web.post(form["action"], data=answer_fields(form), headers={"Sec-Fetch-Site": "cross-site"},
                    follow_redirects=False).status_code == 403
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:anna").id)[0][1]
        assert uow.answers.latest(side.id) == {}


def test_the_mini_app_signs_in_with_valid_init_data_only(world, web):
    anna, *_ = start_project(world)
    with world.engine.unit_of_work() as uow:  # Anna as a Telegram user: tg:4242
        person = uow.people.by_external_id("test:anna")
        uow.people.update(person.id, external_id="tg:4242")
        project_id = uow.members.memberships(person.id)[0][0].id
        uow.commit()
    assert "Telegram.WebApp" not in web.get(f"/app?project={project_id}").text  # the page only loads app.js
    user = '{"id":4242,"first_name":"Anna"}'
    valid = sign({"user": user}, BOT_TOKEN)
    response = web.post("/app/session", json={"initData": valid, "project": project_id})
    assert response.status_code == 200
    assert "Digital genoptræning" in web.get(response.json()["url"]).text
    forged = [sign({"user": user}, "654321:another-bot"),  # signed with another bot's token
              valid.replace("4242", "4243"),  # someone else's id under Anna's signature
              sign({"user": user}, BOT_TOKEN, auth_date=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)),
              "user=%7B%22id%22%3A4242%7D", ""]
    for data in forged:
        assert web.post("/app/session", json={"initData": data, "project": project_id}).status_code == 403
    assert web.post("/app/session", json={"initData": sign({"user": '{"id":7,"first_name":"X"}'}, BOT_TOKEN),
                                          "project": project_id}).status_code == 403  # not a member


GROSS_OWN = "benefits_draft.gross_own"


def test_an_amount_read_two_ways_is_chosen_on_the_page_and_the_currency_is_changed_there(world, web):
    """Carl types »1,250« for Odense's gross gain on the web page: a Dane could mean 1,25 or 1.250 kr.
    The page asks with two buttons and stores nothing until one is pressed; pressed twice (a reload),
    one answer. The currency for amounts without one is shown and changed on the page."""
    from bot.engine import callbacks as cb
    from bot.engine import intents
    from devtools.people.scenarios import reach
    from devtools.people.web import presses

    anna, bo, carl, dina = start_project(world)
    reach(carl, GROSS_OWN)
    path = link_of(carl)
    page = web.get(path).text
    assert "Beløb uden valuta gemmes i: DKK" in page and "Fx 250.000 DKK" in page
    gross = next(f for f in forms(page) if f["fields"].get("q") == cb.question_ref(GROSS_OWN))
    asked = web.get(post_answer(web, path, gross, text="1,250").headers["location"]).text
    assert "Hvad mener du med »1,250«?" in asked
    assert "1,25 kr. (DKK)" in asked.replace("\xa0", " ") and "1.250 kr. (DKK)" in asked.replace("\xa0", " ")
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:carl").id)[0][1]
        assert uow.answers.history(side.id, GROSS_OWN) == []  # nothing stored before the choice

    def thousand_two_hundred_fifty(intent: intents.Intent) -> bool:
        return isinstance(intent, intents.PickReading) and intent.first == "125000"

    action, fields = presses(asked, thousand_two_hundred_fifty)
    chosen = web.post(action, data=fields, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"].endswith(f"#q-{cb.question_ref(GROSS_OWN)}")
    assert "✓ Gemt: 1.250 kr. (DKK)" in web.get(chosen.headers["location"]).text.replace("\xa0", " ")
    assert web.post(action, data=fields, follow_redirects=False).status_code == 303  # the same form again
    with world.engine.unit_of_work() as uow:
        assert [a.value.get("amount") for a in uow.answers.history(side.id, GROSS_OWN)] == ["1250"]

    # A button of another project, or one the page never offers, is refused.
    foreign = {**fields, "press": cb.encode(intents.PickReading(side.project_id + 1, cb.question_ref(GROSS_OWN),
                                                                  "100", "DKK"))}
    assert web.post(action, data=foreign, follow_redirects=False).status_code == 400
    forget = {**fields, "press": cb.encode(intents.ForgetMe())}
    assert web.post(action, data=forget, follow_redirects=False).status_code == 400

    def euro(intent: intents.Intent) -> bool:
        return isinstance(intent, intents.SetCurrency) and intent.currency == "EUR"

    action, fields = presses(web.get(path).text, euro)
    changed = web.get(web.post(action, data=fields, follow_redirects=False).headers["location"]).text
    assert "✓ Beløb uden valuta gemmes nu i EUR." in changed and "Beløb, der allerede er gemt" in changed
    assert "Beløb uden valuta gemmes i: EUR" in changed and "Fx 250.000 EUR" in changed
    assert "Beløb uden valuta gemmes i: EUR" in carl.says("/settings")


def test_an_answer_given_on_the_page_is_undone_with_the_button_beside_its_confirmation(world, web):
    from bot.engine import intents
    from devtools.people.web import presses

    anna, bo, carl, dina = start_project(world)
    path = link_of(anna)
    first = forms(web.get(path).text)[0]
    shown = web.get(post_answer(web, path, first, text="Skrevet i det forkerte felt").headers["location"]).text
    assert "✓ Gemt." in shown

    def undoing(intent: intents.Intent) -> bool:
        return isinstance(intent, intents.Undo)

    action, fields = presses(shown, undoing)
    undone = web.post(action, data=fields, follow_redirects=False)
    assert undone.status_code == 303 and undone.headers["location"].endswith(f"#q-{first['fields']['q']}")
    page = web.get(undone.headers["location"]).text
    assert "↩ Fortrudt." in page and "er ikke besvaret igen" in page
    assert "Skrevet i det forkerte felt" not in page.split('<section class="said"')[1].split("</section>", 1)[1]
    assert web.post(action, data=fields, follow_redirects=False).status_code == 303  # the same form again: nothing
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:anna").id)[0][1]
        assert uow.answers.latest(side.id) == {}
