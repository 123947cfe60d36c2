"""Signed personal links: HMAC-SHA256 over person, project, membership and expiry, with a server secret."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.engine.ports import Links

VERSION = "1"
DEFAULT_TTL = dt.timedelta(days=14)
CONFIRM, UNSUBSCRIBE = "c", "u"  # what a mail token is for
MAIL_TTL = {CONFIRM: dt.timedelta(days=3), UNSUBSCRIBE: dt.timedelta(days=400)}


def address_digest(address: str) -> str:
    """A short digest of an address: a mail token names it without showing it (a changed address
    makes the old tokens useless)."""
    return hashlib.sha256(address.strip().casefold().encode()).hexdigest()[:16]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def stamp(joined_at: dt.datetime) -> int:
    """A membership's join time as whole seconds (naive times from the store are UTC)."""
    aware = joined_at if joined_at.tzinfo is not None else joined_at.replace(tzinfo=dt.UTC)
    return int(aware.timestamp())


@dataclass(frozen=True)
class Grant:
    """What a valid link says: this person, in this project, as the member who joined at `joined`."""

    person_id: int
    project_id: int
    joined: int
    expires: int


class Signer:
    """Makes and checks link tokens; a token names no one in clear text beyond ids and is useless
    without the secret. Revocation is by the membership it names (see `bot.web.access`)."""

    def __init__(self, secret: str | bytes, ttl: dt.timedelta = DEFAULT_TTL) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        if len(key) < 16:
            raise ValueError("the web link secret must be at least 16 bytes")
        self._key = hashlib.sha256(b"spredning-web-link:" + key).digest()
        self._csrf_key = hashlib.sha256(b"spredning-web-csrf:" + key).digest()
        self._person_key = hashlib.sha256(b"spredning-web-person:" + key).digest()
        self._mail_key = hashlib.sha256(b"spredning-mail:" + key).digest()
        self.ttl = ttl

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())

    def sign(self, person_id: int, project_id: int, joined_at: dt.datetime, now: dt.datetime,
             ttl: dt.timedelta | None = None) -> str:
        expires = int((now + (ttl or self.ttl)).timestamp())
        body = f"{VERSION}.{person_id}.{project_id}.{stamp(joined_at)}.{expires}"
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str, now: dt.datetime) -> Grant | None:
        """The grant of an authentic, unexpired token; None for anything else."""
        if len(token) > 200:
            return None
        body, _, mac = token.rpartition(".")
        if not body or not hmac.compare_digest(mac.encode(), self._mac(body).encode()):
            return None
        parts = body.split(".")
        if len(parts) != 5 or parts[0] != VERSION or not all(p.isdigit() for p in parts[1:]):
            return None
        person, project, joined, expires = (int(p) for p in parts[1:])
        if expires <= now.timestamp():
            return None
        return Grant(person, project, joined, expires)

    def mail_token(self, purpose: str, person_id: int, address: str, now: dt.datetime) -> str:
        """A token for a mail's link: confirming `address`, or unsubscribing it (`CONFIRM`, `UNSUBSCRIBE`)."""
        expires = int((now + MAIL_TTL[purpose]).timestamp())
        body = f"m1.{purpose}.{person_id}.{address_digest(address)}.{expires}"
        return f"{body}.{_b64(hmac.new(self._mail_key, body.encode(), hashlib.sha256).digest())}"

    def check_mail_token(self, purpose: str, token: str, now: dt.datetime) -> tuple[int, str] | None:
        """(person id, address digest) of an authentic, unexpired mail token for `purpose`, else None."""
        if len(token) > 200:
            return None
        body, _, mac = token.rpartition(".")
        expected = _b64(hmac.new(self._mail_key, body.encode(), hashlib.sha256).digest())
        if not body or not hmac.compare_digest(mac.encode(), expected.encode()):
            return None
        parts = body.split(".")
        if len(parts) != 5 or parts[:2] != ["m1", purpose] or not parts[2].isdigit() or not parts[4].isdigit():
            return None
        if int(parts[4]) <= now.timestamp():
            return None
        return int(parts[2]), parts[3]

    def csrf(self, token: str) -> str:
        """The form token of a page opened with `token`: forms without it are refused."""
        return _b64(hmac.new(self._csrf_key, token.encode(), hashlib.sha256).digest())[:32]

    def check_csrf(self, token: str, given: str) -> bool:
        return hmac.compare_digest(self.csrf(token).encode(), given.encode())

    def web_person(self, nonce: str) -> str:
        """The external id of a person who joins on the web with this form ("web:…": no Telegram id can
        look like it); the same form sent twice names the same person."""
        return "web:" + _b64(hmac.new(self._person_key, nonce.encode(), hashlib.sha256).digest())[:24]


def with_web_links(links: Links, signer: Signer, base_url: str, mini_app: bool,
                   clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC), mail: bool = False) -> Links:
    """`links` plus the personal web links (and the Mini App's address, with a bot token to check it);
    with `mail`, the links that confirm an address given for mail."""
    base = base_url.rstrip("/")
    return replace(
        links,
        mail=mail,
        confirm_mail=lambda person, address: f"{base}/mail/confirm/"
                                             f"{signer.mail_token(CONFIRM, person, address, clock())}",
        unsubscribe_mail=lambda person, address: f"{base}/mail/off/"
                                                 f"{signer.mail_token(UNSUBSCRIBE, person, address, clock())}",
        web=lambda person, project, joined: f"{base}/p/{signer.sign(person, project, joined, clock())}",
        web_days=signer.ttl.days,
        mini_app=(lambda project: f"{base}/app?project={project}") if mini_app else (lambda project: None),
        web_invite=lambda token: f"{base}/join/{token}",
        web_served=True,
    )
