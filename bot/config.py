"""Settings from environment variables (overridable by command-line flags)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from storage import default_database_url

DEFAULT_API_BASE = "https://api.telegram.org"


@dataclass(frozen=True)
class Settings:
    token: str | None
    database_url: str
    api_base: str
    default_locale: str
    log_level: str
    webhook_secret: str | None = None
    # Telegram's flood limit for the whole bot (messages per second); 0 lifts it (paid broadcasts).
    max_messages_per_second: float = 30.0
    # How long a "tools answered" nudge waits for more (a session of answering becomes one nudge).
    nudge_delay_seconds: float = 600.0
    # The web page: served when its public base URL is set (e.g. https://bot.example.org).
    web_url: str | None = None
    web_secret: str | None = None  # signs personal links; default: derived from the bot token
    web_listen: str = "0.0.0.0"
    web_port: int = 8080
    # E-mail: sent through this relay (smtp://user:password@host:587, smtps://…:465) from this address;
    # off without a relay or a web page (a mail's links open the page).
    smtp_url: str | None = None
    mail_from: str | None = None

    @property
    def mail(self) -> bool:
        """Whether the bot sends mail: a relay, a sender address and a web page are configured."""
        return bool(self.smtp_url and self.mail_from and self.web_url)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            database_url=os.environ.get("DATABASE_URL") or default_database_url(),
            api_base=(os.environ.get("TELEGRAM_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
            default_locale=os.environ.get("SPREDNING_DEFAULT_LOCALE", "en"),
            log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
            max_messages_per_second=float(os.environ.get("TELEGRAM_MAX_MESSAGES_PER_SECOND") or 30),
            nudge_delay_seconds=float(os.environ.get("SPREDNING_NUDGE_DELAY") or 600),
            web_url=(os.environ.get("SPREDNING_WEB_URL") or "").rstrip("/") or None,
            web_secret=os.environ.get("SPREDNING_WEB_SECRET") or None,
            web_listen=os.environ.get("SPREDNING_WEB_LISTEN") or "0.0.0.0",
            web_port=int(os.environ.get("SPREDNING_WEB_PORT") or 8080),
            smtp_url=os.environ.get("SPREDNING_SMTP_URL") or None,
            mail_from=os.environ.get("SPREDNING_MAIL_FROM") or None,
        )
