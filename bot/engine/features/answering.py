"""Answering the guide's questions, and changing answers already given.

Typed answers, choices, scales and their follow-ups; skipping; /back and editing earlier answers;
adding to an answer; edited messages."""

from __future__ import annotations

from bot.engine import intents
from bot.engine.flow import present_next, show_question, stopped_by_other, typing_scope
from bot.engine.progress import (
    ProjectProgress,
    applies,
    next_question,
    open_questions,
    previous_question,
)
from bot.engine.recording import (
    MAX_ANSWER,
    add_to_answer,
    after_change,
    answer_typed,
    editable,
    is_editing,
    save,
    save_choice,
    save_follow_up,
    value_of_reading,
    without_ref,
)
from bot.engine.records import ANSWERED, LATER, NOT_RELEVANT
from bot.engine.render.text import g
from bot.engine.turn import ChatState, Mode, Scope, Turn
from bot.engine.understand import cleaned
from bot.engine.values import TYPED_KEY, said_back
from bot.guide.model import Question

SCALE = {"1", "2", "3", "4", "5"}
TYPED = ("text", "amount", "date")  # answered with typed text, not a button


def on_step_text(turn: Turn, event: intents.Typed) -> None:
    """Text for the step this person is in the middle of: a follow-up, an addition, an edited answer."""
    mode = turn.state.mode
    scope = typing_scope(turn)
    if scope is None:
        return
    progress = turn.known.progress(scope.project)
    question = pending_question(turn, scope, progress)
    if question is None:
        present_next(turn, scope)
        return
    if mode == Mode.FOLLOW_UP:
        save_follow_up(turn, scope, progress, question, event)
    elif mode == Mode.ADD:
        add_to_answer(turn, scope, progress, question, event)
    else:
        answer_typed(turn, scope, progress, question, event)


def pending_question(turn: Turn, scope: Scope, progress: ProjectProgress) -> Question | None:
    """The question the next answer is for: one being edited or followed up, the one shown here if
    it is still open, or the side's next one."""
    key = turn.state.question
    if key and turn.guide.has_question(key) and turn.state.project == scope.project.id:
        return turn.guide.question(key)
    shown = turn.shown_here(scope.project.id)
    if shown is not None:
        answer = progress.view(scope.role).answers.get(shown.key)
        if (answer is None or answer.status == LATER) and answerable(turn, scope, progress, shown):
            return shown
    phase = progress.current_phase()
    if phase is None:
        return None
    return next_question(phase, scope.role, progress.view(scope.role).answers)


# ---- skipping, going back, editing ----------------------------------------------------------

def skip_button(turn: Turn, scope: Scope, question: Question, how: str) -> None:
    """"Not relevant for us" (n) or "Later" (l) on a question."""
    progress = turn.known.progress(scope.project)
    if not answerable(turn, scope, progress, question):
        turn.stale_button()
        return
    if how == intents.NOT_RELEVANT and question.decision:
        turn.notice = turn.t.gettext("En beslutning kan ikke være »ikke relevant«. Vælg et svar, eller tryk Senere.")
        turn.say(turn.notice)
        return
    save(turn, scope, progress, question, NOT_RELEVANT if how == intents.NOT_RELEVANT else LATER, {})


def to_signoff(turn: Turn, scope: Scope, phase_id: str | None) -> None:
    """After the other side decided to stop: the side's remaining questions of the phase stay open,
    and it goes straight to the sign-off."""
    progress = turn.known.progress(scope.project)
    if phase_id is None or not turn.guide.has_phase(phase_id) or scope.project.closed_at is not None:
        turn.stale_button()
        return
    phase = turn.guide.phase(phase_id)
    remaining = open_questions(phase, scope.role, progress.view(scope.role).answers)
    if not remaining or not stopped_by_other(progress, phase, scope.role):
        turn.stale_button()
        return
    before = progress
    for question in remaining:
        turn.known.add_answer(scope, question, LATER, {})
    turn.remember(left_open=phase.id, question=None, answer=None)
    turn.say(turn.t.ngettext("✓ {count} spørgsmål står som åbent punkt.", "✓ {count} spørgsmål står som åbne punkter.",
                             len(remaining)).format(count=len(remaining)))
    after_change(turn, scope, before, turn.known.refresh(scope.project), remaining[-1])
    present_next(turn, scope)


def cmd_skip(turn: Turn) -> None:
    """/skip: the pending question waits as an open point (a follow-up is saved without text)."""
    scope = turn.scope_or_explain(turn.state.project)
    if scope is None:
        return
    progress = turn.known.progress(scope.project)
    question = pending_question(turn, scope, progress)
    if question is None:
        present_next(turn, scope)
        return
    if turn.state.mode == Mode.FOLLOW_UP:
        save_follow_up(turn, scope, progress, question, None)
        return
    save(turn, scope, progress, question, LATER, {})


def cmd_back(turn: Turn, project_id: int | None = None) -> None:
    """/back: edit the question before the pending one."""
    scope = turn.scope_or_explain(project_id)
    if scope is None:
        return
    progress = turn.known.progress(scope.project)
    phase = progress.current_phase()
    if phase is None:
        present_next(turn, scope)
        return
    answers = progress.view(scope.role).answers
    key = turn.state.question
    current = (
        turn.guide.question(key) if key and turn.guide.has_question(key) else next_question(phase, scope.role, answers)
    )
    if current is not None and current.phase_id != phase.id:
        current = None
    previous = previous_question(phase, scope.role, answers, current)
    if previous is None:
        turn.say(turn.t.gettext("Dette er det første spørgsmål i fasen."))
        if current is not None:
            show_question(turn, scope, progress, phase, current, editing=is_editing(turn))
        return
    start_edit(turn, scope, progress, previous)


def start_edit(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question) -> None:
    turn.set_state(ChatState(Mode.EDIT, project=scope.project.id, question=question.key))
    show_question(turn, scope, progress, turn.guide.phase(question.phase_id), question, editing=True)


def answerable(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question) -> bool:
    """A button for this question still applies: it is being edited, or it is a question of the
    current phase the side has not answered (or left for later)."""
    if scope.role not in question.sides or scope.project.closed_at is not None:
        return False
    if turn.state.question == question.key and turn.state.project == scope.project.id:
        return True
    phase = progress.current_phase()
    answers = progress.view(scope.role).answers
    answer = answers.get(question.key)
    return (phase is not None and question.phase_id == phase.id and applies(question, answers)
            and (answer is None or answer.status == LATER))


def question_of(turn: Turn, ref: str | None) -> Question | None:
    """The question a button or form refers to (None: stale; the person is told)."""
    question = turn.services.questions_by_ref.get(ref or "")
    if question is None:
        turn.stale_button()
    return question


def editable_question(turn: Turn, scope: Scope, ref: str | None) -> tuple[Question, ProjectProgress] | None:
    """The question a button or form refers to, with the progress, if this side may change its
    answer (None: stale; the person is told)."""
    question = question_of(turn, ref)
    if question is None:
        return None
    progress = turn.known.progress(scope.project)
    if not editable(scope, progress, question):
        turn.stale_button()
        return None
    return question, progress


def edit(turn: Turn, scope: Scope, intent: intents.Edit) -> None:
    """✏️ Edit: the question comes again, with its current answer."""
    found = editable_question(turn, scope, intent.question)
    if found is not None:
        start_edit(turn, scope, found[1], found[0])


def add_to(turn: Turn, scope: Scope, intent: intents.AddTo) -> None:
    """➕ Add: the next text is added to the answer."""
    found = editable_question(turn, scope, intent.question)
    if found is None:
        return
    question = found[0]
    turn.set_state(ChatState(Mode.ADD, project=scope.project.id, question=question.key))
    turn.say(
        turn.t.gettext("Skriv det, I vil tilføje til svaret på: <b>{question}</b>").format(
            question=g(turn.t, question.text)
        )
    )


def skip_follow_up(turn: Turn, scope: Scope, intent: intents.SkipFollowUp) -> None:
    """The choice is saved without the follow-up text it asked for."""
    question = question_of(turn, intent.question)
    if question is None:
        return
    progress = turn.known.progress(scope.project)
    if turn.state.mode != Mode.FOLLOW_UP or turn.state.question != question.key:
        turn.stale_button()
        return
    save_follow_up(turn, scope, progress, question, None)


def skip(turn: Turn, scope: Scope, intent: intents.Skip) -> None:
    question = question_of(turn, intent.question)
    if question is not None:
        skip_button(turn, scope, question, intent.how or intents.LATER)


def valid_choice(question: Question, option: str | None) -> bool:
    return option in {o.id for o in question.choices()} | (SCALE if question.kind == "scale" else set())


def choose(turn: Turn, scope: Scope, intent: intents.Choose) -> None:
    """An option of a choice, or a number on a scale."""
    question = question_of(turn, intent.question)
    if question is None:
        return
    progress = turn.known.progress(scope.project)
    if not valid_choice(question, intent.option) or not answerable(turn, scope, progress, question):
        turn.stale_button()
        return
    save_choice(turn, scope, progress, question, str(intent.option))


def pick_reading(turn: Turn, scope: Scope, intent: intents.PickReading) -> None:
    """The reading of an amount or a date the person meant, of the two they were asked about."""
    question = question_of(turn, intent.question)
    if question is None:
        return
    progress = turn.known.progress(scope.project)
    value = value_of_reading(question.kind, intent.first, intent.second)
    current = progress.view(scope.role).answers.get(question.key)
    if value is not None and current is not None and current.status == ANSWERED \
            and without_ref(current.value) == value:  # a teammate (or a double tap) chose it already
        turn.notice = turn.t.gettext("Allerede gemt: {value}").format(value=said_back(turn.t, value))
        return
    if value is None or not answerable(turn, scope, progress, question):
        turn.stale_button()
        return
    save(turn, scope, progress, question, ANSWERED, {**value, TYPED_KEY: ""})


def give_answer(turn: Turn, scope: Scope, intent: intents.GiveAnswer) -> None:
    """A whole answer at once (a form on the web page): the question as if opened with ✏️ Edit, then
    its value, its choice and follow-up, or "later" / "not relevant"."""
    found = editable_question(turn, scope, intent.question)
    if found is None:
        return
    question, progress = found
    current = progress.view(scope.role).answers.get(question.key)
    turn.set_state(ChatState(Mode.EDIT, project=scope.project.id, question=question.key))
    turn.remember(project=scope.project.id, question=question.key, answer=current.id if current else None)
    if intent.skip is not None:
        skip_button(turn, scope, question, intent.skip)
    elif question.kind in TYPED:
        answer_typed(turn, scope, progress, question, intents.Typed(cleaned(intent.text), intent.attachments))
    elif not valid_choice(question, intent.choice):
        turn.stale_button()
    elif question.follow_up_after(str(intent.choice)) is None:
        save_choice(turn, scope, progress, question, str(intent.choice))
    else:
        turn.set_state(ChatState(Mode.FOLLOW_UP, project=scope.project.id, question=question.key,
                                 choice=intent.choice, editing=True))
        save_follow_up(turn, scope, progress, question, intents.Typed(intent.text) if intent.text else None)


def on_edited(turn: Turn, event: intents.EditedMessage) -> None:
    """An edited message that was an answer becomes a new revision of that answer."""
    scope = turn.known.scope()
    ref = turn.inp.message_ref
    if scope is None or ref is None or scope.project.closed_at is not None:
        return
    progress = turn.known.progress(scope.project)
    view = progress.view(scope.role)
    answer = next((a for a in view.answers.values() if a.value.get("ref") == ref), None)
    if answer is None or answer.status != ANSWERED or not event.text.strip():
        if not turn.in_group:
            turn.say(
                turn.t.gettext(
                    "Du har rettet en besked, som ikke er et gældende svar, så intet er ændret. Ret svar med /mine."
                )
            )
        return
    question = turn.guide.question(answer.question_key)
    value = dict(answer.value)
    if question.kind == "text" or "choice" in value:
        value["text"] = event.text.strip()[:MAX_ANSWER]
        turn.known.add_answer(scope, question, ANSWERED, value)
        after = turn.known.refresh(scope.project)
        turn.say(turn.t.gettext("✓ Svaret på »{question}« er opdateret.").format(question=g(turn.t, question.text)))
        after_change(turn, scope, progress, after, question)
    elif not turn.in_group:
        turn.say(turn.t.gettext("Dette svar kan ikke rettes ved at redigere beskeden. Brug /mine."))

