"""A whole project, replayed: every reply and nudge, byte for byte, as `tests/golden/replay.txt` keeps them.

Several people on both sides, a team group, three phases with typed and chosen answers, skips, edits,
sign-offs and a change request, an export, forged buttons, the web page (a form per kind of answer and
a sign-off), `/forget` and `/delete`. What each chat received is written out in order, with the
buttons' labels and data; invite tokens and form nonces are drawn from a counter, so the file is the
same on every run. A restructure that changes nothing a person sees keeps the file identical;
`SPREDNING_WRITE_GOLDEN=1 python3 -m pytest tests/test_replay_golden.py` writes it anew (and the diff
says what a change changed).
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import compose_engine, web_app
from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Message, Reply
from bot.engine.ports import Links
from bot.web.tokens import Signer, with_web_links
from devtools.people.engine import Clock, Person, World, invite_token
from devtools.people.web import answer_fields, open_questions, signoff_form

GOLDEN = Path(__file__).parent / "golden" / "replay.txt"
BASE = "http://testserver"
class Log:
    """What every chat received, in order."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lines: list[str] = []
        self.seen: dict[str, int] = {}

    def step(self, title: str, reply: Reply | None = None) -> None:
        self.lines.append(f"## {title}")
        if reply is not None and reply.notice:
            self.lines.append(f"notice: {(reply.notice)}")
        for chat, messages in self.world.inbox.messages.items():
            for message in messages[self.seen.get(chat, 0):]:
                self.lines.extend(self.message(message))
            self.seen[chat] = len(messages)

    def message(self, message: Message) -> list[str]:
        head = f"-> {message.chat}" + (" (nudge)" if message.notification else "") + \
            (" (force reply)" if message.force_reply else "")
        lines = [head, *("   " + line for line in message.text.splitlines())]
        if message.topic is not None:
            lines.append(f"   topic: {message.topic.question_key}")
        for row in message.buttons:
            lines.append("   [" + "] [".join(self.button(b.label, b.data, b.url) for b in row) + "]")
        lines.extend(f"   file: {d.filename} ({d.mime})" for d in message.documents)
        lines.extend(f"   attachment: {a.kind} {a.name}" for a in message.attachments)
        return lines

    def button(self, label: str, data: str, url: str | None) -> str:
        if url:
            return f"{label} -> {url}"
        return f"{label} = {data}"


class Scene:
    """The people of the replay and the log of what they were told."""

    def __init__(self, world: World, web: TestClient) -> None:
        self.world, self.web = world, web
        self.log = Log(world)

    def says(self, person: Person, text: str, group: str | None = None) -> str:
        said = person.says(text, in_group=group)
        self.log.step(f"{person.name}{' in ' + group if group else ''}: {(text)}", person.last_reply)
        return said

    def presses(self, person: Person, label: str, group: str | None = None) -> str:
        said = person.presses(label, in_group=group)
        self.log.step(f"{person.name} presses {label}", person.last_reply)
        return said

    def presses_data(self, person: Person, data: str, why: str) -> None:
        person.presses_data(data)
        self.log.step(f"{person.name} presses {why}", person.last_reply)

    def answers_phase(self, person: Person, text: str, limit: int = 80) -> None:
        """Answer what is asked until nothing is: the first option of a choice, else typed text."""
        for number in range(limit):
            last = self.world.inbox.messages[person.chat_id][-1]
            buttons = [b for row in last.buttons for b in row]
            decoded = [(b, cb.decode(b.data)) for b in buttons]
            choice = next((b for b, d in decoded if isinstance(d, intents.Choose | intents.SkipFollowUp)), None)
            if choice is not None:
                person.presses_data(choice.data)
                self.log.step(f"{person.name} chooses {choice.label}", person.last_reply)
            elif any(isinstance(d, intents.Skip) for _, d in decoded):
                person.says_typed(f"{text} {number}")
                self.log.step(f"{person.name} types an answer", person.last_reply)
            else:
                return
        raise AssertionError("the phase kept asking")

    def on_the_web(self, person: Person, path: str, count: int) -> None:
        """Answer the page's first open question of each kind, then the next ones, `count` forms in all."""
        kinds: set[str] = set()
        for _ in range(count):
            page = self.web.get(path).text
            open_forms = open_questions(page)
            if not open_forms:
                break
            form = next((f for f in open_forms if (f["kind"], bool(f["choices"])) not in kinds), open_forms[0])
            kinds.add((form["kind"], bool(form["choices"])))
            fields = answer_fields(form, "Svar fra nettet")
            if "now" in form["choices"]:
                fields["choice"] = "now"  # draft the benefits plan: its amounts and dates are asked
            posted = self.web.post(form["action"], data=fields, follow_redirects=False)
            shown = self.web.get(posted.headers["location"]).text
            self.shown(f"{person.name} on the web answers a {form['kind']} question", posted.status_code, shown)

    def signs_off_on_the_web(self, person: Person, path: str, verdict: str, note: str = "") -> None:
        action, fields = signoff_form(self.web.get(path).text, verdict, note)
        posted = self.web.post(action, data=fields, follow_redirects=False)
        shown = self.web.get(posted.headers["location"]).text
        self.shown(f"{person.name} on the web signs off ({verdict})", posted.status_code, shown)

    def shown(self, title: str, status: int, page: str) -> None:
        """What the page said after a form (its status section), and the nudges the form caused."""
        section = re.search(r'<section class="said".*?</section>', page, re.DOTALL)
        self.log.lines.append(f"## {title}: {status}")
        if section:
            self.log.lines.extend(f"   said: {(p.strip())}"
                                  for p in re.findall(r"<p>(.*?)</p>", section.group(0), re.DOTALL))
        self.world.deliver_nudges()
        self.log.step("(after the form)")


def play(scene: Scene) -> None:
    world = scene.world
    anna, bo, carl, dina = (world.person(n) for n in ("anna", "bo", "carl", "dina"))
    s = scene
    s.says(anna, "/start")
    s.presses(anna, "Start et projekt")
    s.says(anna, "Digital genoptræning")
    s.presses(anna, "Vi vil dele")
    created = s.says(anna, "Aarhus Kommune")
    partner, team = invite_token(created, 0), invite_token(created, 1)
    s.says(bo, f"/start {team}")
    s.says(anna, f"/start {team}", group="aarhus")
    s.says(carl, f"/start {partner}")
    s.says(carl, "Odense Kommune")
    s.says(dina, f"/start {invite_token(carl.says('/invite'), 1)}")
    s.log.step("carl: /invite")

    # Forged and foreign buttons.
    s.presses_data(anna, "a:99999:abcdef:x", "a button of a project she is not in")
    s.presses_data(anna, "zz:1:whatever", "a button that never existed")
    s.presses_data(anna, "g:" + "9" * 30, "a malformed sign-off")

    # Phase 1: typed answers, a teammate in the group, a skip, an edit, the web page.
    s.says(anna, "/continue")
    s.says(anna, "Vi ville give borgerne <b>genoptræning</b> hjemme.")
    s.says(bo, "/continue", group="aarhus")
    s.says(bo, "En app med øvelser & video.", group="aarhus")
    s.says(anna, "/skip")
    s.says(anna, "/back")
    s.says(anna, "/mine")
    s.presses(anna, "Beskriv innovationen")
    s.presses(anna, "Hvad er formålet?")
    s.says(anna, "Formålet er genoptræning i eget hjem.")
    s.answers_phase(anna, "Aarhus svarer")
    s.says(carl, "/continue")
    s.says(carl, "Vi vil korte ventetiden.")
    path = re.search(re.escape(BASE) + r"(/p/[A-Za-z0-9._-]+)", dina.says("/web")).group(1)
    s.log.step("dina: /web")
    s.on_the_web(dina, path, 24)
    s.says(carl, "/continue")
    s.answers_phase(carl, "Odense svarer")
    s.says(carl, "/compare")
    s.says(anna, "/theirs")
    s.says(anna, "/summary")
    s.presses(anna, "Vi er enige")
    s.presses(carl, "ændringer")
    s.says(carl, "Skriv mere om <i>tabletterne</i>.")
    s.says(anna, "/mine")
    s.presses(anna, "Beskriv innovationen")
    s.presses(anna, "✏️")
    s.says(anna, "Borgerne får en tablet med appen.")
    s.says(anna, "/summary")
    s.presses(anna, "Vi er enige")
    s.signs_off_on_the_web(dina, path, "agree")

    # Phases 2 and 3.
    for _ in range(2):
        s.says(anna, "/continue")
        s.answers_phase(anna, "Aarhus svarer")
        s.says(carl, "/continue")
        s.answers_phase(carl, "Odense svarer")
        s.presses(anna, "Vi er enige")
        s.presses(carl, "Vi er enige")

    s.says(anna, "/todo")
    s.says(anna, "/export")
    s.says(carl, "/team")
    s.says(dina, "/forget")
    s.presses(dina, "Slet")
    s.says(anna, "/delete")
    s.presses(anna, "Slet")
    s.says(carl, "/continue")


@pytest.fixture
def scene(sqlite_url, content, monkeypatch):
    drawn = itertools.count(1)
    monkeypatch.setattr(secrets, "token_urlsafe", lambda nbytes=32: f"token{next(drawn):04d}".ljust(nbytes, "x"))
    from storage import Database

    db = Database(sqlite_url)
    db.upgrade()
    guide, catalogs = content
    signer = Signer("golden-secret-" + "x" * 20)
    clock = Clock()
    links = with_web_links(Links(), signer, BASE, mini_app=True, clock=clock)
    engine = compose_engine(guide, catalogs, db.unit_of_work, links, clock=clock)
    world = World(engine, tick=clock.tick)
    with TestClient(web_app(engine, signer, BASE, "123456:golden").asgi(), base_url=BASE) as client:
        yield Scene(world, client)
    db.dispose()


def test_a_whole_project_replays_byte_for_byte(scene):
    play(scene)
    replayed = "\n".join(scene.log.lines) + "\n"
    if os.environ.get("SPREDNING_WRITE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(replayed, encoding="utf-8")
    assert replayed == GOLDEN.read_text(encoding="utf-8")


def test_the_replay_reaches_every_kind_of_step(scene):
    play(scene)
    replayed = "\n".join(scene.log.lines)
    for step in (
        "on the web answers a text question",
        "on the web answers a scale question",
        "on the web answers a yes_no question",
        "on the web answers a amount question",
        "on the web answers a date question",
        "on the web signs off (agree): 303",
        "   said: ",
        "(nudge)",
        "file: ",
        "-> group:aarhus",
        "notice: ",
    ):
        assert step in replayed, step
