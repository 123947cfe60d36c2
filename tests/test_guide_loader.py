"""The dialog loader accepts the real guide and rejects broken files with `file:line` messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.guide.loader import DialogError, load_guide

VALID_PHASE = """\
phase:
  id: check
  title: Tjek
  purpose: Her finder I ud af, om det giver mening
  activities:
    sharer: [Fortæl om innovationen]
    reuser: [Se innovationen fungere]
  tools:
    - id: describe
      title: Beskriv innovationen
      intro: Beskriv innovationen ultrakort.
      guidance:
        sharer: [Fortæl ultrakort om innovationen.]
      questions:
        sharer:
          - id: purpose
            text: Hvad er formålet?
            hints: ["Hvorfor gik I i gang?"]
        reuser:
          - id: same_needs
            text: Har I de samme behov?
            kind: yes_no
          - id: which_needs
            text: Hvilke behov?
            when: {question: describe.same_needs, equals: "yes"}
        both:
          - id: go_decision
            text: Vil I gå videre?
            kind: choice
            decision: go_no_go
            options:
              - {id: go, label: Ja}
              - {id: no_go, label: Nej}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "dialogs"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def problems(directory: Path) -> list[str]:
    with pytest.raises(DialogError) as raised:
        load_guide(directory)
    return raised.value.problems


def test_a_valid_phase_loads_with_both_sides_questions(tmp_path):
    guide = load_guide(write(tmp_path, "1_tjek.yaml", VALID_PHASE))
    tool = guide.tool("describe")
    assert [q.id for q in tool.questions_for("sharer")] == ["purpose", "go_decision"]
    assert [q.id for q in tool.questions_for("reuser")] == ["same_needs", "which_needs", "go_decision"]
    assert guide.question("describe.which_needs").when.values == {"yes"}


def test_unknown_keys_are_reported_with_file_and_line(tmp_path):
    broken = VALID_PHASE.replace("      intro: Beskriv", "      intros: Beskriv")
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert any(p.startswith("dialogs/1_tjek.yaml:11: unknown key 'intros'") for p in found), found
    assert any("missing 'intro'" in p for p in found)


def test_duplicate_ids_and_keys_are_reported(tmp_path):
    broken = VALID_PHASE.replace("          - id: which_needs", "          - id: same_needs")
    broken = broken.replace("  title: Tjek\n", "  title: Tjek\n  title: Tjek igen\n")
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert any("dialogs/1_tjek.yaml:4: duplicate key 'title'" in p for p in found), found
    assert any("duplicate question id 'same_needs'" in p for p in found), found


def test_conditions_must_point_at_earlier_questions_of_the_same_side(tmp_path):
    broken = VALID_PHASE.replace("describe.same_needs, equals", "describe.purpose, equals")
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert any(
        p.startswith("dialogs/1_tjek.yaml:23:") and "not an earlier question of the reuser side" in p for p in found
    ), found


def test_a_condition_on_a_value_that_cannot_occur_is_unreachable(tmp_path):
    broken = VALID_PHASE.replace('equals: "yes"', 'equals: "maybe"')
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert any("maybe are not options" in p for p in found), found


def test_bad_kinds_ids_and_decisions_are_all_reported_at_once(tmp_path):
    broken = (
        VALID_PHASE.replace("kind: yes_no", "kind: yesno")
        .replace("id: purpose", "id: Purpose!")
        .replace("{id: no_go, label: Nej}", "{id: stop, label: Nej}")
    )
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert len(found) >= 3
    assert any("unknown kind 'yesno'" in p for p in found)
    assert any("id 'Purpose!' must match" in p for p in found)
    assert any("decision go_no_go needs kind choice with options go, no_go" in p for p in found)


def test_invalid_yaml_gives_its_line(tmp_path):
    found = problems(write(tmp_path, "1_tjek.yaml", "phase:\n  id: check\n  title: [unclosed\n"))
    assert found[0].startswith("dialogs/1_tjek.yaml:"), found
    assert "invalid YAML" in found[0]


def test_the_real_guide_loads():
    guide = load_guide()
    assert [p.id for p in guide.phases] == ["check", "test", "adapt", "remove", "implement", "harvest"]
    assert [p.title for p in guide.phases] == ["Tjek", "Test", "Tilpas", "Fjern", "Brug", "Høst"]
    tools = [t.title for p in guide.phases for t in p.tools if t.from_guide]
    assert tools == [
        "Beskriv innovationen", "Fortæl den gode historie", "Kom rundt om løsningen", "Tjek relevans og timing",
        "Afstem forventninger", "Del viden om målgruppen", "Lær af test", "Kopiér eller tilpas?",
        "Genbrug kontakter", "Fjern forhindringer", "Tag løsningen i brug", "Sæt spot på det nye",
        "Fortæl om gevinsterne",
    ]
    assert guide.decision_question("go_no_go").key == "expectations.go_decision"
    assert guide.decision_question("adopt_or_adapt").key == "adopt_or_adapt.adopt_decision"


def test_tool_sources_profiles_and_totals_are_validated(tmp_path):
    text = VALID_PHASE.replace("      title: Beskriv innovationen\n",
                               "      title: Beskriv innovationen\n      source: wikipedia\n      profile: true\n"
                               "      benefits: someday\n", 1)
    text = text.replace("            hints: [\"Hvorfor gik I i gang?\"]\n",
                        "            hints: [\"Hvorfor gik I i gang?\"]\n            total: gross\n", 1)
    found = problems(write(tmp_path, "1_tjek.yaml", text))
    assert (
        "dialogs/1_tjek.yaml:11: check.describe: unknown source 'wikipedia' (known: spredningsguiden, meld_st_30)"
        in found
    )
    assert "dialogs/1_tjek.yaml:12: check.describe: profile: true needs a tool of scale questions" in found
    assert "dialogs/1_tjek.yaml:13: check.describe: benefits must be one of plan, outcome" in found
    assert "dialogs/1_tjek.yaml:22: check.describe.sharer.purpose: total (gross, net) needs kind amount" in found


def test_a_follow_up_is_tied_to_choices_the_question_has(tmp_path):
    tied = VALID_PHASE.replace(
        "            kind: yes_no\n",
        "            kind: yes_no\n            follow_up: Hvorfor ikke?\n            follow_up_for: [no]\n",
        1,
    )
    guide = load_guide(write(tmp_path, "1_tjek.yaml", tied))
    question = guide.question("describe.same_needs")
    assert question.follow_up_after("no") == "Hvorfor ikke?"
    assert question.follow_up_after("yes") is None
    broken = tied.replace("follow_up_for: [no]", "follow_up_for: [maybe]")
    found = problems(write(tmp_path, "1_tjek.yaml", broken))
    assert any(p.startswith("dialogs/1_tjek.yaml:24:") and "follow_up_for names no choice" in p and "maybe" in p
               for p in found), found


def test_every_follow_up_of_the_guide_fits_the_choices_it_follows():
    """A "Which?" follows only the answer it asks about: never "No" → "Which?"."""
    guide = load_guide()
    which = ("Hvilke?", "Hvilken?", "Hvordan?", "Hvilke elementer?", "Hvad vil I gerne have ud af det?")
    for question in guide.all_questions():
        if question.follow_up in which:
            assert question.follow_up_for is not None and len(question.follow_up_for) == 1, question.key
        if question.kind == "yes_no" and question.follow_up_for == frozenset({"yes"}):
            assert question.follow_up_after("no") is None
