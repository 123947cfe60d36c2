"""The project export: a translated PDF and Markdown of the whole project, built without a database."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from bot.engine.progress import ProjectProgress, SideView, side_questions
from bot.engine.records import (
    ANSWERED,
    CHANGES,
    LATER,
    AnswerRecord,
    ProjectRecord,
    SideRecord,
    SignoffRecord,
)
from bot.export.document import answer_text, build_document
from bot.export.markdown import md, render_markdown
from bot.export.pdf import MISSING, render_pdf
from bot.export.project import Export, export_project, file_basename
from bot.guide.loader import load_guide
from bot.guide.model import Question
from bot.i18n import Catalogs
from devtools.sample_project import (
    AGREED,
    CREATED,
    DANISH,
    EMOJI,
    HTML_LIKE,
    LONG,
    LONG_END,
    NAMES,
    NORWEGIAN,
    NOW,
    REUSER_ORG,
    SHARER_ORG,
    TZ,
    UTC,
    build_progress,
    flat,
)


@pytest.fixture(scope="module")
def guide():
    return load_guide()


@pytest.fixture(scope="module")
def catalogs():
    return Catalogs()


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, len(reader.pages)


@pytest.fixture(scope="module")
def danish(guide, catalogs) -> tuple[Export, str, int]:
    progress, signoffs = build_progress(guide)
    export = export_project(catalogs.translator("da"), progress, signoffs, NAMES, NOW, TZ)
    text, pages = pdf_text(export.pdf)
    return export, flat(text), pages


def test_the_pdf_shows_answers_literally_with_names_and_dates(danish, catalogs):
    export, text, pages = danish
    t = catalogs.translator("da")
    assert export.pdf.startswith(b"%PDF")
    for needle in (DANISH, NORWEGIAN, HTML_LIKE, "Ελληνικά και Кириллица", "Det virker", "super"):
        assert flat(needle) in text
    assert "&lt;" not in text and "&amp;" not in text
    assert "Det virker 👍 super 🎉" in text  # emoji in the symbol font; the skin tone is dropped
    assert MISSING not in text and "☐" not in text and "□" not in text
    for needle in (SHARER_ORG, REUSER_ORG, "Anna Hansen", "Carl Ødegård", "Digital genoptræning"):
        assert needle in text
    assert t.date(dt.date(2026, 11, 20)) in text  # the agreement date, in the progress lines
    assert t.datetime(AGREED, TZ) in text  # and with the time, in the sign-off
    assert "evaluering_2026.pdf" in text and "Svar fra sharer på before_after" in text
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    assert "Hvorfor gik I i gang med innovationen?" in text  # questions keep their hints


def test_the_pdf_has_metadata_and_bookmarks(danish):
    export, _text, _pages = danish
    reader = PdfReader(io.BytesIO(export.pdf))
    xmp = reader.xmp_metadata  # PDF/A: the metadata is XMP (fpdf2 writes no Info dictionary)
    assert xmp.dc_title["x-default"] == "Spredningsguiden: Digital genoptræning"
    assert xmp.xmp_create_date.year == 2026
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Fase 1: Tjek" in titles and "Fase 6: Høst" in titles


def test_the_markdown_has_the_same_content_escaped(danish, catalogs):
    export, _text, _pages = danish
    t = catalogs.translator("da")
    markdown = export.markdown
    assert markdown.startswith("# Spredningsguiden: Digital genoptræning\n")
    for needle in (DANISH, NORWEGIAN, EMOJI, SHARER_ORG, REUSER_ORG, "Anna Hansen", "Carl Ødegård"):
        assert needle in markdown
    assert t.date(dt.date(2026, 11, 20)) in markdown
    assert r"\<b\>not bold\</b\> \& co" in markdown and "&lt;" not in markdown
    assert (
        "\\# Overskrift\\\n\\- punkt\\\n1\\. nummer \\*stjerne\\* \\_under\\_ \\[link\\](http://x) \\`kode\\` \\| rør"
        in markdown
    )
    assert "evaluering\\_2026.pdf" in markdown
    assert f"**{SHARER_ORG} (Vi vil dele):** {DANISH}" in markdown
    assert "## Fase 2: Test" in markdown and "Ingen svar i denne fase endnu." in markdown


def test_the_document_is_plain_text_with_the_progress_at_the_top(guide, catalogs):
    progress, signoffs = build_progress(guide)
    doc = build_document(catalogs.translator("da"), progress, signoffs, NAMES, NOW, TZ)
    assert [p.heading for p in doc.phases] == [f"Fase {p.number}: {p.title}" for p in guide.phases]
    assert doc.progress[0] == "Nuværende fase: Fase 2: Test"
    assert doc.progress[1] == "Fase 1: Tjek – aftalt 20. november 2026"
    asked = {role: len(side_questions(guide.phase("check"), role, progress.sides[role].answers))
             for role in ("sharer", "reuser")}
    assert any(
        line.startswith(f"{SHARER_ORG} (Vi vil dele): {asked['sharer']} af ")
        for line in doc.progress
    )
    check = doc.phases[0]
    assert check.started and not check.open_points
    go = guide.question("expectations.go_decision")
    assert check.decisions == tuple(
        f"{go.text} – {org}: {go.option('go').label}"
        for org in (f"{SHARER_ORG} (Vi vil dele)", f"{REUSER_ORG} (Vi vil genbruge)")
    )
    purpose = check.tools[0].questions[0]
    assert purpose.text == "Hvad er formålet?" and purpose.answers[0].text == DANISH
    assert purpose.answers[0].byline == "Besvaret af Anna Hansen, 19. november 2026"
    shared = [q for tool in check.tools for q in tool.questions if q.shared]
    assert shared and all([a.role for a in q.answers] == ["sharer", "reuser"] for q in shared)


def test_open_points_changes_and_a_skipped_adapt_phase(guide, catalogs):
    t = catalogs.translator("da")
    extra = {
        "sharer": {
            "adopt_or_adapt.adopt_decision": (ANSWERED, {"choice": "adopt"}),
            "target_group.what_they_say": (LATER, {}),
        },
        "reuser": {"adopt_or_adapt.adopt_decision": (ANSWERED, {"choice": "adopt"})},
    }
    progress, signoffs = build_progress(guide, agreed=False, extra=extra)
    signoffs[1] = SignoffRecord(2, 1, "check", 20, 3, CHANGES, "Mere om <økonomi>", (), AGREED)
    doc = build_document(t, progress, signoffs, NAMES, NOW, None)
    assert "Fase 3: Tilpas" not in [p.heading for p in doc.phases]
    assert doc.progress[0] == "Nuværende fase: Fase 1: Tjek"
    assert any(
        "ønsker ændringer – Carl Ødegård" in line and "Mere om <økonomi>" in line
        for line in doc.phases[0].signoffs
    )
    test_phase = next(p for p in doc.phases if p.heading == "Fase 2: Test")
    assert any("(sprunget over til senere)" in point for point in test_phase.open_points)
    assert any("(ikke besvaret)" in point for point in test_phase.open_points)
    markdown = render_markdown(doc)
    assert "Mere om \\<økonomi\\>" in markdown and "Fase 3: Tilpas" not in markdown


def test_a_very_long_answer_spans_pages_without_loss(guide, catalogs, danish):
    _export, _text, short_pages = danish
    progress, signoffs = build_progress(guide, long_answer=True)
    export = export_project(catalogs.translator("da"), progress, signoffs, NAMES, NOW, TZ)
    text, pages = pdf_text(export.pdf)
    assert len(LONG) > 10_000
    assert pages >= short_pages + 3
    words = set(re.findall(r"ord\d{4}", text))
    assert words == {f"ord{n:04d}" for n in range(1, 1300)}
    assert LONG_END in text
    assert LONG in export.markdown


@pytest.mark.parametrize("locale", ["en", "nb"])
def test_other_languages_export_too(guide, catalogs, locale):
    """English and Norwegian readers get the same content (their catalogs may still be incomplete)."""
    progress, signoffs = build_progress(guide)
    t = catalogs.translator(locale)
    export = export_project(t, progress, signoffs, NAMES, NOW, TZ)
    text = flat(pdf_text(export.pdf)[0])
    for needle in (
        DANISH,
        NORWEGIAN,
        HTML_LIKE,
        "Anna Hansen",
        "Carl Ødegård",
        t.date(dt.date(2026, 11, 20)),
    ):
        assert flat(needle) in text
        assert (md(needle) if needle == HTML_LIKE else needle) in export.markdown
    assert export.basename == "spredning-digital-genoptraening-2026-11-22"


def test_values_of_every_kind_read_as_plain_text(catalogs):
    t = catalogs.translator("da")

    def record(value: dict, status: str = ANSWERED) -> AnswerRecord:
        return AnswerRecord(1, 10, "x.y", status, value, None, CREATED)

    def question(kind: str) -> Question:
        return Question(
            key="x.y", id="y", tool_id="x", phase_id="check", text="?", sides=("sharer",), kind=kind
        )

    assert answer_text(t, question("scale"), record({"scale": 4})) == "4/5"
    assert answer_text(
        t, question("amount"), record({"amount": "250000", "currency": "DKK"})
    ) == t.amount(Decimal(250000), "DKK")
    assert answer_text(t, question("date"), record({"date": "2026-12-31"})) == t.date(
        dt.date(2026, 12, 31)
    )
    assert (
        answer_text(t, question("yes_no"), record({"choice": "yes", "text": "<i>fordi</i>"}))
        == "Ja – <i>fordi</i>"
    )
    assert (
        answer_text(t, question("text"), record({}, LATER))
        == "Sprunget over – vender tilbage senere"
    )
    assert answer_text(t, question("text"), record({"attachments": [{"name": "a.pdf"}]})) == ""


def test_file_names_are_safe():
    day = dt.date(2026, 11, 22)
    assert (
        file_basename("Digital genoptræning", day) == "spredning-digital-genoptraening-2026-11-22"
    )
    assert (
        file_basename("../Ærø/Å: «Test» & 🚀 Ωmega", day)
        == "spredning-aeroe-aa-test-mega-2026-11-22"
    )
    assert file_basename("🚀", day) == "spredning-2026-11-22"
    assert re.fullmatch(r"[a-z0-9-]{1,90}", file_basename("x" * 500, day))


def test_the_export_date_is_the_readers_day(guide, catalogs):
    progress, signoffs = build_progress(guide)
    late = dt.datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    doc = build_document(catalogs.translator("da"), progress, signoffs, NAMES, late, TZ)
    assert "23. nov. 2026" in doc.generated
    assert file_basename("a", dt.date(2026, 11, 23)).endswith("2026-11-23")


def test_markdown_escaping_shows_text_literally():
    assert md("1) første\n  > citat\n    kode") == "1\\) første\\\n\\> citat\\\nkode"
    assert md("a\n\n\nb") == "a\n\nb"
    assert md("C:\\sti\\") == "C:\\\\sti\\\\"


def test_the_pdf_renders_an_empty_project(guide, catalogs):
    project = ProjectRecord(id=2, name="Tomt", created_by=1, created_at=CREATED)
    views = {
        "sharer": SideView(SideRecord(30, 2, "sharer", None), {}),
        "reuser": SideView(SideRecord(31, 2, "reuser", None), {}),
    }
    doc = build_document(
        catalogs.translator("da"), ProjectProgress(guide, project, views, []), [], {}, NOW
    )
    text, pages = pdf_text(render_pdf(doc))
    assert pages >= 1 and "Vi vil dele" in text and "Tomt" in text
