"""/forget and /delete leave nothing behind: every table is dumped and searched for names and ids;
settled nudges lose their text at once and their rows after the retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, select

from bot.engine import intents
from bot.engine.model import PRIVATE, Chat, Input, TextInput
from bot.engine.outbox import SETTLED_KEPT
from devtools.people.engine import invite_token
from devtools.people.scenarios import start_project
from storage import Database


def dump(db: Database) -> str:
    """Every row of every table, as text."""
    metadata = MetaData()
    with db.engine.connect() as connection:
        metadata.reflect(connection)
        return "\n".join(f"{table.name}: {dict(row._mapping)!r}" for table in metadata.sorted_tables
                         for row in connection.execute(select(table)))


def test_after_forget_nothing_identifies_the_person_and_their_answers_stay_with_the_side(world, database):
    anna, bo, carl, dina = start_project(world)  # "Carl er kommet med" was sent to Anna
    carl.says("/continue")
    while carl.offers(intents.Choose | intents.SkipFollowUp):
        carl.answer_all_once()  # choices first; the text question comes with a message reference
    answer = Input(carl.sender(), Chat(carl.chat_id, PRIVATE), TextInput("Et svar fra Odense"), "k-carl-1",
                   message_ref=f"{carl.chat_id}:77")
    assert "Gemt" in world.engine.handle(answer).messages[0].text
    # A second project: Carl joins while nudges wait, so one naming him is still pending for Anna.
    anna.says("/new")
    anna.says("Andet projekt")
    anna.presses("Vi vil dele")
    created = anna.says("Aarhus Kommune")
    world.hold_nudges = True
    carl.says(f"/start {invite_token(created, 0)}")
    carl.says("Odense Kommune")
    before = dump(database)
    assert "Carl" in before and carl.chat_id in before
    carl.says("/forget")
    assert "Dine data er slettet" in carl.presses("Slet mine data")
    after = dump(database)
    for trace in ("Carl", carl.chat_id, f"{carl.chat_id}:77"):
        assert trace not in after, [line for line in after.splitlines() if trace in line]
    assert "Et svar fra Odense" in after  # the side keeps the team's work
    world.deliver_nudges()
    assert "Carl" not in anna.received().split("Carl er kommet med")[-1]  # the pending one was withdrawn


def test_after_delete_nothing_of_the_project_is_left_once_the_notices_are_sent(world, database):
    anna, bo, carl, dina = start_project(world)
    anna.says("/continue")
    anna.says("Et svar fra Aarhus")
    anna.says("/delete")
    anna.presses("Ja, slet projektet")
    world.deliver_nudges()
    assert "har slettet projektet Digital genoptræning" in carl.received()
    after = dump(database)
    for trace in ("Digital genoptræning", "Aarhus Kommune", "Odense Kommune", "Et svar fra Aarhus",
                  "har slettet"):
        assert trace not in after, [line for line in after.splitlines() if trace in line]


def test_settled_nudges_keep_no_text_and_are_deleted_after_the_retention_period(world, database):
    anna, bo, carl, dina = start_project(world)
    outbox = world.engine.outbox
    with database.engine.connect() as connection:
        settled = connection.exec_driver_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'").scalar()
        texts = connection.exec_driver_sql("SELECT payload FROM outbox WHERE state = 'sent'").fetchall()
    assert settled > 0 and not any("kommet med" in str(payload) for payload, in texts)
    now = outbox.clock()
    assert outbox.purge(now + SETTLED_KEPT - dt.timedelta(hours=1)) == 0
    assert outbox.purge(now + SETTLED_KEPT + dt.timedelta(hours=1)) == settled
    assert world.engine.forget_old_inputs(now + SETTLED_KEPT + dt.timedelta(hours=2)) >= 0
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'").scalar() == 0
