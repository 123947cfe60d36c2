"""Logging for the `spredning` command: at every level, secrets, invite tokens and people's words redacted."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# What people write, wherever a library or we print it: JSON and Python reprs of a message's text,
# caption and the sender's names; invite tokens in commands and deep links.
_QUOTED = re.compile(
    r"""(?P<key>(?P<q>['"])(?:text|caption|first_name|last_name|username|title|data|query)(?P=q)\s*:\s*)"""
    r"""(?P<v>(?P<vq>['"]).*?(?<!\\)(?P=vq))""")
_REPR = re.compile(r"""(?P<key>\b(?:text|caption|name|note)=)(?P<v>(?P<vq>['"]).*?(?<!\\)(?P=vq))""")
_INVITE = re.compile(r"(?P<key>(?:/start|/join|/link)\s+|start(?:group)?=)(?P<v>[A-Za-z0-9_-]{6,})")
REDACTED = "[redacted]"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _QUOTED.sub(lambda m: m["key"] + m["vq"] + REDACTED + m["vq"], text)
    text = _REPR.sub(lambda m: m["key"] + m["vq"] + REDACTED + m["vq"], text)
    return _INVITE.sub(lambda m: m["key"] + REDACTED, text)


class Redactor(logging.Filter):
    """Rewrites each record (message, arguments and traceback) before a handler writes it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage(), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """The root logger at `level`, every handler redacting; chatty libraries quiet below WARNING."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redactor = Redactor(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for name in ("fontTools", "fpdf", "PIL"):  # /export: a hundred INFO lines of font subsetting
            logging.getLogger(name).setLevel(logging.WARNING)
