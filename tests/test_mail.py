"""E-mail: an address given with /email, confirmed by its link, and the notices sent there through a
real SMTP server (aiosmtpd) – each with a fresh personal link and a one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from bot.app import compose_engine, web_app
from bot.engine import intents
from bot.engine.ports import Links
from bot.engine.records import MAIL
from bot.mail.smtp import Relay
from bot.mail.worker import MailWorker
from bot.web.tokens import with_web_links
from devtools.mailserver import MailServer
from devtools.people.engine import World
from devtools.people.scenarios import start_project
from devtools.people.web import BASE, BOT_TOKEN

SENDER = "spredning@example.org"


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server


@pytest.fixture
def world(database, content, signer):
    guide, catalogs = content
    links = with_web_links(Links(), signer, BASE, mini_app=False, mail=True)
    world = World(compose_engine(guide, catalogs, database.unit_of_work, links, nudge_delay=dt.timedelta(0)))
    world.mail_apart = True  # chat messages are delivered after each input, mails by the mail worker
    return world


@pytest.fixture
def web(world, signer):
    with TestClient(web_app(world.engine, signer, BASE, BOT_TOKEN).asgi(), base_url=BASE) as client:
        client.headers["accept-language"] = "da-DK,da;q=0.9"  # a link naming no one is answered in Danish
        yield client


@pytest.fixture
def mailer(world, smtp):
    return MailWorker(world.engine, Relay.from_url(smtp.url), SENDER)


async def deliver(world: World, mailer: MailWorker) -> None:
    """What a running bot does: mails through the relay, chat messages to the chats."""
    await mailer.deliver_due()
    world.deliver_nudges()


def link_in(text: str, path: str) -> str:
    found = re.search(re.escape(BASE) + "(" + re.escape(path) + r"[A-Za-z0-9._-]+)", text)
    assert found, text
    return found.group(1)


def by_mail(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.SetToldBy) and intent.by == MAIL


async def confirmed(world: World, mailer: MailWorker, smtp: MailServer, web: TestClient, person, address: str):
    assert f"Jeg har sendt en mail til {address}" in person.says(f"/email {address}")
    await deliver(world, mailer)
    confirmation = smtp.to(address)[-1]
    assert confirmation.subject == "Bekræft din mailadresse"
    path = link_in(confirmation.part("plain"), "/mail/confirm/")
    shown = web.get(path)  # a mail scanner opening the link confirms nothing
    assert "Bekræft adressen" in shown.text and person.world is world
    assert "ikke bekræftet endnu" in person.says("/email")
    assert "er bekræftet" in web.post(path).text
    assert "Du får besked: 💬 I chatten" in person.says("/email")  # and the choice of where, as buttons
    return confirmation


async def test_an_address_is_confirmed_by_its_link_before_any_notice_is_mailed(world, mailer, smtp, web):
    anna, bo, carl, dina = start_project(world)
    assert "ikke en mailadresse" in carl.says("/email carl(at)odense")
    await confirmed(world, mailer, smtp, web, carl, "carl@odense.dk")
    carl.presses(by_mail)
    assert "Du får besked: ✉️ På mail" in carl.last_text()
    before = len(carl.received())
    anna.says("/continue")
    anna.answer_all_once()  # her first tool: Carl and Dina are to be told
    for _ in range(5):
        anna.answer_all_once()
    await deliver(world, mailer)
    mails = smtp.to("carl@odense.dk")
    notice = next(m for m in mails if "har udfyldt værktøjet" in m.subject)
    plain, page = notice.part("plain"), notice.part("html")
    assert "Aarhus Kommune" in plain and "Åbn projektet: " + BASE + "/p/" in plain
    assert '<a href="' + BASE + "/p/" in page and "har udfyldt værktøjet" in page
    assert notice.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "har udfyldt værktøjet" not in carl.received()[before:]  # by mail instead of the chat
    assert "har udfyldt værktøjet" in dina.received()  # Dina gave no address: in her chat, as before
    # The page link in the mail works: it is Carl's, fresh.
    assert web.get(link_in(plain, "/p/")).status_code == 200


async def test_one_click_unsubscribe_stops_every_mail(world, mailer, smtp, web):
    anna, bo, carl, dina = start_project(world)
    await confirmed(world, mailer, smtp, web, carl, "carl@odense.dk")
    carl.presses(by_mail)
    anna.says("/continue")
    for _ in range(4):
        anna.answer_all_once()
    await deliver(world, mailer)
    notice = next(m for m in smtp.to("carl@odense.dk") if "har udfyldt" in m.subject)
    unsubscribe = notice.message["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    done = web.post(unsubscribe, content=b"List-Unsubscribe=One-Click",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "ikke flere mails" in done.text
    assert "ikke givet en mailadresse" in carl.says("/email")
    count = len(smtp.mails)
    anna.says("/continue")
    for _ in range(6):  # her next tool: Carl would be told
        anna.answer_all_once()
    await deliver(world, mailer)
    assert len(smtp.mails) == count
    assert "virker ikke" in web.get(unsubscribe).text  # the link is spent with the address


async def test_a_forged_or_stale_confirmation_link_confirms_nothing(world, mailer, smtp, web):
    anna, bo, carl, dina = start_project(world)
    carl.says("/email carl@odense.dk")
    await deliver(world, mailer)
    path = link_in(smtp.to("carl@odense.dk")[-1].part("plain"), "/mail/confirm/")
    assert "virker ikke" in web.post(path[:-3] + "abc").text
    carl.says("/email carl@andet.dk")  # changed before the first link was used
    assert "virker ikke" in web.post(path).text
    assert "ikke bekræftet endnu" in carl.says("/email")


def test_without_mail_the_command_says_so(database, content):
    guide, catalogs = content
    world = World(compose_engine(guide, catalogs, database.unit_of_work))
    anna, bo, carl, dina = start_project(world)
    assert "sender ikke mails" in carl.says("/email carl@odense.dk")


async def test_a_person_without_telegram_gives_an_address_on_the_page_and_is_told_by_mail(world, mailer, smtp, web):
    """Wanda joins on the web, gives her address on the page and confirms it; when Anna (in Telegram)
    finishes a tool, Wanda gets the notice by mail, with a fresh link back to the page."""
    from devtools.people.web import forms

    anna = world.person("anna")
    anna.says("/start")
    anna.presses("Start et projekt")
    anna.says("Digital genoptræning")
    anna.presses("Vi vil dele")
    created = anna.says("Aarhus Kommune")
    join = re.search(re.escape(BASE) + r"(/join/[A-Za-z0-9_-]+)", created).group(1)
    page = web.get(join).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    joined = web.post(join, data={"csrf": csrf, "nonce": nonce, "name": "Wanda", "organisation": "Odense Kommune"},
                      follow_redirects=False)
    path = joined.headers["location"].split("?")[0]
    page = web.get(path).text
    assert "Besked på mail" in page
    mail_form = next(f for f in forms(page) if f["action"].endswith("/email"))
    given = web.post(mail_form["action"], data={**mail_form["fields"], "address": "wanda@odense.dk"},
                     follow_redirects=False)
    assert given.status_code == 303 and given.headers["location"].endswith("#mail")
    shown = web.get(given.headers["location"]).text
    assert "Jeg har sendt en mail til wanda@odense.dk" in shown and "venter på at blive bekræftet" in shown
    await deliver(world, mailer)
    web.post(link_in(smtp.to("wanda@odense.dk")[-1].part("plain"), "/mail/confirm/"))
    assert "Du får besked på wanda@odense.dk" in web.get(path).text
    anna.says("/continue")
    for _ in range(4):
        anna.answer_all_once()
    await deliver(world, mailer)
    notice = [m for m in smtp.to("wanda@odense.dk") if "har udfyldt værktøjet" in m.subject]
    assert len(notice) == 1
    assert web.get(link_in(notice[0].part("plain"), "/p/")).status_code == 200
