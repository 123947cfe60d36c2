"""`FakeTelegram`: the public facade wiring state, Bot API and server; lifecycle and URLs."""

from __future__ import annotations

from typing import Self

from .api import _BotApi
from .faults import _FaultControl
from .injection import _Injection
from .observation import _Observation
from .records import FakeUser
from .server import _Server
from .state import _State


class FakeTelegram(_Injection, _Observation, _FaultControl):
    """A fake Telegram Bot API server on 127.0.0.1 (see the package docstring).

    ``with FakeTelegram() as tg:`` or ``tg = FakeTelegram().start()`` ... ``tg.stop()``.
    """

    def __init__(self, token: str = "123456:TEST-token", bot_username: str = "spredning_test_bot",
                 bot_name: str = "Spredning Test", host: str = "127.0.0.1", port: int = 0,
                 record_get_updates: bool = False) -> None:
        bot_id = int(token.split(":", 1)[0])
        self._token = token
        self._state = _State(FakeUser(bot_id, bot_name, None, username=bot_username, is_bot=True))
        self._api = _BotApi(self._state, {
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False})
        self._server = _Server(self._state, self._api, token, host, port, record_get_updates)
        self._started = False

    # -- lifecycle

    def start(self) -> Self:
        if not self._started:
            self._server.start()
            self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._server.stop()
            self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses

    @property
    def token(self) -> str:
        return self._token

    @property
    def bot_id(self) -> int:
        return self._state.bot.id

    @property
    def bot_username(self) -> str:
        return self._state.bot.username or ""

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def api_base(self) -> str:
        """``http://127.0.0.1:PORT``: the server root (``spredning run --api-base``)."""
        if not self._started:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url``; PTB appends the token."""
        return f"{self.api_base}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url``; PTB appends the token."""
        return f"{self.api_base}/file/bot"
