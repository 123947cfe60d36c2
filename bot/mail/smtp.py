"""The SMTP relay mails go through, as `SPREDNING_SMTP_URL` gives it.

`smtp://user:password@host:587` (STARTTLS when the relay offers it) or `smtps://user:password@host:465`
(TLS from the start)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlparse

import aiosmtplib


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps)
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str) -> Relay:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
            raise ValueError(f"not an smtp:// or smtps:// URL: {parsed.scheme}://{parsed.hostname or ''}")
        tls = parsed.scheme == "smtps"
        return cls(parsed.hostname, parsed.port or (465 if tls else 587), tls,
                   unquote(parsed.username) if parsed.username else None,
                   unquote(parsed.password) if parsed.password else None)

    def options(self) -> dict[str, Any]:
        return {"hostname": self.host, "port": self.port, "use_tls": self.tls, "start_tls": None if not self.tls
                else False, "username": self.username, "password": self.password, "timeout": self.timeout}

    async def send(self, mail: EmailMessage, sender: str, recipient: str) -> None:
        """Hand the mail to the relay as the message's own policy writes it (an
        `aiosmtplib.SMTPException` if it is not accepted)."""
        await aiosmtplib.send(mail.as_bytes(), sender=sender, recipients=[recipient], **self.options())
