"""Files given with an answer on the web page: kept by us, sent on in Telegram, downloaded only by
those who may read the answer."""

from __future__ import annotations

import re

import pytest

from bot.engine.model import Document
from devtools.people.scenarios import answer_phase, start_project
from devtools.people.web import answer_fields, forms, link_of

pytestmark = pytest.mark.web_page  # the engine gives personal web links (conftest.py, `links`)
PDF = b"%PDF-1.7\n% Aarhus evaluering\n"


def upload(web, form: dict, name: str, data: bytes, **fields: str):
    return web.post(form["action"], data={**answer_fields(form, "Se rapporten"), **fields},
                    files={"file": (name, data, "application/pdf")}, follow_redirects=False)


def test_a_file_given_on_the_web_is_kept_sent_on_in_telegram_and_guarded(world, web):
    anna, bo, carl, dina = start_project(world)
    path = link_of(anna)
    first = forms(web.get(path).text)[0]
    assert upload(web, first, "evaluering.pdf", PDF).status_code == 303
    page = web.get(path).text
    found = re.search(r'href="(/p/[^"]+/file/(\d+))" download>⬇ evaluering.pdf', page)
    assert found, "the page offers the file"
    assert web.get(found.group(1)).content == PDF
    # Bo (her teammate) reads it in Telegram: the bytes are sent as a document.
    bo.says("/mine")
    bo.presses("Beskriv innovationen")
    documents = [d for m in bo.last_reply.messages for d in m.documents]
    assert Document("evaluering.pdf", PDF, "application/pdf") in documents
    # Carl (the other side) may download it once his side has reached the tool; a stranger never.
    carl_path = link_of(carl)
    assert web.get(f"{carl_path}/file/{found.group(2)}").status_code == 200
    assert web.get(f"/p/forged-token/file/{found.group(2)}").status_code in (403, 404)


def test_a_file_too_large_or_a_forged_file_reference_is_refused(world, web):
    anna, bo, carl, dina = start_project(world)
    path = link_of(anna)
    first = forms(web.get(path).text)[0]
    big = upload(web, first, "stor.pdf", b"x" * (10 * 1024 * 1024 + 1))
    assert big.status_code == 413
    # A form that names a file itself (an id of another project's file) attaches nothing.
    forged = web.post(first["action"], data={**answer_fields(first, "Uden fil"), "file": "1:9:andres.pdf"},
                      follow_redirects=False)
    assert forged.status_code == 303
    with world.engine.unit_of_work() as uow:
        side = uow.members.memberships(uow.people.by_external_id("test:anna").id)[0][1]
        answer = uow.answers.latest(side.id)[world.engine.guide.phases[0].tools[0].questions_for("sharer")[0].key]
    assert answer.value.get("text") == "Uden fil" and not answer.value.get("attachments")


def test_the_phase_card_leads_to_the_web_page_with_a_personal_link(world, web):
    anna, bo, carl, dina = start_project(world)
    answer_phase(anna)
    card = answer_phase(carl)
    assert "Her er det vigtigste" in card and "🌐 Se det hele på nettet" in carl.buttons()
    said = carl.presses("Se det hele på nettet")
    found = re.search(r"http://testserver(/p/[A-Za-z0-9._-]+)", said)
    assert found and "Digital genoptræning" in web.get(found.group(1)).text  # Carl's own link
    assert found.group(1) != link_of(anna)
