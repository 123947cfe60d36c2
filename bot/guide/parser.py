"""One phase file to model objects: every key, id, kind and reference checked, at `file:line`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.guide.model import (
    DECISIONS,
    KINDS,
    SIDES,
    Condition,
    Option,
    Phase,
    Question,
    Text,
    Tool,
)
from bot.guide.yaml_lines import LineDict, LineList

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")

PHASE_KEYS = {"id", "title", "purpose", "activities", "tools"}
TOOL_KEYS = {"id", "title", "intro", "guidance", "questions", "source", "profile", "benefits"}
BENEFITS = ("plan", "outcome")
TOTALS = ("gross", "net")
SOURCES = ("spredningsguiden", "meld_st_30")
QUESTION_KEYS = {
    "id",
    "text",
    "hints",
    "kind",
    "options",
    "follow_up",
    "follow_up_for",
    "low",
    "high",
    "when",
    "decision",
    "total",
}
OPTION_KEYS = {"id", "label"}
WHEN_KEYS = {"question", "equals", "in"}
SIDE_KEYS = {"sharer", "reuser"}
QUESTION_SIDE_KEYS = {"sharer", "reuser", "both"}


class FileParser:
    """Turns one phase file into model objects, recording problems instead of stopping."""

    def __init__(self, path: Path, display: str, problems: list[str], texts: list[Text]) -> None:
        self.path = path
        self.display = display
        self.problems = problems
        self.texts = texts

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.display}:{line}: {message}")

    def line_of(self, container: Any, key: Any, default: int) -> int:
        if isinstance(container, LineDict):
            return container.key_lines.get(key, container.line)
        if isinstance(container, LineList) and isinstance(key, int):
            return container.item_lines[key]
        return default

    def check_keys(self, data: LineDict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(data.key_lines[key], f"unknown key '{key}' in {what} (known: {known})")

    def mapping(self, value: Any, line: int, what: str) -> LineDict | None:
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.problem(line, f"{what} must be a mapping")
            return None
        return value

    def sequence(self, value: Any, line: int, what: str) -> LineList:
        if value is None:
            empty = LineList()
            empty.line, empty.item_lines = line, []
            return empty
        if not isinstance(value, LineList):
            self.problem(line, f"{what} must be a list")
            empty = LineList()
            empty.line, empty.item_lines = line, []
            return empty
        return value

    def text(self, data: LineDict, key: str, path: str, required: bool = True) -> str | None:
        value = data.get(key)
        line = self.line_of(data, key, data.line)
        if value is None:
            if required:
                self.problem(data.line, f"{path}: missing '{key}'")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"{path}.{key} must be a non-empty text")
            return None
        text = " ".join(value.split())
        self.texts.append(Text(text, self.display, line, f"{path}.{key}"))
        return text

    def text_list(self, data: LineDict, key: str, path: str) -> tuple[str, ...]:
        items = self.sequence(data.get(key), self.line_of(data, key, data.line), f"{path}.{key}")
        result = []
        for index, item in enumerate(items):
            line = items.item_lines[index]
            if not isinstance(item, str) or not item.strip():
                self.problem(line, f"{path}.{key}[{index}] must be a non-empty text")
                continue
            text = " ".join(item.split())
            self.texts.append(Text(text, self.display, line, f"{path}.{key}[{index}]"))
            result.append(text)
        return tuple(result)

    def ident(self, data: LineDict, path: str) -> str | None:
        value = data.get("id")
        if value is None:
            self.problem(data.line, f"{path}: missing 'id'")
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(
                self.line_of(data, "id", data.line),
                f"{path}: id {value!r} must match {ID_PATTERN.pattern}",
            )
            return None
        return value

    def per_side(self, data: LineDict, key: str, path: str) -> dict[str, tuple[str, ...]]:
        block = self.mapping(data.get(key), self.line_of(data, key, data.line), f"{path}.{key}")
        if block is None:
            return {side: () for side in SIDES}
        self.check_keys(block, SIDE_KEYS, f"{path}.{key}")
        return {side: self.text_list(block, side, f"{path}.{key}") for side in SIDES}

    def parse_phase(self, data: Any, number: int) -> Phase | None:
        if not isinstance(data, LineDict) or "phase" not in data:
            self.problem(getattr(data, "line", 1), "the file must hold one mapping 'phase:'")
            return None
        self.check_keys(data, {"phase"}, "the file")
        phase = self.mapping(data["phase"], data.key_lines["phase"], "phase")
        if phase is None:
            return None
        self.check_keys(phase, PHASE_KEYS, "phase")
        phase_id = self.ident(phase, "phase") or f"?{number}"
        path = phase_id
        title = self.text(phase, "title", path) or ""
        purpose = self.text(phase, "purpose", path) or ""
        activities = self.per_side(phase, "activities", path)
        tools_data = self.sequence(phase.get("tools"), self.line_of(phase, "tools", phase.line), f"{path}.tools")
        if not tools_data:
            self.problem(phase.line, f"{path}: a phase needs at least one tool")
        tools = []
        for index, tool_data in enumerate(tools_data):
            tool = self.parse_tool(tool_data, tools_data.item_lines[index], phase_id)
            if tool is not None:
                tools.append(tool)
        return Phase(phase_id, number, title, purpose, activities, tuple(tools), self.display)

    def parse_tool(self, data: Any, line: int, phase_id: str) -> Tool | None:
        tool = self.mapping(data, line, "a tool")
        if tool is None:
            return None
        self.check_keys(tool, TOOL_KEYS, "tool")
        tool_id = self.ident(tool, f"{phase_id}.tools") or "?"
        path = f"{phase_id}.{tool_id}"
        title = self.text(tool, "title", path) or ""
        intro = self.text(tool, "intro", path) or ""
        guidance = self.per_side(tool, "guidance", path)
        block = self.mapping(tool.get("questions"), self.line_of(tool, "questions", tool.line), f"{path}.questions")
        questions: list[Question] = []
        if block is not None:
            self.check_keys(block, QUESTION_SIDE_KEYS, f"{path}.questions")
            for side_key in ("sharer", "reuser", "both"):
                sides = SIDES if side_key == "both" else (side_key,)
                items = self.sequence(
                    block.get(side_key), self.line_of(block, side_key, block.line), f"{path}.questions.{side_key}"
                )
                for index, item in enumerate(items):
                    question = self.parse_question(
                        item, items.item_lines[index], phase_id, tool_id, sides, f"{path}.{side_key}"
                    )
                    if question is not None:
                        questions.append(question)
        if not questions:
            self.problem(tool.line, f"{path}: a tool needs at least one question")
        source = tool.get("source", "spredningsguiden")
        if source not in SOURCES:
            self.problem(
                self.line_of(tool, "source", tool.line),
                f"{path}: unknown source {source!r} (known: {', '.join(SOURCES)})",
            )
        profile = tool.get("profile", False)
        if profile is not False and (profile is not True or any(q.kind != "scale" for q in questions)):
            self.problem(
                self.line_of(tool, "profile", tool.line), f"{path}: profile: true needs a tool of scale questions"
            )
        benefits = tool.get("benefits")
        if benefits is not None and benefits not in BENEFITS:
            self.problem(
                self.line_of(tool, "benefits", tool.line), f"{path}: benefits must be one of {', '.join(BENEFITS)}"
            )
            benefits = None
        return Tool(
            tool_id,
            phase_id,
            title,
            intro,
            guidance,
            tuple(questions),
            tool.line,
            str(source),
            profile is True,
            benefits,
        )

    def parse_question(
        self, data: Any, line: int, phase_id: str, tool_id: str, sides: tuple, path: str
    ) -> Question | None:
        q = self.mapping(data, line, "a question")
        if q is None:
            return None
        self.check_keys(q, QUESTION_KEYS, "question")
        qid = self.ident(q, path) or "?"
        path = f"{path}.{qid}"
        text = self.text(q, "text", path) or ""
        hints = self.text_list(q, "hints", path)
        kind = q.get("kind", "text")
        if kind not in KINDS:
            self.problem(self.line_of(q, "kind", q.line), f"{path}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
            kind = "text"
        options = self.parse_options(q, path, kind)
        follow_up = self.text(q, "follow_up", path, required=False)
        if follow_up and kind not in ("choice", "yes_no", "scale"):
            self.problem(self.line_of(q, "follow_up", q.line), f"{path}: follow_up needs kind choice, yes_no or scale")
        follow_up_for = self.parse_follow_up_for(q, path, kind, options, follow_up)
        low = self.text(q, "low", path, required=False)
        high = self.text(q, "high", path, required=False)
        if (low or high) and kind != "scale":
            self.problem(q.line, f"{path}: low/high need kind scale")
        when = self.parse_when(q, path)
        total = q.get("total")
        if total is not None and (total not in TOTALS or kind != "amount"):
            self.problem(self.line_of(q, "total", q.line), f"{path}: total ({', '.join(TOTALS)}) needs kind amount")
            total = None
        decision = q.get("decision")
        if decision is not None:
            if decision not in DECISIONS:
                self.problem(self.line_of(q, "decision", q.line), f"{path}: unknown decision {decision!r}")
            elif kind != "choice" or {o.id for o in options} != set(DECISIONS[decision]):
                expected = ", ".join(DECISIONS[decision])
                self.problem(
                    self.line_of(q, "decision", q.line),
                    f"{path}: decision {decision} needs kind choice with options {expected}",
                )
            elif len(sides) != 2:
                self.problem(self.line_of(q, "decision", q.line), f"{path}: a decision is asked of both sides")
        return Question(
            key=f"{tool_id}.{qid}", id=qid, tool_id=tool_id, phase_id=phase_id, text=text,
            sides=sides, hints=hints, kind=kind, options=options, follow_up=follow_up,
            follow_up_for=follow_up_for,
            low=low, high=high, when=when, decision=decision, file=self.display, line=q.line, total=total,
        )

    def parse_options(self, q: LineDict, path: str, kind: str) -> tuple[Option, ...]:
        line = self.line_of(q, "options", q.line)
        items = self.sequence(q.get("options"), line, f"{path}.options")
        if kind == "choice" and len(items) < 2:
            self.problem(line, f"{path}: a choice needs at least two options")
        if kind != "choice" and items:
            self.problem(line, f"{path}: options need kind choice")
        options = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            option = self.mapping(item, items.item_lines[index], f"{path}.options[{index}]")
            if option is None:
                continue
            self.check_keys(option, OPTION_KEYS, "option")
            oid = self.ident(option, f"{path}.options")
            label = self.text(option, "label", f"{path}.options[{index}]")
            if oid and oid in seen:
                self.problem(option.line, f"{path}: duplicate option id '{oid}'")
            if oid and label:
                seen.add(oid)
                options.append(Option(oid, label))
        return tuple(options)

    def parse_follow_up_for(self, q: LineDict, path: str, kind: str, options: tuple[Option, ...],
                            follow_up: str | None) -> frozenset[str] | None:
        """The choices a follow-up is asked after (all of them when not given)."""
        if "follow_up_for" not in q:
            return None
        line = self.line_of(q, "follow_up_for", q.line)
        if not follow_up:
            self.problem(line, f"{path}: follow_up_for needs a follow_up")
            return None
        items = self.sequence(q.get("follow_up_for"), line, f"{path}.follow_up_for")
        values = frozenset(yaml_choice(v) for v in items)
        known = (
            {"yes", "no"}
            if kind == "yes_no"
            else ({str(n) for n in range(1, 6)} if kind == "scale" else {o.id for o in options})
        )
        unknown = sorted(values - known)
        if unknown or not values:
            self.problem(
                line,
                f"{path}: follow_up_for names no choice of this question: {', '.join(unknown) or '(empty)'}"
                f" (choices: {', '.join(sorted(known))})",
            )
            return None
        return values

    def parse_when(self, q: LineDict, path: str) -> Condition | None:
        when = self.mapping(q.get("when"), self.line_of(q, "when", q.line), f"{path}.when")
        if when is None:
            return None
        self.check_keys(when, WHEN_KEYS, f"{path}.when")
        target = when.get("question")
        if not isinstance(target, str):
            self.problem(when.line, f"{path}.when: missing 'question' (tool.question)")
            return None
        if ("equals" in when) == ("in" in when):
            self.problem(when.line, f"{path}.when: give exactly one of 'equals' or 'in'")
            return None
        values = [when["equals"]] if "equals" in when else list(when.get("in") or [])
        return Condition(target, frozenset(yaml_choice(v) for v in values))


def yaml_choice(value: Any) -> str:
    """A choice id as written in YAML (where a bare yes/no reads as a boolean)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
