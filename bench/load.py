"""The load generator: people in many projects talking to a real bot process through a fake Bot API.

Each *chat* is one person in a closed loop: send a message or press a button, wait until the bot
has answered, act again. A spredning project has two such people, the sharer and the reuser, who
answer their own questions (typed answers and choices), sign off phases, and every few turns read
the other side's answers (`/theirs`, `/compare`, `/summary` and a tool button). The peer (a PTB
`ConversationHandler` questionnaire, bench/peer_bot.py) gets one person per chat answering its
questions, typed and chosen, with a `/summary` every few turns. The echo bot gets the same loop
with texts, commands and button presses.

A turn starts when the update is injected and is answered when the bot's first message reaches
the chat (the *latency*); it is finished when a message with an inline keyboard arrives (the
next question or choice), or, for replies without one, when the chat has been quiet for
`settle` seconds. Times are taken on the fake server's clock as requests arrive, so waiting in
this process does not add to them. Only turns that start after the warm-up and finish inside the
measured window are counted.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.preload import ANSWER_TEXT
from bench.procstat import cpu_seconds, memory_kib
from bot.engine import intents
from devtools.fake_telegram import CallbackAnswer, FakeTelegram, FakeUser, SentMessage
from devtools.people.buttons import (
    agreeing,
    default_guide,
    means,
    question_by_ref,
    skippable_question,
    typed_value,
)

ROOT = Path(__file__).resolve().parents[1]
TURN_TIMEOUT = 30.0
READ_EVERY = 8  # every n-th turn a person reads the other side's answers
SCENARIOS = ("spredning", "peer", "echo")


@dataclass
class Turn:
    kind: str  # "text", "command" or "press"
    started: float
    action: str = ""  # what exactly: "/compare", "press g", "text" …
    first: float | None = None
    done: float | None = None
    by_quiet: bool = False
    timed_out: bool = False  # no reply within TURN_TIMEOUT

    @property
    def latency(self) -> float | None:
        return None if self.first is None else self.first - self.started


class _OpenTurn:
    """A turn waiting for the bot: finished by a keyboard, or by `settle` seconds of quiet."""

    def __init__(self, loop: asyncio.AbstractEventLoop, turn: Turn, settle: float, keyboard_ends: bool) -> None:
        self.loop, self.turn, self.settle, self.keyboard_ends = loop, turn, settle, keyboard_ends
        self.finished: asyncio.Future[None] = loop.create_future()
        self.timer: asyncio.TimerHandle | None = None

    def message(self, message: SentMessage) -> None:
        if self.finished.done():
            return
        if self.turn.first is None:
            self.turn.first = message.time
        self.turn.done = message.time
        if self.timer is not None:
            self.timer.cancel()
        if self.keyboard_ends and message.buttons:
            self.finished.set_result(None)
        else:
            self.timer = self.loop.call_later(self.settle, self._quiet)

    def _quiet(self) -> None:
        if not self.finished.done():
            self.turn.by_quiet = True
            self.finished.set_result(None)


class Chats:
    """What the bot sent, per chat, routed to the turn that waits for it (no polling)."""

    def __init__(self, tg: FakeTelegram, loop: asyncio.AbstractEventLoop, settle: float) -> None:
        self.tg, self.loop, self.settle = tg, loop, settle
        self.inbox: dict[int, list[SentMessage]] = defaultdict(list)
        self.waiting: dict[int, _OpenTurn] = {}
        tg.subscribe(self._from_server)

    def _from_server(self, record: SentMessage | CallbackAnswer) -> None:
        if isinstance(record, SentMessage):
            self.loop.call_soon_threadsafe(self._arrived, record)

    def _arrived(self, message: SentMessage) -> None:
        self.inbox[message.chat_id].append(message)
        waiting = self.waiting.get(message.chat_id)
        if waiting is not None:
            waiting.message(message)

    def last_keyboard(self, chat_id: int) -> SentMessage | None:
        return next((m for m in reversed(self.inbox[chat_id]) if m.buttons), None)

    def text_since(self, chat_id: int, count: int) -> str:
        return "\n".join(m.plain_text or "" for m in self.inbox[chat_id][count:])

    async def turn(self, person: Person, kind: str, inject: Callable[[], Any], keyboard_ends: bool = True) -> Turn:
        turn = Turn(kind, time.monotonic())
        waiting = _OpenTurn(self.loop, turn, self.settle, keyboard_ends)
        self.waiting[person.chat_id] = waiting
        try:
            inject()
            await asyncio.wait_for(waiting.finished, TURN_TIMEOUT)
        except TimeoutError:
            turn.timed_out = True
        finally:
            if waiting.timer is not None:
                waiting.timer.cancel()
            self.waiting.pop(person.chat_id, None)
        return turn


@dataclass
class Person:
    user: FakeUser
    steps: int = 0
    reading: bool = False
    idle: int = 0  # turns in a row without a question to answer
    away: bool = False  # read something since the question was shown: /continue brings it back first
    reads: Any = field(default_factory=lambda: itertools.cycle(["/theirs", "/compare", "/summary"]))

    @property
    def chat_id(self) -> int:
        return self.user.id


Action = tuple[str, str, Callable[[], Any]]  # kind, action, inject


class Load:
    """One bot under one load; `scenario` is "spredning", "peer" or "echo"."""

    def __init__(self, tg: FakeTelegram, scenario: str, chats: int, settle: float = 0.3) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}: one of {', '.join(SCENARIOS)}")
        if scenario == "spredning" and chats % 2:
            raise ValueError("spredning needs an even number of chats: two people per project")
        self.tg, self.scenario, self.settle = tg, scenario, settle
        self.people = [Person(tg.user(700_000 + n, f"Person {n}", "da")) for n in range(chats)]
        self.chats: Chats | None = None
        self.turns: list[Turn] = []

    # ---- what a person does next

    def text(self, person: Person, text: str) -> Action:
        kind = "command" if text.startswith("/") else "text"
        return kind, text.split()[0] if kind == "command" else "text", lambda: self.tg.send_text(person.user, text)

    def press(self, person: Person, message: SentMessage, data: str) -> Action:
        return "press", f"press {data.split(':')[0]}", lambda: self.tg.press(person.user, message, data)

    def next_echo(self, person: Person) -> Action:
        assert self.chats is not None
        person.steps += 1
        last = self.chats.last_keyboard(person.chat_id)
        if person.steps % 10 == 0:
            return self.text(person, "/help")
        if person.steps % 2 == 0 and last is not None:
            return self.press(person, last, last.buttons[0]["callback_data"])
        return self.text(person, ANSWER_TEXT)

    def next_peer(self, person: Person) -> Action:
        """/start first; then answer the question asked (a choice, or typed), with a /summary now and then."""
        assert self.chats is not None
        person.steps += 1
        last = self.chats.last_keyboard(person.chat_id)
        if person.steps == 1 or last is None:
            return self.text(person, "/start")
        if person.steps % READ_EVERY == 0:
            return self.text(person, "/summary")
        data = [b["callback_data"] for b in last.buttons if "callback_data" in b]
        choices = [d for d in data if d.startswith("c:")]
        if choices:
            return self.press(person, last, choices[person.steps % len(choices)])
        if "continue" in data:  # after /summary: back to the question
            return self.press(person, last, "continue")
        hint = last.plain_text or ""
        typed = "250.000 DKK" if "amount" in hint else "31-12-2026" if "date" in hint else ANSWER_TEXT
        return self.text(person, typed)

    def next_spredning(self, person: Person) -> Action:
        assert self.chats is not None
        person.steps += 1
        last = self.chats.last_keyboard(person.chat_id)
        buttons = [
            (b.get("text", ""), b["callback_data"]) for b in (last.buttons if last else ()) if "callback_data" in b
        ]
        if person.reading:  # the tool list of /theirs or /compare: open the first tool
            person.reading = False
            tool = next((d for _, d in buttons if means(intents.ShowTheirs | intents.Compare, d)), None)
            if tool is not None and last is not None:
                return self.press(person, last, tool)
        if person.steps % READ_EVERY == 0:
            command = next(person.reads)
            person.reading, person.away = command != "/summary", True
            return self.text(person, command)
        if person.away:  # typed text answers only the question on screen: bring it back, as a person would
            person.away = False
            return self.text(person, "/continue")
        agree = next((d for _, d in buttons if means(agreeing, d)), None)
        choice = next((d for _, d in buttons if means(intents.Choose | intents.SkipFollowUp, d)), None)
        if last is not None and (agree or choice):
            person.idle = 0
            return self.press(person, last, agree or choice or "")
        ref = skippable_question(d for _, d in buttons)
        if ref is not None and last is not None:
            person.idle = 0
            question = question_by_ref(default_guide(), ref)
            return self.text(person, typed_value(question.kind if question else None, ANSWER_TEXT))
        # Nothing to answer: the other side has not caught up. Read their answers, look again now and then.
        person.idle += 1
        if person.idle % 4 == 1:
            return self.text(person, "/continue")
        command = next(person.reads)
        person.reading, person.away = command != "/summary", True
        return self.text(person, command)

    # ---- setting up projects (not measured)

    async def setup_project(self, number: int, sharer: Person, reuser: Person) -> None:
        chats = self.chats
        assert chats is not None

        async def say(person: Person, text: str) -> None:
            await chats.turn(person, "setup", lambda: self.tg.send_text(person.user, text), keyboard_ends=False)

        await say(sharer, "/new")
        await say(sharer, f"Projekt {number}")
        side = chats.last_keyboard(sharer.chat_id)
        assert side is not None, "no side buttons"
        await chats.turn(sharer, "setup", lambda: self.tg.press(sharer.user, side, side.callback_data("Vi vil dele")),
                         keyboard_ends=False)
        before = len(chats.inbox[sharer.chat_id])
        await say(sharer, f"Kommune {number} A")
        tokens = re.findall(r"\?start=([A-Za-z0-9_-]+)", chats.text_since(sharer.chat_id, before))
        if not tokens:
            raise RuntimeError(f"no invite link: {chats.text_since(sharer.chat_id, before)[:300]!r}")
        await say(reuser, f"/start {tokens[0]}")
        await say(reuser, f"Kommune {number} B")

    # ---- running

    async def person_loop(self, person: Person, until: float) -> None:
        assert self.chats is not None
        choose = {"spredning": self.next_spredning, "peer": self.next_peer, "echo": self.next_echo}[self.scenario]
        while time.monotonic() < until:
            kind, action, inject = choose(person)
            turn = await self.chats.turn(person, kind, inject)
            turn.action = action
            self.turns.append(turn)

    async def run(self, warmup: float, duration: float, on_window: Callable[[str], None]) -> tuple[float, float]:
        """Set up, then load the bot for warmup + duration seconds; returns the measured window."""
        loop = asyncio.get_running_loop()
        self.chats = Chats(self.tg, loop, self.settle)
        if self.scenario == "spredning":
            pairs = list(zip(self.people[0::2], self.people[1::2], strict=True))
            await asyncio.gather(*(self.setup_project(n, a, b) for n, (a, b) in enumerate(pairs, 1)))
        start = time.monotonic()
        window = (start + warmup, start + warmup + duration)

        async def mark(at: float, name: str) -> None:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            on_window(name)

        marks = [asyncio.create_task(mark(window[0], "start")), asyncio.create_task(mark(window[1], "end"))]
        await asyncio.gather(*(self.person_loop(p, window[1]) for p in self.people))
        await asyncio.gather(*marks)
        return window


# ---------------------------------------------------------------------------- processes


class BotProcess:
    """A bot in its own process (`python -m bot run`, the peer or the echo bot), pointed at the fake API."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def spredning(cls, tg: FakeTelegram, database_url: str, workdir: Path) -> BotProcess:
        env = {"DATABASE_URL": database_url, "SPREDNING_DATA_DIR": str(workdir),
               # Telegram's flood limit (30 messages/s) is Telegram's, not the bot's cost: lifted here.
               "TELEGRAM_MAX_MESSAGES_PER_SECOND": "0"}
        return cls([sys.executable, "-m", "bot", "run"], _env(tg, env), workdir / "spredning.log")

    @classmethod
    def echo(cls, tg: FakeTelegram, workdir: Path) -> BotProcess:
        return cls([sys.executable, "-m", "bench.echo_bot"], _env(tg, {}), workdir / "echo.log")

    @classmethod
    def peer(cls, tg: FakeTelegram, workdir: Path) -> BotProcess:
        """The PTB questionnaire bot; its pickle file goes into `workdir`."""
        return cls([sys.executable, "-m", "bench.peer_bot"], _env(tg, {"PEER_DATA_DIR": str(workdir)}),
                   workdir / "peer.log")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)


def _env(tg: FakeTelegram, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_URL"))}
    return {**env, "TELEGRAM_BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.api_base, "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT), **extra}


async def wait_until_answering(tg: FakeTelegram, bot: BotProcess, timeout: float = 60.0) -> float:
    """Seconds from start until the bot answered a first message."""
    started = time.monotonic()
    probe = tg.user(699_999, "Probe", "da")
    mark = tg.mark()
    tg.send_text(probe, "/start")
    deadline = started + timeout
    while not any(m.chat_id == probe.id for m in tg.sent[mark:]):
        if bot.process is not None and bot.process.poll() is not None:
            raise RuntimeError(f"the bot exited with {bot.process.returncode}; see {bot.log}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the bot did not answer within {timeout} s; see {bot.log}")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


# ---------------------------------------------------------------------------- one measured run


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def by_action(turns: list[Turn]) -> dict[str, dict[str, float]]:
    """Count and latency (p50, p99 in ms) per action."""
    groups: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        if turn.latency is not None:
            groups[turn.action].append(turn.latency)
    return {action: {"count": len(values), "p50_ms": round(1000 * percentile(values, 0.5), 1),
                     "p99_ms": round(1000 * percentile(values, 0.99), 1)}
            for action, values in sorted(groups.items(), key=lambda item: -len(item[1]))}


@dataclass
class Result:
    scenario: str
    chats: int
    seconds: float
    updates: int
    mix: dict[str, int]
    latencies: list[float] = field(repr=False)
    bot_cpu: float
    harness_cpu: float
    rss_kib: int
    peak_kib: int
    by_action: dict[str, dict[str, float]]
    quiet_turns: int
    timeouts: int
    startup_seconds: float

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "chats": self.chats, "seconds": round(self.seconds, 1),
            "updates": self.updates, "updates_per_second": round(self.updates_per_second, 1),
            "p50_ms": round(1000 * percentile(self.latencies, 0.50), 1),
            "p95_ms": round(1000 * percentile(self.latencies, 0.95), 1),
            "p99_ms": round(1000 * percentile(self.latencies, 0.99), 1),
            "cpu_ms_per_update": round(1000 * self.bot_cpu / max(self.updates, 1), 2),
            "bot_cpu_share": round(self.bot_cpu / self.seconds, 2),
            "harness_cpu_share": round(self.harness_cpu / self.seconds, 2),
            "rss_mib": round(self.rss_kib / 1024, 1), "peak_mib": round(self.peak_kib / 1024, 1),
            "mix": self.mix, "by_action": self.by_action, "quiet_turns": self.quiet_turns, "timeouts": self.timeouts,
            "startup_s": round(self.startup_seconds, 2),
        }


async def measure(scenario: str, workdir: Path, chats: int = 20, warmup: float = 5.0, duration: float = 30.0,
                  database_url: str | None = None, settle: float = 0.3) -> Result:
    """Start a fresh fake Telegram and the bot, load it, and measure the window."""
    workdir.mkdir(parents=True, exist_ok=True)
    with FakeTelegram() as tg:
        if scenario == "spredning":
            bot = BotProcess.spredning(tg, database_url or f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        elif scenario == "peer":
            bot = BotProcess.peer(tg, workdir)
        else:
            bot = BotProcess.echo(tg, workdir)
        bot.start()
        try:
            startup = await wait_until_answering(tg, bot)
            load = Load(tg, scenario, chats, settle)
            samples: dict[str, tuple[float, float]] = {}

            def on_window(name: str) -> None:
                samples[name] = (cpu_seconds(bot.pid), time.process_time())

            window = await load.run(warmup, duration, on_window)
            memory = memory_kib(bot.pid)
        finally:
            bot.stop()
    measured = [t for t in load.turns if window[0] <= t.started <= window[1]]
    counted = [t for t in measured if not t.timed_out and t.done is not None and t.done <= window[1]]
    latencies = [t.latency for t in counted if t.latency is not None]
    return Result(
        scenario=scenario, chats=chats, seconds=window[1] - window[0], updates=len(counted),
        mix=dict(Counter(t.kind for t in counted)), latencies=latencies, by_action=by_action(counted),
        bot_cpu=samples["end"][0] - samples["start"][0], harness_cpu=samples["end"][1] - samples["start"][1],
        rss_kib=memory.get("VmRSS", 0), peak_kib=memory.get("VmHWM", 0),
        quiet_turns=sum(t.by_quiet for t in counted), timeouts=sum(t.timed_out for t in measured),
        startup_seconds=startup,
    )

