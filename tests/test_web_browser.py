"""The web page in headless Chromium: a person reads both sides, answers, signs off; axe-core finds no
serious or critical WCAG 2.1 AA violation on any page; screenshots at desktop and phone width go to
`screenshots/` (kept out of git).

Chromium is Debian's (`.ci/run` installs it), driven by Playwright with `executable_path`; without it
these tests are skipped locally and fail in CI."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.app import compose_engine, load_content, web_app
from bot.engine.ports import Links
from bot.web.tokens import Signer, with_web_links
from devtools.network import free_port
from devtools.people.engine import World
from devtools.people.scenarios import start_project
from devtools.people.web import link_of
from storage import Database

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium not found, and CI needs it (.ci/run installs Debian's chromium)")
        pytest.skip("chromium not found (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(sqlite_url) -> Iterator[tuple[World, str]]:
    """The engine and the web page on a real socket (uvicorn), as `spredning run` serves it."""
    db = Database(sqlite_url)
    db.upgrade()
    guide, catalogs = load_content(default_locale="en")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    signer = Signer("browser-test-secret-0123456789")
    engine = compose_engine(guide, catalogs, db.unit_of_work, with_web_links(Links(), signer, base, mini_app=False))
    server = uvicorn.Server(uvicorn.Config(web_app(engine, signer, base).asgi(), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield World(engine), base
    server.should_exit = True
    thread.join(10)
    db.dispose()


def serious(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=name.endswith("-full"))


def test_a_person_reads_both_sides_answers_and_signs_off_in_the_browser(browser, site):
    world, base = site
    anna, bo, carl, dina = start_project(world)
    carl.says("/continue")
    carl.answer_all("Odenses svar")
    anna.says("/continue")
    anna.answer_all_once("Aarhus' svar")  # the first question only
    page = browser.new_page(viewport=DESKTOP, locale="da-DK")
    page.goto(base + link_of(anna, base))
    assert page.locator("h1").inner_text() == "Digital genoptræning"
    first_tool = page.locator("section.tool").first
    assert "Aarhus' svar" in first_tool.inner_text() and "Ja" in first_tool.inner_text()  # Carl's choice
    assert "Odenses svar" not in page.content()  # Carl's text answers are in tools Anna has not reached
    assert serious(page) == []
    shoot(page, "project-desktop")
    # Answer the next question: open its form, type, save (no JavaScript needed: a plain form post).
    details = page.locator("details:has(summary:text-is('Svar'))").first
    details.locator("summary").click()
    details.locator("textarea").fill("Skrevet i browseren")
    details.locator("button[value=save]").click()
    page.wait_for_load_state()
    assert "✓ Gemt." in page.locator("section.said").inner_text()
    assert "Skrevet i browseren" in page.content()
    # The rest of the phase in the chat, the sign-off on the page.
    anna.says("/continue")
    anna.answer_all("Aarhus' svar")
    world.deliver_nudges()
    page.reload()
    signoff = page.locator("form.signoff").first
    assert "Godkend fasen" in signoff.inner_text()
    assert serious(page) == []
    signoff.locator("button[value=agree]").click()
    page.wait_for_load_state()
    assert "I har godkendt Fase 1: Tjek" in page.locator("section.said").inner_text()
    world.deliver_nudges()
    assert "har godkendt Fase 1: Tjek" in carl.received()
    assert "godkendte" in page.locator("ul.signoffs").inner_text()
    page.close()


def test_every_page_passes_axe_at_desktop_and_phone_width(browser, site):
    world, base = site
    anna, bo, carl, dina = start_project(world)
    carl.says("/continue")
    carl.answer_all("Odenses svar")
    anna.says("/continue")
    anna.answer_all("Aarhus' svar")
    url = base + link_of(carl, base)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_page(viewport=viewport, locale="da-DK")
        page.goto(url)
        page.locator("details").first.locator("summary").click()  # an open form is checked too
        assert serious(page) == [], name
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, f"{name}: the page is {width}px wide"
        shoot(page, f"project-{name}-full")
        page.goto(f"{base}/p/expired-or-forged")
        assert serious(page) == [], f"refused page, {name}"
        shoot(page, f"refused-{name}")
        page.goto(f"{base}/app")
        assert serious(page) == [], f"Mini App page, {name}"
        page.close()


def test_a_person_without_telegram_joins_in_the_browser_and_the_join_page_passes_axe(browser, site):
    world, base = site
    anna = world.person("anna")
    anna.says("/start")
    anna.presses("Start et projekt")
    anna.says("Digital genoptræning")
    anna.presses("Vi vil dele")
    join = re.findall(re.escape(base) + r"/join/[A-Za-z0-9_-]+", anna.says("Aarhus Kommune"))[0]
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_page(viewport=viewport, locale="da-DK")
        page.goto(join)
        assert page.locator("h1").inner_text() == "Deltag i projektet"
        assert serious(page) == [], name
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, f"{name}: the page is {width}px wide"
        shoot(page, f"join-{name}")
        page.close()
    page = browser.new_page(viewport=DESKTOP, locale="da-DK")
    page.goto(join)
    page.get_by_label("Dit navn").fill("Wanda")
    page.get_by_label("Jeres organisation (fx Aarhus Kommune)").fill("Odense Kommune")
    page.locator("form.join button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Digital genoptræning"
    assert "Dit personlige link" in page.locator("section.bookmark").inner_text()
    assert serious(page) == []
    shoot(page, "joined-desktop")
    world.deliver_nudges()
    assert "Wanda er kommet med" in anna.received()
    page.close()
