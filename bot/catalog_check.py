"""Checks on what people read: button labels that fit a phone, and the agreed terms in every language.

Answer options share a row, so each gets at most `OPTION_LIMIT` characters; any other button
`BUTTON_LIMIT`. Button labels are found where the code builds buttons (`turn.button(…)`,
`Button(…)`), answer options in the dialogs; both are measured in Danish and in every catalog.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from bot.guide.model import Guide
from bot.i18n import SOURCE_LOCALE, Catalogs

OPTION_LIMIT = 30
BUTTON_LIMIT = 40

GETTEXT = {"gettext", "ngettext", "_", "N_"}
PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
# Placeholders whose value the code cuts to fit (`fit_button`) stand in as this many characters.
CUT_AT_RUNTIME = {"question": 12, "project": 12}
# Values of the other placeholders in button labels, at their longest.
FIXED = {"days": "14"}


@dataclass(frozen=True)
class Label:
    """A button text in Danish and where it comes from."""

    msgid: str
    where: str  # file:line
    limit: int


def code_labels(root: Path) -> list[Label]:
    """Every literal text the code puts on a button (first argument of `button(…)` or `Button(…)`)."""
    labels = []
    for path in sorted((root / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _callee(node) in {"button", "Button"}:
                for msgid, line in _texts(node.args[0]):
                    labels.append(Label(msgid, f"{path.relative_to(root).as_posix()}:{line}", BUTTON_LIMIT))
    return labels


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _texts(node: ast.AST) -> Iterator[tuple[str, int]]:
    for sub in ast.walk(node):
        if (isinstance(sub, ast.Call) and _callee(sub) in GETTEXT and sub.args
                and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str)):
            yield sub.args[0].value, sub.lineno


def guide_labels(guide: Guide) -> list[Label]:
    """Answer options of the dialogs, and the titles shown on buttons (phases, "phase · tool")."""
    labels = [Label(t.msgid, f"{t.file}:{t.line}", OPTION_LIMIT)
              for t in guide.texts if ".options[" in t.path and t.path.endswith(".label")]
    return labels


def button_problems(guide: Guide, catalogs: Catalogs, root: Path) -> list[str]:
    """`file:line: …` for every button label over its limit in any language."""
    problems = []
    labels = code_labels(root) + guide_labels(guide)
    for locale in catalogs.locales:
        translate = _translator(catalogs, locale)
        tools = [translate(tool.title) for phase in guide.phases for tool in phase.tools]
        values = {**FIXED, "tool": max(tools, key=len)}
        for label in labels:
            text = _worst_case(translate(label.msgid), values)
            if len(text) > label.limit:
                problems.append(f"{label.where}: {locale} button over {label.limit} characters "
                                f"({len(text)}): {text!r}")
        for phase in guide.phases:  # /mine, /theirs and /compare list "phase · tool", or the tool alone
            for tool in phase.tools:
                text = f"{translate(phase.title)} · {translate(tool.title)}"
                if len(text) > BUTTON_LIMIT:
                    text = translate(tool.title)
                if len(text) > BUTTON_LIMIT:
                    problems.append(f"{phase.file}:{tool.line}: {locale} button over {BUTTON_LIMIT} characters "
                                    f"({len(text)}): {text!r}")
    return problems


def _translator(catalogs: Catalogs, locale: str) -> Callable[[str], str]:
    return lambda msgid: catalogs.translate(locale, msgid) or msgid


def _worst_case(text: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in CUT_AT_RUNTIME:
            return "x" * CUT_AT_RUNTIME[name]
        return values.get(name, match.group(0))
    return PLACEHOLDER.sub(value, text)


# Words that must not appear in a language: Danish in Bokmål, calques and off-terms in English.
AVOID: dict[str, dict[str, str]] = {
    "nb": {
        r"\bStil\b": "Danish imperative: «Gjør … tilgjengelig» / «Still»",
        r"stillingtagen": "Danish: «ta stilling»",
        r"\bveilederen\b": "the product is «Spredningsguiden» / «guiden»",
        r"arbeidsrutiner": "«arbeidsmåter»",
        r"\b(til|i) Høst\b(?!-)": "«fasen Høst» / «Høst-fasen» («i høst» = this autumn)",
        r"\bDeres svar\b": "ambiguous your/their: «Våre svar» / «De andres svar»",
        r"\bbeskeder\b|Slå (på|av) meldinger": "notifications are «varsler»",
        r"[“”„»]{|}[«“”]": "Bokmål quotes are «…»",
    },
    "en": {
        r"[Dd]iffusion": "the English edition says “spreading”",
        r"\bTell (about|how|what)\b": "calque: “Describe”, “Explain”, “Present”",
        r"\bin the new place\b|\bin a new place\b": "“in the new setting”",
        r"\btake a position\b|\btaken a position\b": "“decide” / “respond”",
        r"[«»]": "English quotes are “…”",
        r"\bin the first place\b": "idiom (= at all)",
        r"\bunfortunate incentives\b": "“counterproductive incentives”",
    },
    SOURCE_LOCALE: {
        r"\b(til|i) Høst\b(?!-)": "«i høst» reads as this autumn: «Høst-fasen» / «fasen Høst»",
        r"stillingtagen": "nominal style: «tage stilling»",
    },
}


def term_problems(locales_dir: Path) -> list[str]:
    """`file:line: …` for every text that uses a word the terminology table rules out in its language."""
    problems = []
    for path in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po")):
        locale = path.parent.parent.name
        with path.open("rb") as stream:
            catalog = read_po(stream)
        for message in catalog:
            if not message.id:
                continue
            where = ":".join(map(str, message.locations[0])) if message.locations else path.name
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found = [(locale, text) for text in strings] + [(SOURCE_LOCALE, text) for text in sources]
            for language, text in found:
                for pattern, why in AVOID.get(language, {}).items():
                    if isinstance(text, str) and text and re.search(pattern, text):
                        problems.append(f"{where}: {language}: {why}: {text!r}")
    return sorted(set(problems))


def all_problems(guide: Guide, catalogs: Catalogs, root: Path) -> list[str]:
    """Buttons over their limit and words off the terminology table, in every language."""
    return button_problems(guide, catalogs, root) + term_problems(catalogs.locales_dir)
