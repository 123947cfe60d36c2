"""The `spredning run` process itself: killed with SIGKILL mid-phase, restarted, nothing lost;
SIGTERM lets it finish what it fetched; a bad token is one line, not a traceback."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from bot.engine import intents
from devtools.fake_telegram import FakeTelegram
from devtools.network import free_port
from devtools.people.telegram import TgPerson
from storage import Database

ROOT = Path(__file__).resolve().parents[1]
KILLS = 8
ANSWERING = intents.Choose | intents.SkipFollowUp  # a choice, or skipping its follow-up


class BotProcess:
    def __init__(self, tg: FakeTelegram, database_url: str, data_dir: Path) -> None:
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.api_base,
                    "DATABASE_URL": database_url, "SPREDNING_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=self.env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(20)


def confirmed_answers(database_url: str) -> list[str]:
    db = Database(database_url)
    with db.unit_of_work() as uow:
        texts = [a.value.get("text", "") for a in uow.answers.latest(1).values()]
    db.dispose()
    return texts


async def test_sigkill_mid_phase_loses_no_confirmed_answer_and_the_conversation_continues(tg, tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = BotProcess(tg, url, tmp_path)
    bot.start()
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    try:
        await anna.says("/new")
        await anna.says("Digital genoptræning")
        await anna.presses("Vi vil dele")
        await anna.says("Aarhus Kommune")
        await anna.says("/continue")
        confirmed: list[str] = []
        rng = random.Random(7)
        for round_ in range(KILLS):
            for n in range(3):
                if anna.offers(ANSWERING):
                    await anna.presses(ANSWERING)
                    continue
                text = f"Svar {round_}-{n}"
                reply = await anna.says(text)
                if "✓ Gemt." in reply:
                    confirmed.append(text)
            # Kill at a random moment after one more answer was sent: before, during or after its turn.
            tg.send_text(anna.user, f"Svar {round_}-x")
            await asyncio.sleep(rng.uniform(0, 0.3))
            bot.kill()
            stored = confirmed_answers(url)
            assert all(text in stored for text in confirmed), "a confirmed answer was lost"
            bot.start()
            nxt = await anna.says("/continue")
            # The conversation goes on: the next question, or (phase done) waiting for the other side.
            assert "?" in nxt or "Vi venter på den genbrugende organisation" in nxt
        stored = confirmed_answers(url)
        assert len(confirmed) >= 6 and all(text in stored for text in confirmed)
    finally:
        if bot.process and bot.process.poll() is None:
            bot.kill()


async def test_sigterm_processes_what_was_fetched_before_exiting(tg, tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = BotProcess(tg, url, tmp_path)
    bot.start()
    people = [TgPerson(tg, tg.user(5000 + n, f"P{n}", "da")) for n in range(5)]
    try:
        await people[0].says("/start")
        injected = [tg.send_text(person.user, "/start") for person in people]
        for _ in range(200):  # until the bot has fetched them all (not necessarily processed)
            if all(tg.fetch_count(i.update_id) for i in injected):
                break
            await asyncio.sleep(0.01)
        assert bot.terminate() == 0
        greeted = {m.chat_id for m in tg.sent if (m.plain_text or "").startswith("Hej ")}
        assert {p.chat_id for p in people} <= greeted
    finally:
        if bot.process and bot.process.poll() is None:
            bot.kill()


def run_in(directory: Path, **env: str) -> subprocess.CompletedProcess:
    """`spredning run` in `directory` with the default database and log level."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SPREDNING_DATA_DIR", "LOG_LEVEL")}
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=directory, capture_output=True, text=True,
                          timeout=60, env={**clean, "PYTHONPATH": str(ROOT), **env})


def test_a_rejected_token_is_explained_in_one_line_and_nothing_is_created(tg, tmp_path):
    result = run_in(tmp_path, TELEGRAM_BOT_TOKEN="999:wrong", TELEGRAM_API_BASE=tg.api_base)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "spredning: Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (from @BotFather)."]
    assert not (tmp_path / "data").exists()


def test_an_unreachable_bot_api_is_one_line_and_nothing_is_created(tmp_path):
    port = free_port()  # nothing listens there
    result = run_in(tmp_path, TELEGRAM_BOT_TOKEN="999:x", TELEGRAM_API_BASE=f"http://127.0.0.1:{port}")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"spredning: cannot reach the Bot API at http://127.0.0.1:{port}")
    assert not (tmp_path / "data").exists()


async def test_the_bot_says_where_its_database_is(tg, tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SPREDNING_DATA_DIR", "LOG_LEVEL")}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**clean, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": tg.token,
                                    "TELEGRAM_API_BASE": tg.api_base})
    try:
        anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
        assert "Hej Anna" in await anna.says("/start")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    where = tmp_path.resolve() / "data" / "spredning.sqlite3"
    assert err.splitlines()[0] == f"spredning: database {where} (SQLite, new)"


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def status_before_body(port: int, headers: dict[str, str], length: int) -> int | None:
    """Send only the headers (announcing `length` bytes) and a few bytes of body; the status the
    server answers within 5 s, or None if it waits for the rest of the body."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "x", "Content-Length": str(length), **headers}.items())
        sock.sendall(f"POST /telegram HTTP/1.1\r\n{head}\r\n".encode() + b"{" * 1000)
        try:
            first = sock.recv(64)
        except TimeoutError:
            return None
    return int(first.split()[1]) if first else None


def closed_within(port: int, seconds: float) -> bool:
    """Whether a connection that sends half a request and then nothing is closed by the server."""
    import socket
    import time

    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as sock:
        sock.sendall(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        try:
            while sock.recv(1024):
                pass
        except (TimeoutError, ConnectionResetError):
            return False
        return time.monotonic() - start < seconds


async def test_the_webhook_refuses_requests_without_the_secret_and_survives_bad_bodies(tg, tmp_path):
    import json
    import time

    port = free_port()
    bot = BotProcess(tg, f"sqlite:///{tmp_path / 'bot.sqlite3'}", tmp_path)
    bot.env["TELEGRAM_WEBHOOK_SECRET"] = "s3cret-token"
    bot.process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook", "--url", "https://bot.example.org/telegram",
         "--listen", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=bot.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/telegram"
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/start",
                                          "chat": {"id": 1001, "type": "private"},
                                          "from": {"id": 1001, "is_bot": False, "first_name": "Anna"},
                                          "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    body = json.dumps(update).encode()
    tg.user(1001, "Anna", "da")
    try:
        for _ in range(100):
            try:
                post(url, b"{}", {"Content-Type": "application/json"})
                break
            except OSError:
                time.sleep(0.1)
        assert post(url, body, {"Content-Type": "application/json"}) == 403
        assert post(url, body, {"Content-Type": "application/json",
                                "X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        # PTB's webhook handler answers malformed JSON with 500 (not 4xx); it is refused and the server goes on.
        assert post(url, b"{not json", {"Content-Type": "application/json", **secret}) >= 400
        assert 400 <= post(url, body, {"Content-Type": "text/plain", **secret}) < 500
        assert not [m for m in tg.sent if m.chat_id == 1001]  # nothing was processed
        assert post(url, body, {"Content-Type": "application/json", **secret}) == 200
        greeting = await tg.await_for(chat=1001, timeout=15)
        assert greeting.plain_text.startswith("Hello Anna!")  # no language_code: the default, English
        # The secret is checked on the headers: a 60 MB body is refused before it is sent, and so is
        # an oversized one with the secret; the body is never buffered.
        json_type = {"Content-Type": "application/json"}
        assert status_before_body(port, json_type, 60_000_000) == 403
        assert status_before_body(port, {**json_type, **secret}, 60_000_000) == 413
        # JSON that is not an update is the sender's mistake: 400, never 500.
        for bad in (b'{"message": "x"}', b'{"update_id": 5, "message": "x"}', b'{"update_id": "x"}', b"[1]",
                    b'{"update_id": 6, "callback_query": {"id": 1}}'):
            assert post(url, bad, {**json_type, **secret}) == 400, bad
        # A connection that sends half a request and then nothing is closed.
        from bot.telegram.webhook import IDLE_TIMEOUT

        assert closed_within(port, IDLE_TIMEOUT + 5)
        assert post(url, json.dumps({**update, "update_id": 2}).encode(), {**json_type, **secret}) == 200
    finally:
        if bot.process.poll() is None:
            bot.kill()


async def test_debug_logs_show_no_token_secret_invite_or_answer(tg, tmp_path):
    bot = BotProcess(tg, f"sqlite:///{tmp_path / 'bot.sqlite3'}", tmp_path)
    bot.env["LOG_LEVEL"] = "DEBUG"
    anna = TgPerson(tg, tg.user(1001, "Anna", "da"))
    log_file = tmp_path / "bot.log"
    with log_file.open("wb") as err:  # a file, not a pipe: DEBUG output would fill a pipe and block
        bot.process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=bot.env,
                                       stdout=subprocess.DEVNULL, stderr=err)
    try:
        await anna.says("/start Zq9InviteToken123")
        await anna.says("/new")
        await anna.says("Hemmeligt projekt")
        await anna.presses("Vi vil dele")
        await anna.says("Aarhus Kommune")
        await anna.says("/continue")
        assert "✓ Gemt." in await anna.says("Et fortroligt svar")
        assert bot.terminate() == 0
        log = log_file.read_text()
        assert "DEBUG" in log and "sendMessage" in log  # the log is there, and it is verbose
        secret_part = tg.token.split(":", 1)[1]
        for leak in (secret_part, "Zq9InviteToken123", "Et fortroligt svar", "Hemmeligt projekt"):
            assert leak not in log, [line for line in log.splitlines() if leak in line][:3]
    finally:
        if bot.process and bot.process.poll() is None:
            bot.kill()
