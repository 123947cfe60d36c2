"""Catalogs are complete and faithful; languages are negotiated; a new language is one catalog."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.app import compose_engine
from bot.engine import callbacks, intents
from bot.guide.loader import load_guide
from bot.i18n import Catalogs, default_locales_dir
from devtools.people.engine import World
from storage import Database

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+>")
COMMAND = re.compile(r"(?<![\w/<])/[a-z]+\b")


def catalog_files() -> list[Path]:
    return sorted(default_locales_dir().glob("*/LC_MESSAGES/messages.po"))


def read(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


def test_norwegian_and_english_catalogs_exist():
    assert {p.parent.parent.name for p in catalog_files()} >= {"nb", "en"}


@pytest.mark.parametrize("path", catalog_files(), ids=lambda p: p.parent.parent.name)
def test_every_entry_is_translated_not_fuzzy_and_keeps_placeholders_tags_and_commands(path):
    problems = []
    for message in read(path):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(text and text.strip() for text in translations):
            problems.append(f"untranslated: {message.id!r}")
            continue
        for translation in translations:
            source = sources[-1] if len(sources) > 1 and translation is translations[-1] else sources[0]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                problems.append(f"placeholders differ: {source!r} -> {translation!r}")
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                problems.append(f"HTML tags differ: {source!r} -> {translation!r}")
            if sorted(COMMAND.findall(source)) != sorted(COMMAND.findall(translation)):
                problems.append(f"/commands differ: {source!r} -> {translation!r}")
    assert not problems, "\n".join(problems)


def extracted_ids() -> set[str]:
    method_map = [("bot/**.py", "python"), ("dialogs/*.yaml", "spredning_dialogs")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_text_in_the_code_and_the_guide_is_in_every_catalog():
    wanted = extracted_ids()
    assert len(wanted) > 300  # the guide alone has well over 200 texts
    for path in catalog_files():
        have = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read(path) if m.id and m.string}
        missing = sorted(wanted - have)
        assert not missing, f"{path.parent.parent.name} lacks {len(missing)}: {missing[:10]}"


def test_the_extractor_gives_line_numbers_and_guide_paths():
    from bot.babel_extract import dialog_texts

    texts = dialog_texts(ROOT / "dialogs" / "1_tjek.yaml")
    purpose = next(t for t in texts if t.msgid == "Hvad er formålet?")
    source = (ROOT / "dialogs" / "1_tjek.yaml").read_text(encoding="utf-8").splitlines()
    assert "Hvad er formålet?" in source[purpose.line - 1]
    assert purpose.path == "check.describe.sharer.purpose.text"


@pytest.mark.parametrize(
    ("code", "locale"),
    [("da", "da"), ("da-DK", "da"), ("nb", "nb"), ("nn", "nb"), ("no", "nb"), ("en", "en"), ("en-GB", "en"),
     ("fr", "en"), (None, "en"), ("", "en")],
)
def test_telegram_language_codes_map_to_our_languages(code, locale):
    assert Catalogs().negotiate(code) == locale


def test_the_fallback_language_is_configurable():
    assert Catalogs(default_locale="nb").negotiate("fr") == "nb"


def test_ids_fit_in_button_data():
    guide = load_guide()
    refs = {callbacks.question_ref(q.key) for q in guide.all_questions()}
    assert len(refs) == len(list(guide.all_questions())), "question refs collide"
    biggest_project = 2**63 - 1
    for question in guide.all_questions():
        for option in question.choices() or ():
            data = callbacks.encode(intents.Choose(biggest_project, callbacks.question_ref(question.key), option.id))
            assert len(data.encode()) <= 64
    for phase in guide.phases:
        assert len(callbacks.encode(intents.SignOff(biggest_project, phase.id, intents.AGREE)).encode()) <= 64
        for tool in phase.tools:
            assert len(callbacks.encode(intents.ShowTheirs(biggest_project, tool.id)).encode()) <= 64


def test_a_new_language_is_served_from_one_new_catalog(tmp_path, sqlite_url):
    locales = tmp_path / "locales"
    shutil.copytree(default_locales_dir(), locales, ignore=shutil.ignore_patterns("*.mo"))
    catalog = read(locales / "en" / "LC_MESSAGES" / "messages.po")
    catalog.locale = None
    for message in catalog:
        if message.id:
            message.string = f"[sv] {message.string}"
    (locales / "sv" / "LC_MESSAGES").mkdir(parents=True)
    with (locales / "sv" / "LC_MESSAGES" / "messages.po").open("wb") as stream:
        write_po(stream, catalog)
    catalogs = Catalogs(locales)
    assert "sv" in catalogs.locales
    database = Database(sqlite_url)
    database.upgrade()
    world = World(compose_engine(load_guide(), catalogs, database.unit_of_work))
    sven = world.person("sven", language="sv-SE")
    assert sven.says("/start").startswith("[sv] ")
    assert "[sv]" in " ".join(sven.buttons())
    database.dispose()


def test_the_phase_start_names_the_side_in_a_sentence():
    from bot.engine.render.questions import phase_intro
    from bot.engine.render.text import side_label

    guide, catalogs = load_guide(), Catalogs()
    expected = {
        ("da", "sharer"): "Det skal I som den delende organisation:",
        ("da", "reuser"): "Det skal I som den genbrugende organisation:",
        ("nb", "sharer"): "Dette gjør dere som deler innovasjonen:",
        ("nb", "reuser"): "Dette gjør dere som skal gjenbruke innovasjonen:",
        ("en", "sharer"): "Your part as the sharing organisation:",
        ("en", "reuser"): "Your part as the reusing organisation:",
    }
    for (locale, role), heading in expected.items():
        t = catalogs.translator(locale)
        lines = phase_intro(t, guide.phases[0], role).splitlines()
        assert heading in lines, (locale, role, lines)
        assert not any(side_label(t, role).lower() in line for line in lines), (locale, role, lines)


def test_every_button_fits_a_phone_in_every_language():
    from bot.catalog_check import button_problems

    problems = button_problems(load_guide(), Catalogs(), ROOT)
    assert not problems, "\n".join(problems)


def test_no_text_uses_a_word_the_terminology_table_rules_out():
    from bot.catalog_check import term_problems

    problems = term_problems(default_locales_dir())
    assert not problems, "\n".join(problems)


def test_a_new_long_label_fails_with_its_file_and_line(tmp_path):
    from bot.catalog_check import BUTTON_LIMIT, OPTION_LIMIT, button_problems, term_problems

    locales = tmp_path / "locales"
    shutil.copytree(default_locales_dir(), locales, ignore=shutil.ignore_patterns("*.mo"))
    path = locales / "en" / "LC_MESSAGES" / "messages.po"
    catalog = read(path)
    catalog["🔄 Nye links"].string = "🔄 New links (and the old ones stop working)"
    catalog["Udvalgte elementer er nok"].string = "It is enough to test selected elements"
    catalog["Nej, vi stopper her"].string = "No, we stop here and «diffusion» ends"
    with path.open("wb") as stream:
        write_po(stream, catalog)
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "screen.py").write_text(
        'def show(turn, t):\n    turn.button(t.gettext("🧪 En ny knap, der er alt for lang til en telefon"), "x")\n')
    problems = button_problems(load_guide(), Catalogs(locales), tmp_path)
    assert any(p.startswith("bot/screen.py:2: da button over 40") for p in problems), problems
    assert any(p.startswith("dialogs/2_test.yaml:") and f"en button over {OPTION_LIMIT}" in p
               and "selected elements" in p for p in problems), problems
    source = (ROOT / "bot" / "engine" / "features" / "projects.py").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(source, 1) if '"🔄 Nye links"' in text)
    problems = button_problems(load_guide(), Catalogs(locales), ROOT)
    assert any(p.startswith(f"bot/engine/features/projects.py:{line}: en button over {BUTTON_LIMIT}")
               for p in problems), problems
    terms = term_problems(locales)
    assert any("en: English quotes" in p for p in terms) and any("spreading" in p for p in terms), terms


def test_edit_buttons_cut_a_question_at_a_word_with_an_ellipsis():
    from bot.engine.render.text import BUTTON_LIMIT, fit_button

    guide, catalogs = load_guide(), Catalogs()
    cut = 0
    for locale in catalogs.locales:
        t = catalogs.translator(locale)
        for question in guide.all_questions():
            full = t.gettext("✏️ {question}").format(question=t.gettext(question.text))
            label = fit_button(full)
            assert len(label) <= BUTTON_LIMIT, label
            if label != full:
                cut += 1
                kept = label.removesuffix("…")
                assert label.endswith("…") and full.startswith(kept), (full, label)
                assert full[len(kept)] in " ,;:–-?", (full, label)  # the cut falls between words
    assert cut > 100
