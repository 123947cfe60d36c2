"""The ASGI application (Starlette): the project page, its forms, the ways in, static files.

Every response carries a Content-Security-Policy and `Cache-Control: no-store`; a link is checked on
every request (signature, expiry, membership); forms need the page's CSRF token and a same-origin
`Origin`; refused link attempts are rate limited per client. The ways in without a personal link
(joining by an invite, the Mini App sign-in) are in `bot.web.entrances`."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.engine.engine import Engine
from bot.engine.intents import Command, Intent
from bot.engine.knowledge import member_of
from bot.engine.model import Message as BotMessage
from bot.engine.model import SentTopic
from bot.engine.ports import UnitOfWork
from bot.engine.progress import load_progress
from bot.engine.records import UploadRecord
from bot.engine.turn import UPLOAD
from bot.shell import Shell
from bot.web import actions, joining
from bot.web.access import AttemptLimit, Reader, resolve
from bot.web.entrances import Entrances
from bot.web.mailpages import MailPages
from bot.web.miniapp import MiniAppAuth
from bot.web.texts import texts
from bot.web.tokens import Signer
from bot.web.view import build_page

HERE = Path(__file__).resolve().parent
MAX_FORM = 128 * 1024
MAX_UPLOAD = 10 * 1024 * 1024  # a file given with an answer
SAFE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}  # served as such; anything else as bytes
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self' https://telegram.org; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"same-origin"),  # the link never leaves the site; forms keep their Origin
    (b"x-content-type-options", b"nosniff"),
]


class SecurityHeaders:
    """Adds the headers above to every response, static files and errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in SECURITY_HEADERS}
                message["headers"] = [h for h in message.get("headers", []) if h[0] not in names] + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


async def nothing_to_send(messages: tuple[BotMessage, ...]) -> list[SentTopic]:
    """The web page shows a reply itself, from the reply the engine kept with the form's key."""
    return []


class WebApp:
    """The pages of one engine; `base_url` is the public address the links point to."""

    def __init__(self, engine: Engine, signer: Signer, base_url: str, bot_token: str | None = None,
                 on_outbox_due: Callable[[], None] | None = None, limit: AttemptLimit | None = None) -> None:
        self.engine = engine
        self.signer = signer
        self.base_url = base_url.rstrip("/")
        self.origin = "{0.scheme}://{0.netloc}".format(urlparse(self.base_url))
        self.mini_app = MiniAppAuth(bot_token) if bot_token else None
        self.shell = Shell(engine, nothing_to_send, run_in_threadpool, on_outbox_due)
        self.limit = limit or AttemptLimit()
        self.join_limit = AttemptLimit(joining.JOIN_FAILURES, joining.JOIN_WINDOW)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True), auto_reload=False)
        self.entrances = Entrances(self)
        self.mail = MailPages(self)

    # ---- the ASGI application ------------------------------------------------------------------

    def asgi(self) -> ASGIApp:
        routes = [
            Route("/p/{token}", self.page, methods=["GET"]),
            Route("/p/{token}/answer", self.acting(actions.answer_intent), methods=["POST"]),
            Route("/p/{token}/signoff", self.acting(actions.signoff_intent), methods=["POST"]),
            Route("/p/{token}/press", self.acting(actions.press_intent), methods=["POST"]),
            Route("/p/{token}/email", self.acting(actions.email_intent), methods=["POST"]),
            Route("/p/{token}/file/{upload:int}", self.file, methods=["GET"]),
            Route("/join/{invite}", self.entrances.join_page, methods=["GET"]),
            Route("/join/{invite}", self.entrances.join, methods=["POST"]),
            Route("/app", self.entrances.app_page, methods=["GET"]),
            Route("/app/session", self.entrances.app_session, methods=["POST"]),
            Route("/mail/confirm/{token}", self.mail.confirm, methods=["GET", "POST"]),
            Route("/mail/off/{token}", self.mail.unsubscribe, methods=["GET", "POST"]),
            Route("/healthz", lambda request: Response("ok"), methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
        return SecurityHeaders(Starlette(routes=routes))

    # ---- who is asking ---------------------------------------------------------------------------

    def client(self, request: Request) -> str:
        return request.client.host if request.client else "?"

    async def reader(self, request: Request) -> Reader | Response:
        client = self.client(request)
        if self.limit.blocked(client):
            return self.refused(request, "too_many", 429)
        token = request.path_params["token"]
        found = await run_in_threadpool(resolve, self.signer, self.engine.unit_of_work, token, self.engine.clock())
        if found is None:
            self.limit.refused(client)
            return self.refused(request, "refused", 403)
        return found

    def language(self, request: Request) -> str | None:
        return request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()[:16] or None

    def refused(self, request: Request, what: str, status: int) -> Response:
        catalogs = self.engine.catalogs
        locale = catalogs.negotiate(self.language(request))
        tx = texts(catalogs.translator(locale))
        html = self.render("refused.html", lang=locale, tx=tx, message=tx[what])
        return HTMLResponse(html, status_code=status)

    def render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(**context)

    # ---- the page ----------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        reader = await self.reader(request)
        if isinstance(reader, Response):
            return reader
        done = request.query_params.get("done", "")
        since = await run_in_threadpool(self.visit, reader)
        return HTMLResponse(await run_in_threadpool(self.page_html, reader, done, since, True))

    def visit(self, reader: Reader) -> dt.datetime | None:
        """The reader's previous visit to this page (what changed since is marked); this one is kept."""
        with self.engine.unit_of_work() as uow:
            since = uow.uploads.web_visit(reader.person.id, reader.project.id, self.engine.clock())
            uow.commit()
        return since

    def page_html(self, reader: Reader, done: str = "", since: dt.datetime | None = None,
                  visited: bool = False) -> str:
        """The whole page for one reader (also what `bench ops` times)."""
        t = self.engine.catalogs.translator(reader.person.locale).in_zone(reader.person.timezone)
        with self.engine.unit_of_work() as uow:
            view = build_page(t, uow, reader, self.engine.guide, since, self.engine.services.links.mail)
            said = actions.said_in(uow.inputs.kept_reply(done), actions.web_chat(reader.person).id,
                                   reader.project.id) if done.startswith("web:") and len(done) < 80 else actions.Said()
            bookmark = self.bookmark(uow, reader) if visited and reader.person.private_chat is None else None
        tx = texts(t)
        you = Markup(escape(tx["you"])).format(name=reader.person.name, side=Markup(view.mine),
                                               other=Markup(view.theirs))
        kept_link = None
        if bookmark is not None:
            kept_link = (tx["bookmark"].format(date=t.date((self.engine.clock() + self.signer.ttl).date())), bookmark)
        new = t.ngettext("{count} ændring siden dit sidste besøg er markeret »Nyt«.",
                         "{count} ændringer siden dit sidste besøg er markeret »Nyt«.", view.new).format(count=view.new)
        return self.render("project.html", lang=t.locale, tx=tx, view=view, you=you, said=said, new=new,
                           token=reader.token, csrf=self.signer.csrf(reader.token), bookmark=kept_link,
                           nonce=lambda: secrets.token_urlsafe(12))

    def bookmark(self, uow: UnitOfWork, reader: Reader) -> str | None:
        """A fresh personal link for someone who has no chat with the bot to ask /web in."""
        member = member_of(uow, reader.side.id, reader.person.id)
        if member is None:
            return None
        token = self.signer.sign(reader.person.id, reader.project.id, member.joined_at, self.engine.clock())
        return f"{self.base_url}/p/{token}"

    # ---- forms -------------------------------------------------------------------------------------

    async def form(self, request: Request, reader: Reader) -> dict[str, str] | Response:
        return await self.checked_form(request, reader.token)

    async def checked_form(self, request: Request, token: str) -> dict[str, str] | Response:
        """A form's fields, or a refusal: another origin, too large, or without the CSRF token of `token`."""
        origin = request.headers.get("origin")
        if origin is not None and origin != self.origin:
            return self.refused(request, "bad_form", 403)
        if request.headers.get("sec-fetch-site") == "cross-site":
            return self.refused(request, "bad_form", 403)
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > MAX_FORM + MAX_UPLOAD:
            return self.refused(request, "too_large" if length.isdigit() else "bad_form", 413)
        data = await request.form(max_files=1, max_fields=20)
        fields = {k: v for k, v in data.items() if isinstance(v, str) and k != "file"}  # "file" is ours to set
        if not self.signer.check_csrf(token, fields.get("csrf", "")):
            return self.refused(request, "bad_form", 403)
        given = data.get("file")
        if isinstance(given, UploadFile) and given.filename:
            content = await given.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                return self.refused(request, "too_large", 413)
            request.state.upload = (given.filename, given.content_type or "application/octet-stream", content)
        elif sum(len(v) for v in fields.values()) > MAX_FORM:
            return self.refused(request, "bad_form", 413)
        return fields

    async def act(self, request: Request, make: Callable[..., Intent]) -> Response:
        reader = await self.reader(request)
        if isinstance(reader, Response):
            return reader
        fields = await self.form(request, reader)
        if isinstance(fields, Response):
            return fields
        upload = getattr(request.state, "upload", None)
        if upload is not None:  # kept first; the answer refers to it as a file, as Telegram's are
            fields = {**fields, "file": await run_in_threadpool(self.keep_upload, reader, *upload)}
        try:
            intent = make(self.engine.guide, reader.project.id, fields)
            outcome = await actions.perform(self.shell, reader, fields.get("nonce", ""), intent)
        except actions.BadForm:
            return self.refused(request, "bad_form", 400)
        anchor = f"#{anchor_of(intent, fields)}"
        return RedirectResponse(f"/p/{reader.token}?done={outcome.key}{anchor}", status_code=303)

    def keep_upload(self, reader: Reader, name: str, mime: str, data: bytes) -> str:
        with self.engine.unit_of_work() as uow:
            upload_id = uow.uploads.add(reader.project.id, name, mime, data, self.engine.clock())
            uow.commit()
        return f"{upload_id}:{len(data)}:{name}"

    async def file(self, request: Request) -> Response:
        """A file given with an answer on the web page, to a member who may read that answer."""
        reader = await self.reader(request)
        if isinstance(reader, Response):
            return reader
        found = await run_in_threadpool(self.readable_upload, reader, int(request.path_params["upload"]))
        if found is None:
            return self.refused(request, "refused", 404)
        disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
        return Response(found.data, media_type=found.mime if found.mime in SAFE_TYPES else "application/octet-stream",
                        headers={"Content-Disposition": disposition})

    def readable_upload(self, reader: Reader, upload_id: int) -> UploadRecord | None:
        """The upload, if an answer the reader may read refers to it (reached tools only)."""
        with self.engine.unit_of_work() as uow:
            found = uow.uploads.get(upload_id)
            if found is None or found.project_id != reader.project.id:
                return None
            progress = load_progress(self.engine.guide, uow, reader.project).for_reader(reader.side.role)
            wanted = f"{UPLOAD}{upload_id}"
            referred = any(a.get("file_id") == wanted for view in progress.sides.values()
                           for answer in view.answers.values() for a in answer.value.get("attachments", []))
            return found if referred else None

    def acting(self, make: Callable[..., Intent]) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint of a form that `make` turns into one intent (an answer, a sign-off, a button)."""
        async def endpoint(request: Request) -> Response:
            return await self.act(request, make)
        return endpoint


def anchor_of(intent: Intent, fields: Mapping[str, str]) -> str:
    """Where on the page the reader goes back to: the question answered, the phase signed, else the top."""
    question = getattr(intent, "question", None) or fields.get("q")
    if question:
        return f"q-{question}"
    return fields.get("phase", "") or ("mail" if isinstance(intent, Command) else "main")
