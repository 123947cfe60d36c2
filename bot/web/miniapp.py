"""Telegram Mini App sign-in: `initData` validated on the server with the bot token (init-data-py)."""

from __future__ import annotations

import datetime as dt

from init_data_py import is_valid_by_hash, parse
from init_data_py.errors import InitDataPyError

# How old initData may be (Telegram signs it when the Mini App opens).
MAX_AGE = dt.timedelta(hours=1)


class MiniAppAuth:
    """Who opened the Mini App, only if Telegram signed it for this bot; never trusted from the client."""

    def __init__(self, bot_token: str) -> None:
        self._token = bot_token

    def external_id(self, init_data: str, now: dt.datetime) -> str | None:
        """Our id of the Telegram user ("tg:<id>") in valid, fresh initData; None for anything else."""
        if not init_data or len(init_data) > 8192:
            return None
        try:
            if not is_valid_by_hash(init_data, self._token, expires_in=MAX_AGE, now=now):
                return None
            user = parse(init_data).user
        except (InitDataPyError, ValueError):
            return None
        return f"tg:{user.id}" if user is not None else None
