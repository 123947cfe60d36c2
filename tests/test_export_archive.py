"""The export as an archive and a screen reader take it: page 1's summary, PDF/A-3b, tags, fonts.

Pages are also rendered to PNG (with pdftoppm, where the machine has it) in tests/output/, which
git ignores, so that a person can look at them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from bot.engine.records import ANSWERED
from bot.export.pdf import MISSING
from bot.export.project import export_project
from devtools.sample_project import NAMES, NOW, SHARER_ORG, TZ, build_progress, flat

OUTPUT = Path(__file__).resolve().parent / "output"
SUMMARY = {
    "da": ("Resumé for ledelsen", "Faser", "Beslutninger", "Gevinster pr. år: plan og resultat"),
    "nb": ("Sammendrag for ledelsen", "Faser", "Beslutninger", "Gevinster per år: plan og resultat"),
    "en": ("Management summary", "Phases", "Decisions", "Benefits per year: plan and outcome"),
}


@pytest.fixture(scope="module", params=["da", "nb", "en"])
def exported(request, catalogs, guide):
    progress, signoffs = build_progress(guide)
    t = catalogs.translator(request.param)
    export = export_project(t, progress, signoffs, NAMES, NOW, TZ)
    return request.param, t, export, PdfReader(io.BytesIO(export.pdf))


@pytest.fixture(scope="module")
def guide():
    from bot.guide.loader import load_guide

    return load_guide()


@pytest.fixture(scope="module")
def catalogs():
    from bot.i18n import Catalogs

    return Catalogs()


def resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def walk(elem, found: list) -> None:
    """Every structure element below `elem`, depth first (the reading order)."""
    kids = resolve(elem.get("/K"))
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = resolve(kid)
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            found.append(kid)
            walk(kid, found)


def test_page_one_is_the_management_summary(exported):
    locale, t, export, reader = exported
    first = flat(reader.pages[0].extract_text())
    for heading in SUMMARY[locale]:
        assert heading in first
    assert "Anna Hansen" in first and "Carl Ødegård" in first and SHARER_ORG in first
    assert flat(t.gettext("brutto {amount}").format(amount=t.amount(Decimal(500000), "DKK"))) in first
    assert t.gettext("aftalt {date}").format(date=t.date(dt.date(2026, 11, 20))) in first
    assert "Begrundelse sharer go_decision" in first  # a decision with its reason
    assert export.markdown.index(SUMMARY[locale][0]) < export.markdown.index(SUMMARY[locale][1])


def test_the_pdf_is_pdf_a_3b_with_metadata_and_the_markdown_attached(exported):
    locale, _t, export, reader = exported
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert f"<rdf:li>{locale}</rdf:li>" in xmp and "Digital genoptræning" in xmp
    assert "<xmp:CreateDate>2026-11-22T10:00:00+00:00</xmp:CreateDate>" in xmp
    root = reader.trailer["/Root"]
    assert root["/Lang"] == locale and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "/OutputIntents" in root
    attachments = reader.attachments
    (name,) = attachments
    assert name.endswith(".md") and attachments[name][0].decode("utf-8") == export.markdown


def test_the_structure_tree_has_headings_tables_and_alt_text(exported):
    _locale, _t, _export, reader = exported
    elements: list = []
    walk(reader.trailer["/Root"]["/StructTreeRoot"], elements)
    kinds = [str(e["/S"]) for e in elements]
    assert kinds[0] == "/Document" and kinds[1] == "/P" and kinds[2] == "/H1"
    for kind in ("/H2", "/H3", "/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/LBody", "/Figure"):
        assert kind in kinds
    assert all(e["/A"]["/Scope"] == "/Column" for e in elements if e["/S"] == "/TH")
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert figures and all(len(str(e["/Alt"])) > 20 for e in figures)
    levels = [int(k[2]) for k in kinds if re.fullmatch(r"/H\d", k)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # no level skipped
    for page in reader.pages:
        assert "/StructParents" in page


def test_only_embedded_fonts_and_no_missing_glyphs(exported):
    _locale, _t, _export, reader = exported
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = resolve(font)
            descendant = resolve(font["/DescendantFonts"][0]) if "/DescendantFonts" in font else font
            assert "/FontFile2" in resolve(descendant["/FontDescriptor"]), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSansBook", "DejaVuSansBold", "Symbola"} <= {re.sub(r"\W", "", n) for n in names}
    text = "".join(page.extract_text() for page in reader.pages)
    assert MISSING not in text and "□" not in text and "☐" not in text
    assert "📘" in text  # the Meld. St. 30 additions' mark, drawn in Symbola


def test_a_plan_left_for_harvest_reads_as_such(guide, catalogs):
    t = catalogs.translator("da")
    extra = {"sharer": {"benefits_draft.draft": (ANSWERED, {"choice": "later"})}}
    progress, signoffs = build_progress(guide, extra=extra)
    for key in [k for k in progress.sides["sharer"].answers if k.startswith("benefits_draft.")]:
        if key != "benefits_draft.draft":
            del progress.sides["sharer"].answers[key]
    export = export_project(t, progress, signoffs, NAMES, NOW, TZ)
    reader = PdfReader(io.BytesIO(export.pdf))
    first = flat(reader.pages[0].extract_text())
    assert "laves i Høst-fasen" in first
    text = flat("".join(page.extract_text() for page in reader.pages))
    assert "Stilles ikke efter svaret »" in text
    tool = text[text.index("Gevinstplan (udkast)") : text.index("Afstem forventninger")]
    assert "Ikke besvaret endnu" not in tool


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing")
def test_the_pages_render_to_png(exported):
    locale, _t, export, reader = exported
    OUTPUT.mkdir(exist_ok=True)
    pdf = OUTPUT / f"export-{locale}.pdf"
    pdf.write_bytes(export.pdf)
    for old in OUTPUT.glob(f"export-{locale}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(OUTPUT / f"export-{locale}")],
                   check=True, capture_output=True, timeout=120)
    assert len(list(OUTPUT.glob(f"export-{locale}-*.png"))) == len(reader.pages)
