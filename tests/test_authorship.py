"""Whose words: an answer that two teammates wrote names each of them with their part, in the chat,
on the web page and in both exports."""

from __future__ import annotations

import pytest

from bot.console import parse_line
from bot.engine import intents
from devtools.people.scenarios import start_project
from devtools.people.web import link_of

pytestmark = pytest.mark.web_page  # the engine gives personal web links (conftest.py, `links`)


def test_an_answer_added_to_by_a_teammate_names_each_author_with_their_part(world, web):
    anna, bo, carl, dina = start_project(world)
    bo.says("/continue")
    assert bo.says("Bo skrev formålet.").startswith("✓ Gemt.")
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    assert "Skriv det, I vil tilføje" in anna.presses(intents.AddTo)
    assert anna.says("Anna tilføjede målgruppen.").startswith("✓ Gemt.")

    anna.says("/mine")
    mine = anna.presses("Beskriv innovationen")
    assert "Bo skrev formålet.\n(Bo)\n\nAnna tilføjede målgruppen.\n(Anna)" in mine
    assert "– Bo og Anna," in mine  # not Anna's name alone on Bo's words

    page = web.get(link_of(carl)).text
    assert "Bo skrev formålet.\n<i>(Bo)</i>" in page and "Anna tilføjede målgruppen.\n<i>(Anna)</i>" in page

    reply = anna.send(parse_line("/export"))
    markdown = next(d for m in reply.messages for d in m.documents if d.filename.endswith(".md")).data.decode()
    assert "Bo skrev formålet." in markdown and "Besvaret af Bo og Anna" in markdown
    assert "Bo skrev formålet.\\\n(Bo)\n\nAnna tilføjede målgruppen.\\\n(Anna)" in markdown


def test_an_answer_rewritten_whole_has_one_author_again(world):
    anna, bo, carl, dina = start_project(world)
    bo.says("/continue")
    bo.says("Bo skrev formålet.")
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    anna.presses(intents.AddTo)
    anna.says("Anna tilføjede målgruppen.")
    anna.says("/mine")
    anna.presses("Beskriv innovationen")
    anna.presses(intents.Edit)
    anna.says("Anna skrev det hele om.")
    anna.says("/mine")
    mine = anna.presses("Beskriv innovationen")
    assert "Anna skrev det hele om." in mine and "(Bo)" not in mine and "– Anna," in mine
