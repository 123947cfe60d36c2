"""The ways into the web page without a personal link: joining by an invite, the Telegram Mini App.

Both are rate limited per client like the project page (refused attempts count), and answer with a
personal link once the person is a member."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Protocol

from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.engine.engine import Engine
from bot.shell import Shell
from bot.web import actions, joining
from bot.web.access import AttemptLimit
from bot.web.miniapp import MiniAppAuth
from bot.web.texts import texts
from bot.web.tokens import Signer


class Pages(Protocol):
    """What the entrances use of the `WebApp` they belong to."""

    engine: Engine
    signer: Signer
    limit: AttemptLimit
    join_limit: AttemptLimit
    mini_app: MiniAppAuth | None
    shell: Shell

    def client(self, request: Request) -> str: ...
    def language(self, request: Request) -> str | None: ...
    def refused(self, request: Request, what: str, status: int) -> Response: ...
    def render(self, name: str, **context: Any) -> str: ...
    async def checked_form(self, request: Request, token: str) -> dict[str, str] | Response: ...


class Entrances:
    """The join pages and the Mini App's sign-in of one `WebApp` (its limits, signer and templates)."""

    def __init__(self, web: Pages) -> None:
        self.web = web

    # ---- joining by an invite, without Telegram -------------------------------------------------------

    async def invitation(self, request: Request) -> tuple[joining.Invitation, str] | Response:
        """The invite in the address if it works (refused ones count against the client), and the locale."""
        client = self.web.client(request)
        if self.web.limit.blocked(client) or self.web.join_limit.blocked(client):
            return self.web.refused(request, "too_many", 429)
        locale = self.web.engine.catalogs.negotiate(self.web.language(request))
        t = self.web.engine.catalogs.translator(locale)
        token = request.path_params["invite"]

        def look() -> joining.Invitation | None:
            with self.web.engine.unit_of_work() as uow:
                return joining.invitation(uow, t, token, self.web.engine.clock())

        found = await run_in_threadpool(look)
        if found is None:
            self.web.join_limit.refused(client)
            return self.web.refused(request, "bad_invite", 403)
        return found, locale

    async def join_page(self, request: Request) -> Response:
        found = await self.invitation(request)
        if isinstance(found, Response):
            return found
        return HTMLResponse(self.join_html(*found))

    def join_html(self, invite: joining.Invitation, locale: str, error: str | None = None) -> str:
        tx = texts(self.web.engine.catalogs.translator(locale))
        intro = Markup(escape(tx["join_intro"])).format(project=Markup(invite.project), side=Markup(invite.side))
        return self.web.render("join.html", lang=locale, tx=tx, invite=invite, intro=intro, error=error,
                           csrf=self.web.signer.csrf("join:" + invite.token), nonce=secrets.token_urlsafe(12),
                           max_name=joining.MAX_NAME, max_organisation=joining.MAX_ORGANISATION)

    async def join(self, request: Request) -> Response:
        """Join the invite's side through the engine as a new web-only person; then their personal link."""
        found = await self.invitation(request)
        if isinstance(found, Response):
            return found
        invite, locale = found
        fields = await self.web.checked_form(request, "join:" + invite.token)
        if isinstance(fields, Response):
            return fields
        nonce, name = fields.get("nonce", ""), joining.clean(fields.get("name", ""), joining.MAX_NAME)
        if not actions.NONCE.match(nonce):
            return self.web.refused(request, "bad_form", 400)
        if not name:
            return HTMLResponse(self.join_html(invite, locale, "name_missing"), status_code=400)
        external_id = self.web.signer.web_person(nonce)
        organisation = joining.clean(fields.get("organisation", ""), joining.MAX_ORGANISATION)
        await joining.join(self.web.shell, invite, external_id, name, locale, organisation, nonce)
        link = await run_in_threadpool(self.joined_link, invite, external_id)
        if link is None:
            return self.web.refused(request, "bad_invite", 403)
        return RedirectResponse(f"/p/{link}?joined=1", status_code=303)

    def joined_link(self, invite: joining.Invitation, external_id: str) -> str | None:
        """The personal link of the person who just joined, to the project of the invitation."""
        with self.web.engine.unit_of_work() as uow:
            person = uow.people.by_external_id(external_id)
            if person is None:
                return None
            for project, side in uow.members.memberships(person.id):
                if project.id == invite.project_id:
                    member = next(m for m in uow.members.of_side(side.id) if m.person_id == person.id)
                    return self.web.signer.sign(person.id, project.id, member.joined_at, self.web.engine.clock())
        return None

    # ---- the Telegram Mini App -----------------------------------------------------------------------

    async def app_page(self, request: Request) -> Response:
        catalogs = self.web.engine.catalogs
        locale = catalogs.default_locale
        return HTMLResponse(self.web.render("app.html", lang=locale, tx=texts(catalogs.translator(locale))))

    async def app_session(self, request: Request) -> Response:
        """initData from the Mini App, checked here with the bot token; a short-lived link back."""
        client = self.web.client(request)
        if self.web.mini_app is None or self.web.limit.blocked(client):
            return JSONResponse({"error": "refused"}, status_code=429 if self.web.mini_app else 404)
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > 16 * 1024:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            body = await request.json()
            init_data, project = str(body["initData"]), int(body.get("project") or 0)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "bad request"}, status_code=400)
        url = await run_in_threadpool(self.mini_app_url, init_data, project)
        if url is None:
            self.web.limit.refused(client)
            return JSONResponse({"error": "refused"}, status_code=403)
        return JSONResponse({"url": url})

    def mini_app_url(self, init_data: str, project_id: int) -> str | None:
        assert self.web.mini_app is not None
        external_id = self.web.mini_app.external_id(init_data, self.web.engine.clock())
        if external_id is None:
            return None
        with self.web.engine.unit_of_work() as uow:
            person = uow.people.by_external_id(external_id)
            if person is None:
                return None
            wanted = project_id or person.current_project_id
            for project, side in uow.members.memberships(person.id):
                if project.id == wanted:
                    member = next(m for m in uow.members.of_side(side.id) if m.person_id == person.id)
                    token = self.web.signer.sign(person.id, project.id, member.joined_at, self.web.engine.clock(),
                                                 dt.timedelta(hours=12))
                    return f"/p/{token}"
        return None
