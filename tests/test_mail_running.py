"""E-mail from the running bot: the mail worker beside the outbox worker, as `spredning run` starts it
with a relay – Telegram through the fake Bot API, mail through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from bot.app import load_content, web_app
from bot.engine import intents
from bot.engine.records import MAIL
from bot.mail.smtp import Relay
from bot.mail.worker import MailWorker
from bot.web.tokens import with_web_links
from devtools.mailserver import MailServer
from devtools.people.scenarios import two_organisations
from devtools.people.telegram import running_bot
from devtools.people.web import BASE, BOT_TOKEN

CONTENT = load_content(default_locale="en")


@pytest.fixture
def database_url(sqlite_url) -> str:
    """SQLite only: the engine runs inline on the event loop, as `spredning run` runs it there."""
    return sqlite_url


def by_mail(intent: intents.Intent) -> bool:
    return isinstance(intent, intents.SetToldBy) and intent.by == MAIL


async def test_the_running_bot_mails_a_person_who_chose_mail_and_not_their_chat(tg, database, signer):
    with MailServer() as server:
        async with running_bot(
            tg, CONTENT, database.unit_of_work, nudge_delay=dt.timedelta(0),
            links=lambda links: with_web_links(links, signer, BASE, mini_app=False, mail=True),
            companions=lambda engine: (MailWorker(engine, Relay.from_url(server.url), "bot@example.org", 0.1),),
        ) as app:
            anna, carl, eve, _ = await two_organisations(tg)
            assert "Jeg har sendt en mail til carl@odense.dk" in await carl.says("/email carl@odense.dk")
            confirmation = (await asyncio.to_thread(server.wait_for, 1))[0]
            path = re.search(re.escape(BASE) + r"(/mail/confirm/\S+)", confirmation.part("plain")).group(1)
            engine = app.bot_data["adapter"].engine
            with TestClient(web_app(engine, signer, BASE, BOT_TOKEN).asgi(), base_url=BASE) as web:
                assert "carl@odense.dk" in web.post(path).text
            await carl.says("/email")
            await carl.presses(by_mail)
            await anna.says("/continue")
            for answer in ("Formålet", "Løsningen", "Processen"):  # her first tool: Carl is told
                await anna.says(answer)
            mails = await asyncio.to_thread(server.wait_for, 2)
            assert [m.recipients for m in mails if "har udfyldt værktøjet" in m.subject] == [["carl@odense.dk"]]
            assert mails[-1].sender == "bot@example.org"
            assert "har udfyldt værktøjet" not in carl.received()
