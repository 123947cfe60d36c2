"""Property-based fuzzing of the engine: members and strangers of two projects do random things.

Invariants: no input ever fails inside the engine; nobody receives text from a project they are
not a member of; every answer the bot confirmed can be read back from storage.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import compose_engine, load_content
from bot.engine.model import ButtonInput
from devtools.people.engine import World, invite_token
from storage import Database

CONTENT = load_content(default_locale="en")
COMMANDS = ["/start", "/continue", "/mine", "/theirs", "/compare", "/summary", "/projects", "/invite",
            "/language", "/settings", "/help", "/back", "/skip", "/pause", "/cancel", "/new", "/join x",
            "/start " + "A" * 64, "/link", "/nonsense"]
TEXTS = ["<b>fed</b> & <a href='x'>", "x" * 5000, "\x00\x07ctrl", "😀🎉", "", "3", "250.000 DKK", "31-12-2026",
         "Ja", "Nej"]
NOT_SAVED = "blev ikke gemt"


def setup_world(url: str) -> tuple[World, dict[str, str], Database]:
    db = Database(url)
    db.upgrade()
    guide, catalogs = CONTENT
    world = World(compose_engine(guide, catalogs, db.unit_of_work))
    project_of: dict[str, str] = {}
    for tag, (creator, partner) in {"A": ("anna", "carl"), "B": ("erik", "fia")}.items():
        a, c = world.person(creator), world.person(partner)
        a.says("/new")
        a.says(f"Projekt {tag}")
        a.presses("Vi vil dele")
        created = a.says(f"Org-{tag}")
        c.says(f"/start {invite_token(created, 0)}")
        c.says(f"Partner-{tag}")
        project_of[creator] = project_of[partner] = tag
    return world, project_of, db


PEOPLE = ["anna", "carl", "erik", "fia", "eve"]
action = st.tuples(
    st.sampled_from(PEOPLE),
    st.one_of(
        st.tuples(st.just("say"), st.sampled_from(COMMANDS)),
        st.tuples(st.just("say"), st.sampled_from(TEXTS)),
        st.tuples(st.just("answer"), st.integers(0, 10**6)),
        st.tuples(st.just("press"), st.integers(0, 200)),
        st.tuples(st.just("steal"), st.tuples(st.sampled_from(PEOPLE), st.integers(0, 200))),
        st.tuples(st.just("garbage"), st.text(max_size=70)),
    ),
)


@pytest.mark.parametrize("backend", ["sqlite"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(action, min_size=5, max_size=60))
def test_random_inputs_break_nothing_and_leak_nothing(tmp_path_factory, backend, actions):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'db.sqlite3'}"
    world, project_of, db = setup_world(url)
    people = {name: world.person(name) for name in PEOPLE}
    counter = itertools.count()
    confirmed: list[tuple[str, str]] = []
    for name, (kind, arg) in actions:
        person = people[name]
        if kind == "say":
            person.says(arg)
        elif kind == "answer":
            tag = project_of.get(name, "X")
            secret = f"SECRET-{tag}-{next(counter)}-{arg}"
            reply = person.says(secret)
            if "✓ Gemt." in reply:
                confirmed.append((name, secret))
        elif kind == "press":
            buttons = [b for m in world.inbox.messages[person.chat_id][-3:] for row in m.buttons for b in row]
            if buttons:
                person.send(ButtonInput(buttons[arg % len(buttons)].data))
        elif kind == "steal":
            victim, index = arg
            seen = [b for m in world.inbox.messages[people[victim].chat_id] for row in m.buttons for b in row]
            if seen:
                person.send(ButtonInput(seen[index % len(seen)].data))
        else:
            person.send(ButtonInput(arg))
    for name, messages in world.inbox.messages.items():
        text = "\n".join(m.text for m in messages)
        assert NOT_SAVED not in text, f"an input failed inside the engine for {name}"
        who = name.split(":", 1)[1]
        own = project_of.get(who)
        for tag in ("A", "B"):
            if tag != own:
                assert f"SECRET-{tag}-" not in text, f"{who} saw project {tag}'s answers"
    with db.unit_of_work() as uow:
        stored = set()
        for project_id in range(1, 10):
            for side in uow.projects.sides(project_id):
                for question in world.engine.guide.all_questions():  # an undone answer is a revision too
                    for revision in uow.answers.history(side.id, question.key):
                        stored.add(revision.value.get("text", ""))
    for _name, secret in confirmed:
        assert secret in stored
    db.dispose()
