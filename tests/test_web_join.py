"""Taking part without Telegram: joining by a web invite link, a whole phase on the page alone, and
what changed since the last visit. Real parts: the engine on SQLite and PostgreSQL, the Starlette
application in process; the Telegram side is in `test_web_telegram.py`, the browser in `test_web_browser.py`."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from bot.app import web_app
from devtools.people.engine import World, invite_token
from devtools.people.scenarios import agree
from devtools.people.web import BASE, answer_fields, forms, signoff_form

pytestmark = pytest.mark.web_page  # the engine gives personal web links (conftest.py, `links`)
JOIN_FORM = re.compile(r'name="csrf" value="([^"]+)">\s*<input type="hidden" name="nonce" value="([^"]+)"')


def anna_alone(world: World, web=None):
    """Anna creates the project for Aarhus Kommune; nobody is on the other side yet. The browser asks for Danish."""
    if web is not None:
        web.headers["accept-language"] = "da-DK,da;q=0.9"
    anna = world.person("anna")
    anna.says("/start")
    anna.presses("Start et projekt")
    anna.says("Digital genoptræning")
    anna.presses("Vi vil dele")
    return anna, anna.says("Aarhus Kommune")


def join_on_the_web(web, url: str, name: str, organisation: str = "", **headers: str):
    page = web.get(url)
    assert page.status_code == 200, page.text
    csrf, nonce = JOIN_FORM.search(page.text).groups()
    fields = {"csrf": csrf, "nonce": nonce, "name": name, "organisation": organisation}
    return web.post(url, data=fields, headers=headers, follow_redirects=False), fields


def path_of(url: str) -> str:
    return url.removeprefix(BASE)


def test_invite_shows_a_web_link_and_a_person_without_telegram_joins_with_it(world, web):
    anna, created = anna_alone(world, web)
    partner = invite_token(created, 0)
    urls = re.findall(re.escape(BASE) + r"/join/[A-Za-z0-9_-]+", created)
    assert urls == [f"{BASE}/join/{partner}", f"{BASE}/join/{invite_token(created, 1)}"]
    page = web.get(path_of(urls[0])).text
    assert "Digital genoptræning" in page and "Vi vil genbruge" in page and 'name="organisation"' in page
    response, _ = join_on_the_web(web, path_of(urls[0]), "Wanda <b>", "Odense Kommune")
    assert response.status_code == 303 and response.headers["location"].startswith("/p/")
    shown = web.get(response.headers["location"]).text
    assert "Wanda &lt;b&gt;" in shown and "Odense Kommune" in shown
    assert "Dit personlige link" in shown and f"{BASE}/p/" in shown  # to bookmark: no /web without Telegram
    world.deliver_nudges()
    assert "Wanda <b> er kommet med i Digital genoptræning for Odense Kommune" in anna.received()
    with world.engine.unit_of_work() as uow:
        wanda = next(p for p in (uow.people.get(i) for i in range(1, 20)) if p and p.name == "Wanda <b>")
        assert wanda.external_id.startswith("web:") and wanda.private_chat is None


def test_a_person_without_telegram_takes_part_in_a_whole_phase_on_the_web_alone(world, web):
    anna, created = anna_alone(world, web)
    response, _ = join_on_the_web(web, f"/join/{invite_token(created, 0)}", "Wanda", "Odense Kommune")
    path = response.headers["location"].split("?")[0]
    # Wanda answers every question of her first phase on the page.
    for _ in range(80):
        todo = [f for f in forms(web.get(path).text) if f["summary"] == "Svar" and "/answer" in f["action"]]
        if not todo:
            break
        assert web.post(todo[0]["action"], data=answer_fields(todo[0]), follow_redirects=False).status_code == 303
    world.deliver_nudges()
    assert "Odense Kommune (Vi vil genbruge) har udfyldt værktøjerne" in anna.received()
    anna.says("/continue")
    anna.answer_all("Aarhus' svar")
    world.deliver_nudges()
    # What Anna did since Wanda's last visit is marked; the page counts it.
    page = web.get(path).text
    assert '<strong class="new">Nyt</strong>' in page and "siden dit sidste besøg" in page
    assert '<strong class="new">' not in web.get(path).text  # seen now
    action, fields = signoff_form(page, "agree")
    assert web.post(action, data=fields, follow_redirects=False).status_code == 303
    world.deliver_nudges()
    assert "Wanda" in anna.received() and "har godkendt Fase 1: Tjek" in anna.received()
    agree(anna)
    page = web.get(path).text
    assert "Aftalt" in page and "Nyt" in page  # Anna's sign-off, new to Wanda
    # Nothing was ever queued for Wanda: she has no chat to send to.
    assert not [chat for chat in world.inbox.messages if chat.startswith("web:")]


def test_a_web_invite_that_does_not_work_creates_nobody_and_attempts_are_rate_limited(world, signer):
    anna, created = anna_alone(world)
    app = web_app(world.engine, signer, BASE)
    with TestClient(app.asgi(), base_url=BASE) as client:
        assert [client.get(f"/join/wrong{i}").status_code for i in range(7)] == [403] * 5 + [429] * 2
        # Even a working invite waits now: the same five an hour as in Telegram, per client.
        assert client.get(f"/join/{invite_token(created, 0)}").status_code == 429
    anna.says("/invite")
    revoked = invite_token(created, 0)
    anna.presses("Nye links")
    with TestClient(web_app(world.engine, signer, BASE).asgi(), base_url=BASE) as client:
        page = client.get(f"/join/{revoked}", headers={"accept-language": "da"})
        assert page.status_code == 403 and "Invitationen virker ikke" in page.text
    with world.engine.unit_of_work() as uow:
        assert [p.name for p in (uow.people.get(i) for i in range(1, 20)) if p] == ["Anna"]


def test_the_join_form_needs_its_csrf_token_the_same_origin_and_a_name(world, web):
    anna, created = anna_alone(world, web)
    url = f"/join/{invite_token(created, 0)}"
    page = web.get(url).text
    csrf, nonce = JOIN_FORM.search(page).groups()
    assert web.post(url, data={"nonce": nonce, "name": "Mallory"}).status_code == 403
    assert web.post(url, data={"csrf": "x" * 32, "nonce": nonce, "name": "Mallory"}).status_code == 403
    assert web.post(url, data={"csrf": csrf, "nonce": nonce, "name": "Mallory"},
                    headers={"origin": "https://evil.example"}).status_code == 403
    missing = web.post(url, data={"csrf": csrf, "nonce": nonce, "name": "  "})
    assert missing.status_code == 400 and "Skriv dit navn." in missing.text
    # Sent twice (a double click), the form joins one person.
    for _ in range(2):
        assert web.post(url, data={"csrf": csrf, "nonce": nonce, "name": "Wanda"},
                        follow_redirects=False).status_code == 303
    with world.engine.unit_of_work() as uow:
        assert sorted(p.name for p in (uow.people.get(i) for i in range(1, 20)) if p) == ["Anna", "Wanda"]
