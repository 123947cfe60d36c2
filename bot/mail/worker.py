"""The mail worker: claims the outbox's mails ("mail:<person id>" rows), composes and sends them.

A mail goes only to a confirmed address – a confirmation mail only to the address it confirms, while
it is still the person's. Each carries a fresh personal link to its project's page and an
unsubscribe link. A relay that refuses a recipient for good (5xx) fails that row; one that is down
or busy (4xx, connection) retries it with backoff, other mails going on."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from email.utils import parseaddr

import aiosmtplib

from bot.engine.engine import Engine
from bot.engine.knowledge import member_of
from bot.engine.model import MAIL_CONFIRMATION
from bot.engine.outbox import Outgoing
from bot.mail.compose import MailOrder, compose
from bot.mail.smtp import Relay

log = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(minutes=30)


def mail_order(engine: Engine, outgoing: Outgoing) -> tuple[MailOrder, str | None] | None:
    """What to send for an outbox mail, and in which language; None when it may not be sent."""
    links = engine.services.links
    with engine.unit_of_work() as uow:
        person = uow.people.get(outgoing.person_id) if outgoing.person_id is not None else None
        if person is None:
            return None
        if outgoing.kind == MAIL_CONFIRMATION:
            to = str(outgoing.payload.get("to", ""))
            if not to or person.email != to:  # the address was changed or removed meanwhile
                return None
            return MailOrder(to, outgoing.message.text, str(outgoing.payload.get("subject") or "") or None,
                             message_id=message_id(outgoing)), person.locale
        address = person.mail_address
        if address is None:
            return None
        link = None
        found = uow.members.membership(person.id, outgoing.project_id) if outgoing.project_id is not None else None
        member = member_of(uow, found[1].id, person.id) if found else None
        if outgoing.project_id is not None and member is not None:
            link = links.web(person.id, outgoing.project_id, member.joined_at)
    return MailOrder(address, outgoing.message.text, None, link, links.web_days,
                     links.unsubscribe_mail(person.id, address), message_id(outgoing)), person.locale


def message_id(outgoing: Outgoing) -> str:
    """The same for every attempt at one outbox row: a receiver can tell a retry from a new mail."""
    return f"<spredning-{outgoing.id}@{outgoing.kind}.spredning>"


class MailWorker:
    """`run()` until cancelled; `wake()` when mails are due now."""

    def __init__(self, engine: Engine, relay: Relay, sender: str, poll_interval: float = 5.0) -> None:
        self.engine = engine
        self.relay = relay
        self.sender = sender
        self.poll_interval = poll_interval
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        while True:
            try:
                if await self.deliver_due():
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("mail worker: will try again")
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), self.poll_interval)
            except TimeoutError:
                pass

    async def deliver_due(self) -> int:
        """Send the mails due now; how many were claimed."""
        batch = await asyncio.to_thread(self.engine.outbox.claim, 20, None, True)
        for outgoing in batch:
            await self.deliver(outgoing)
        return len(batch)

    async def deliver(self, outgoing: Outgoing) -> None:
        outbox = self.engine.outbox
        found = await asyncio.to_thread(mail_order, self.engine, outgoing)
        if found is None:
            await asyncio.to_thread(outbox.failed, outgoing, "no confirmed address")
            return
        order, locale = found
        mail = compose(order, self.engine.catalogs.translator(locale), self.sender)
        try:
            await self.relay.send(mail, parseaddr(self.sender)[1], order.to)
        except aiosmtplib.SMTPRecipientsRefused as error:
            permanent = all(refused.code >= 500 for refused in error.recipients)
            await self.failed_or_retry(outgoing, permanent, str(error))
        except aiosmtplib.SMTPResponseException as error:
            await self.failed_or_retry(outgoing, error.code >= 500, f"{error.code} {error.message}")
        except (aiosmtplib.SMTPException, OSError) as error:  # the relay is down or unreachable
            await asyncio.to_thread(outbox.retry, outgoing.id, self.backoff(outgoing), str(error)[:200])
        else:
            await asyncio.to_thread(outbox.sent, outgoing.id)

    async def failed_or_retry(self, outgoing: Outgoing, permanent: bool, error: str) -> None:
        outbox = self.engine.outbox
        if permanent:
            log.info("mail %d refused for good: %s", outgoing.id, error)
            await asyncio.to_thread(outbox.failed, outgoing, error)
        else:
            await asyncio.to_thread(outbox.retry, outgoing.id, self.backoff(outgoing), error)

    def backoff(self, outgoing: Outgoing) -> dt.timedelta:
        return min(dt.timedelta(seconds=5 * 2 ** min(outgoing.attempts, 10)), MAX_BACKOFF)
