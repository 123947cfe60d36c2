"""A loopback fake of the Telegram Bot API, for end-to-end tests of a python-telegram-bot bot.

`FakeTelegram` serves the Bot API over HTTP on 127.0.0.1 from a background thread with its own
asyncio loop, so neither a synchronous test nor the event loop of an asynchronous test (which may
run the bot itself) is ever blocked by it. The bot under test is pointed at it with

    ApplicationBuilder().token(tg.token).base_url(tg.base_url).base_file_url(tg.base_file_url)

(PTB appends the token to both URLs; requests go to ``/bot<token>/<method>`` and file downloads
to ``/file/bot<token>/<file_path>``), or, for `spredning run`, with ``--api-base tg.api_base``.

Telegram is emulated at the HTTP boundary only:

* the test *injects* what users do (``tg.send_text``, ``tg.press``, ``tg.send_document`` ...),
  which become updates served by ``getUpdates`` with real offset/long-polling semantics;
* everything the bot does is *recorded* (``tg.sent``, ``tg.edits``, ``tg.callback_answers``,
  ``tg.attempts``) and can be awaited (``tg.wait_for`` / ``await tg.await_for``);
* faults can be injected (``tg.fail_next``, ``tg.delay_next``, ``tg.block``).

Validation follows the Bot API where bots commonly get it wrong (message length, HTML
well-formedness, callback_data size, reply targets, "message is not modified"), with the same
error codes and descriptions Telegram returns, so PTB raises the same exceptions. Text length is
counted in code points after entity parsing; MarkdownV2 parsing is approximate.

All times recorded are ``time.monotonic()`` values. The state survives bot restarts, so a bot
subprocess can be SIGKILLed and restarted against the same server: unconfirmed updates are
delivered again, exactly as by Telegram.
"""

from .facade import FakeTelegram
from .protocol import ApiError
from .records import (
    Attempt,
    CallbackAnswer,
    EditRecord,
    FakeChat,
    FakeUser,
    Injected,
    SentMessage,
    StoredFile,
)
from .text import command_entity, parse_html, parse_text

__all__ = [
    "ApiError", "Attempt", "CallbackAnswer", "EditRecord", "FakeChat", "FakeTelegram", "FakeUser",
    "Injected", "SentMessage", "StoredFile", "command_entity", "parse_html", "parse_text",
]
