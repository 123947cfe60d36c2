"""The pages a mail's links open: confirming an address, and unsubscribing it.

Each link carries a signed token naming the person and a digest of the address (a changed address
makes it useless). Opening the link shows a button (mail scanners that open links change nothing);
pressing it acts. Unsubscribing also answers RFC 8058's one-click POST from the mail program."""

from __future__ import annotations

from typing import Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.engine.engine import Engine
from bot.i18n_marker import N_
from bot.web.texts import texts
from bot.web.tokens import CONFIRM, UNSUBSCRIBE, Signer, address_digest

PAGE_TEXTS = {
    "confirm_title": N_("Bekræft din mailadresse"),
    "confirm_ask": N_("Tryk på knappen for at bekræfte, at du vil have besked fra Spredningsguiden på {address}."),
    "confirm_button": N_("✉️ Bekræft adressen"),
    "confirmed": N_("Tak. Din mailadresse {address} er bekræftet: du får nu besked på mail."),
    "off_title": N_("Afmeld mails"),
    "off_ask": N_("Tryk på knappen for ikke at få flere mails fra Spredningsguiden på {address}."),
    "off_button": N_("Afmeld"),
    "off_done": N_("Du får ikke flere mails fra Spredningsguiden. Du kan give en adresse igen med /email."),
    "bad_mail_link": N_("Linket virker ikke: det er udløbet, brugt, eller adressen er ændret siden."),
}


class Pages(Protocol):
    engine: Engine
    signer: Signer

    def language(self, request: Request) -> str | None: ...
    def refused(self, request: Request, what: str, status: int) -> Response: ...
    def render(self, name: str, **context: object) -> str: ...


class MailPages:
    """GET shows the question with a button; POST does it."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    def address_of(self, purpose: str, token: str) -> tuple[int, str, str | None] | None:
        """(person id, address, their language) the token names, if it is still the person's address."""
        engine = self.pages.engine
        checked = self.pages.signer.check_mail_token(purpose, token, engine.clock())
        if checked is None:
            return None
        with engine.unit_of_work() as uow:
            person = uow.people.get(checked[0])
        if person is None or not person.email or address_digest(person.email) != checked[1]:
            return None
        return person.id, person.email, person.locale

    def page(self, request: Request, title: str, message: str, button: str | None = None,
             found: tuple[int, str, str | None] | None = None) -> HTMLResponse:
        """The page in the language of the person the link names (else the browser's)."""
        engine = self.pages.engine
        locale = found[2] if found and found[2] else engine.catalogs.negotiate(self.pages.language(request))
        t = engine.catalogs.translator(locale)
        address = found[1] if found else ""
        tx = texts(t)
        return HTMLResponse(self.pages.render(
            "mail.html", lang=t.locale, tx=tx, title=t.gettext(PAGE_TEXTS[title]),
            message=t.gettext(PAGE_TEXTS[message]).format(address=address),
            button=t.gettext(PAGE_TEXTS[button]) if button else None, action=request.url.path))

    async def confirm(self, request: Request) -> Response:
        found = await run_in_threadpool(self.address_of, CONFIRM, request.path_params["token"])
        if found is None:
            return self.page(request, "confirm_title", "bad_mail_link")
        if request.method == "GET":
            return self.page(request, "confirm_title", "confirm_ask", "confirm_button", found)
        await run_in_threadpool(self.set_confirmed, found[0])
        return self.page(request, "confirm_title", "confirmed", found=found)

    def set_confirmed(self, person_id: int) -> None:
        engine = self.pages.engine
        with engine.unit_of_work() as uow:
            uow.people.update(person_id, email_confirmed_at=engine.clock())
            uow.commit()

    async def unsubscribe(self, request: Request) -> Response:
        found = await run_in_threadpool(self.address_of, UNSUBSCRIBE, request.path_params["token"])
        if found is None:
            return self.page(request, "off_title", "bad_mail_link")
        if request.method == "GET":
            return self.page(request, "off_title", "off_ask", "off_button", found)
        await run_in_threadpool(self.remove_address, found[0])
        return self.page(request, "off_title", "off_done", found=found)

    def remove_address(self, person_id: int) -> None:
        with self.pages.engine.unit_of_work() as uow:
            uow.people.update(person_id, email=None, email_confirmed_at=None, told_by=None)
            uow.commit()
