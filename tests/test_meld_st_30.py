"""The Meld. St. 30 additions: readiness to spread (Rogers) in Tjek, the benefits plan drafted in
Tjek and revisited in Høst – as transcripts through the engine."""

from __future__ import annotations

import pytest

from bot.app import compose_engine
from bot.console import parse_line
from devtools.people.engine import Person, World
from devtools.people.scenarios import Action, agree, answer_phase_with, start_project
from storage import Database


@pytest.fixture
def world(sqlite_url, content):  # noqa: F811
    db = Database(sqlite_url)
    db.upgrade()
    guide, catalogs = content
    yield World(compose_engine(guide, catalogs, db.unit_of_work))
    db.dispose()


def flat(text: str) -> str:
    """Babel separates amounts and currencies with no-break spaces; compare with plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def rate(value: int, reason: str | None = None) -> Action:
    def act(person: Person) -> None:
        person.presses_label_exactly(str(value))
        if reason:
            person.says(reason)
        else:
            person.presses("Spring over")
    return act


def typed(text: str) -> Action:
    return lambda person: person.says(text)


def press(label: str) -> Action:
    return lambda person: person.presses(label)


ANNA_CHECK = {
    "Relativ fordel:": rate(5, "Sparer 2 timer pr. borger"),
    "Forenelighed:": rate(4), "Kompleksitet:": rate(4), "Afprøvning:": rate(4), "Synlighed:": rate(4),
    "Vil I lave et udkast til gevinstplanen nu?": press("Ja, vi laver et udkast nu"),
    "Forventet bruttogevinst for jeres organisation": typed("1.000.000 DKK"),
    "Forventet nettogevinst for jeres organisation": typed("600.000 DKK"),
    "Forventet bruttogevinst for andre": typed("400.000 DKK"),
    "Forventet nettogevinst for andre": typed("200.000 DKK"),
    "Hvornår gør I status": typed("31-12-2027"),
}
CARL_CHECK = {
    "Relativ fordel:": rate(5), "Forenelighed:": rate(1, "Vores journalsystem er et andet"),
    "Kompleksitet:": rate(4), "Afprøvning:": rate(4), "Synlighed:": rate(4),
}


def check_phase(anna: Person, carl: Person) -> None:
    answer_phase_with(anna, ANNA_CHECK)
    answer_phase_with(carl, CARL_CHECK)


def test_both_profiles_side_by_side_with_the_largest_difference_and_a_chart(world):
    anna, bo, carl, dina = start_project(world)
    check_phase(anna, carl)
    carl.says("/compare")
    shown = carl.presses("Spredningsparathed")
    assert "Tilføjelse fra Meld. St. 30 (2019–2020), kap. 13 – ikke en del af Spredningsguiden" in shown
    assert "• Relativ fordel: 5 · 5" in shown and "• Forenelighed: 4 · 1" in shown
    assert "Størst forskel (3 point): Forenelighed. Tal om det, før I går videre." in shown
    assert "Vores journalsystem er et andet" in shown  # the reasons are there too
    chart = [d for m in world.inbox.messages[carl.chat_id][-2:] for d in m.documents]
    assert chart and chart[0].mime == "image/png" and chart[0].data.startswith(b"\x89PNG")
    # The phase summary carries the profile and its chart as well.
    summary = anna.send(parse_line("/summary"))
    text = "\n".join(m.text for m in summary.messages)
    assert "Størst forskel (3 point)" in text
    assert any(d.mime == "image/png" for m in summary.messages for d in m.documents)


def test_the_profile_reads_in_the_readers_language(world):
    anna, bo, carl, dina = start_project(world)
    check_phase(anna, carl)
    carl.says("/language")
    carl.presses("English")
    carl.says("/compare")
    shown = carl.presses("Readiness to spread")
    assert "An addition from Meld. St. 30 (2019–2020), ch. 13" in shown
    assert "Largest difference (3 points): Compatibility. Talk it through before you go on." in shown
    dina.says("/language")
    dina.presses("Norsk")
    dina.says("/compare")
    assert "Størst forskjell (3 poeng): Kompatibilitet" in dina.presses("Spredningsparathet")


def test_the_benefits_plan_totals_per_organisation_and_shows_plan_against_outcome(world):
    anna, bo, carl, dina = start_project(world)
    check_phase(anna, carl)
    carl.says("/compare")
    plan = flat(carl.presses("Gevinstplan (udkast)"))
    assert "Aarhus Kommune (Vi vil dele): forventet brutto 1.400.000 kr. og netto 800.000 kr." in plan
    assert "Odense Kommune (Vi vil genbruge): forventet ingen beløb endnu" in plan
    carl.says("/language")
    carl.presses("English")
    carl.says("/compare")
    english = flat(carl.presses("Benefits plan (draft)"))
    assert "expected gross DKK1,400,000 and net DKK800,000" in english
    carl.says("/language")
    carl.presses("Dansk")
    agree(anna, carl)
    for _ in range(3):  # Test, Fjern, Brug (both adopt the solution: Tilpas is skipped)
        answer_phase_with(anna, {})
        answer_phase_with(carl, {})
        agree(anna, carl)
    answer_phase_with(anna, {"Realiseret bruttogevinst": typed("700.000 DKK"),
                             "Realiseret nettogevinst": typed("300.000 DKK")})
    answer_phase_with(carl, {"Forventet bruttogevinst for jeres organisation": typed("500.000 NOK")})
    summary = flat(carl.says("/summary"))
    assert "Gevinster – plan og resultat" in summary
    assert ("Aarhus Kommune (Vi vil dele): plan brutto 1.400.000 kr. og netto 800.000 kr. – realiseret "
            "brutto 700.000 kr. og netto 300.000 kr.") in summary
    assert "NOK" in summary  # the reuser planned in Høst, in kroner of its own
    # Anna drafted her plan in Tjek, so Høst did not ask her for it again.
    assert "Gevinstplan ·" not in anna.received().split("Fase 6: Høst")[-1]


def test_the_export_carries_the_profile_the_totals_and_the_source(world):
    import io

    from pypdf import PdfReader

    anna, bo, carl, dina = start_project(world)
    check_phase(anna, carl)
    reply = anna.send(parse_line("/export"))
    pdf, markdown = [d for m in reply.messages for d in m.documents]
    text = flat(markdown.data.decode())
    assert "Størst forskel \\(3 point\\): Forenelighed" in text or "Størst forskel (3 point): Forenelighed" in text
    assert "forventet brutto 1.400.000 kr. og netto 800.000 kr." in text
    assert "Tilføjelse fra Meld. St. 30" in text
    pages = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "Forenelighed" in pages and "1.400.000 kr." in pages
    assert any(page.images for page in PdfReader(io.BytesIO(pdf.data)).pages)  # the profile chart
