"""Load `dialogs/*.yaml` into a `Guide`, validating everything and reporting `file:line` errors.

All problems found are collected and raised together in one `DialogError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from bot.guide.model import (
    SIDES,
    Guide,
    Phase,
    Question,
    Text,
)
from bot.guide.parser import FileParser
from bot.guide.yaml_lines import load_yaml


class DialogError(Exception):
    """Every problem found in the dialog files (or catalogs), one `file:line: message` a line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))



def default_dialogs_dir() -> Path:
    """`dialogs/` beside the `bot` package (the repository root)."""
    return Path(__file__).resolve().parents[2] / "dialogs"



def load_guide(dialogs_dir: Path | None = None) -> Guide:
    """Load and validate every phase file; raise `DialogError` listing all problems."""
    dialogs_dir = dialogs_dir or default_dialogs_dir()
    files = sorted(dialogs_dir.glob("*.yaml"))
    problems: list[str] = []
    texts: list[Text] = []
    phases: list[Phase] = []
    if not files:
        raise DialogError([f"{dialogs_dir}: no dialog files (*.yaml)"])
    for number, path in enumerate(files, start=1):
        display = f"{dialogs_dir.name}/{path.name}"
        parser = FileParser(path, display, problems, texts)
        try:
            data, duplicates = load_yaml(path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.append(f"{display}:{line}: invalid YAML: {getattr(error, 'problem', error)}")
            continue
        for line, key in duplicates:
            parser.problem(line, f"duplicate key '{key}'")
        phase = parser.parse_phase(data, number)
        if phase is not None:
            phases.append(phase)
    _check_references(phases, problems)
    if problems:
        raise DialogError(problems)
    return Guide(tuple(phases), tuple(texts))


def _check_references(phases: list[Phase], problems: list[str]) -> None:
    """Ids unique, conditions pointing at earlier questions of the same side, all reachable."""
    seen_phases: dict[str, str] = {}
    seen_tools: dict[str, str] = {}
    asked_before: dict[str, dict[str, Question]] = {side: {} for side in SIDES}
    for phase in phases:
        if phase.id in seen_phases:
            problems.append(f"{phase.file}:1: duplicate phase id '{phase.id}' (also in {seen_phases[phase.id]})")
        seen_phases[phase.id] = phase.file
        for tool in phase.tools:
            if tool.id in seen_tools:
                problems.append(
                    f"{phase.file}:{tool.line}: duplicate tool id '{tool.id}' (also in {seen_tools[tool.id]})"
                )
            seen_tools[tool.id] = f"{phase.file}:{tool.line}"
            keys: dict[str, Question] = {}
            for q in tool.questions:
                if q.key in keys:
                    problems.append(
                        f"{q.file}:{q.line}: duplicate question id '{q.id}' in tool '{tool.id}' "
                        f"(also line {keys[q.key].line})"
                    )
                keys[q.key] = q
            for side in SIDES:
                for q in tool.questions_for(side):
                    _check_condition(q, side, asked_before[side], problems)
                    asked_before[side][q.key] = q
    for decision in ("go_no_go", "adopt_or_adapt"):
        carriers = [q for p in phases for t in p.tools for q in t.questions if q.decision == decision]
        if len(carriers) > 1:
            problems.append(f"{carriers[1].file}:{carriers[1].line}: decision {decision} appears more than once")


def _check_condition(q: Question, side: str, earlier: dict[str, Question], problems: list[str]) -> None:
    if q.when is None:
        return
    target = earlier.get(q.when.question)
    if target is None:
        problems.append(
            f"{q.file}:{q.line}: {q.key}: condition refers to '{q.when.question}', "
            f"which is not an earlier question of the {side} side"
        )
        return
    allowed = {o.id for o in target.choices()}
    if not allowed:
        problems.append(f"{q.file}:{q.line}: {q.key}: condition on '{target.key}', which has no options")
        return
    unknown = sorted(q.when.values - allowed)
    if unknown:
        problems.append(
            f"{q.file}:{q.line}: {q.key}: condition value(s) {', '.join(unknown)} are not options of '{target.key}'"
        )
    elif not q.when.values:
        problems.append(f"{q.file}:{q.line}: {q.key}: condition can never hold (unreachable question)")


def check_translations(
    guide: Guide, locales: Iterable[str], translate: Callable[[str, str], str | None]
) -> list[str]:
    """Problems for every dialog text without a translation in one of `locales`."""
    problems = []
    for locale in locales:
        for text in guide.texts:
            if not translate(locale, text.msgid):
                problems.append(f"{text.file}:{text.line}: no '{locale}' translation for {text.path}: {text.msgid!r}")
    return problems
