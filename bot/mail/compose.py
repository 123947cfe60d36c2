"""A mail from an outbox message: its Telegram-style HTML as plain text and as HTML, one template each.

The message's buttons have no meaning in a mail; the mail carries a fresh personal link to the
project's page instead (where everything the buttons do can be done), and an unsubscribe link,
also as RFC 8058 one-click headers."""

from __future__ import annotations

import email.policy
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.i18n import Translator
from bot.mail.texts import mail_texts

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                        autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
SUBJECT_MAX = 90
# Headers unfolded up to RFC 5322's line limit: Python 3.11's folding of a non-ASCII header between
# encoded words puts the space outside them, where readers drop it ("udfyldtværktøjet").
POLICY = email.policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class MailOrder:
    """One mail to send: to whom, what (Telegram-style HTML), and the links it carries."""

    to: str
    text: str
    subject: str | None = None
    link: str | None = None  # a fresh personal link to the project's page
    link_days: int = 14
    unsubscribe: str | None = None
    message_id: str | None = None


def plain_text(text: str) -> str:
    """Telegram-style HTML as plain text: a link as its text and address, tags away, entities read."""
    def link(match: re.Match[str]) -> str:
        address, label = html.unescape(match[1]), _TAG.sub("", match[2])
        return address if html.unescape(label) == address else f"{label} ({address})"
    return html.unescape(_TAG.sub("", _LINK.sub(link, text)))


def subject_of(order: MailOrder) -> str:
    if order.subject:
        return order.subject
    first = next((line for line in plain_text(order.text).splitlines() if line.strip()), "")
    return first if len(first) <= SUBJECT_MAX else first[:SUBJECT_MAX - 1].rstrip() + "…"


def compose(order: MailOrder, t: Translator, sender: str) -> EmailMessage:
    """The mail: multipart plain text and HTML, in the reader's language."""
    tx = mail_texts(t)
    tx["open_hint"] = tx["open_hint"].format(days=order.link_days)
    subject = subject_of(order)
    context = {"tx": tx, "link": order.link, "unsubscribe": order.unsubscribe, "subject": subject, "lang": t.locale}
    mail = EmailMessage(policy=POLICY)
    mail["Subject"] = subject
    mail["From"] = formataddr((tx["guide"], sender)) if "<" not in sender else sender
    mail["To"] = order.to
    mail["Message-ID"] = order.message_id or make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    mail["Auto-Submitted"] = "auto-generated"
    if order.unsubscribe:
        mail["List-Unsubscribe"] = f"<{order.unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(TEMPLATES.get_template("mail.txt").render(body=plain_text(order.text), **context))
    body_html = Markup(order.text.replace("\n", "<br>\n"))  # the engine's HTML: user text in it is escaped
    mail.add_alternative(TEMPLATES.get_template("mail.html").render(body_html=body_html, **context),
                         subtype="html")
    return mail
