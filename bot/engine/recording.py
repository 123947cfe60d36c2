"""Storing an answer: typed values read, a revision saved and confirmed, the others told, move on."""

from __future__ import annotations

from typing import Any

from bot.engine import callbacks as cb
from bot.engine import events, intents
from bot.engine.flow import present_next, resume, show_question
from bot.engine.intents import GiveAnswer, Typed
from bot.engine.model import Attachment
from bot.engine.progress import ProjectProgress, applies
from bot.engine.records import ANSWERED, CHANGES, LATER, NOT_RELEVANT, SideRecord
from bot.engine.render.text import esc, g
from bot.engine.turn import UPLOAD, ChatState, Mode, Scope, Turn
from bot.engine.values import InvalidValue, parse_typed
from bot.guide.model import Phase, Question, Side, other_side

MAX_ANSWER = 20_000


def answer_typed(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question, event: Typed) -> None:
    t = turn.t
    text = event.text.strip()
    value: dict[str, Any]
    if question.kind == "text":
        if not text and not event.attachments:
            turn.say(t.gettext("Svaret er tomt. Skriv en tekst eller send en fil."))
            return
        if len(text) > MAX_ANSWER:
            turn.say(
                t.gettext(
                    "Svaret er for langt ({length} tegn). "
                    "Del det op i flere svar med ➕ Tilføj, højst {max} tegn ad gangen."
                ).format(length=t.number(len(text)), max=t.number(MAX_ANSWER))
            )
            return
        value = {"text": text} if text else {}
        if event.attachments:
            value["attachments"] = [attachment_value(a) for a in own_files(turn, scope, event)]
    else:
        try:
            value = parse_typed(question, text, t.gettext, t.locale)
        except InvalidValue:
            turn.say(invalid_message(turn, question))
            show_question(
                turn, scope, progress, turn.guide.phase(question.phase_id), question, editing=is_editing(turn)
            )
            return
        if "choice" in value:
            save_choice(turn, scope, progress, question, str(value["choice"]))
            return
    save(turn, scope, progress, question, ANSWERED, value)


def invalid_message(turn: Turn, question: Question) -> str:
    t = turn.t
    if question.kind in ("choice", "yes_no"):
        return t.gettext("Vælg et af svarene med knapperne.")
    if question.kind == "scale":
        return t.gettext("Svar med et tal fra 1 til 5.")
    if question.kind == "amount":
        return t.gettext("Det kunne jeg ikke læse som et beløb. Skriv fx 250.000 DKK eller 1 500 000 NOK.")
    return t.gettext("Det kunne jeg ikke læse som en dato. Skriv fx 31-12-2026 eller 2026-12-31.")


def is_editing(turn: Turn) -> bool:
    return turn.state.mode == Mode.EDIT


def save_choice(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question, choice: str) -> None:
    """Save a choice; with a follow-up question for it, keep the choice pending until it is answered."""
    follow_up = question.follow_up_after(choice)
    if follow_up is None:
        value = {"scale": int(choice)} if question.kind == "scale" else {"choice": choice}
        save(turn, scope, progress, question, ANSWERED, value)
        return
    t = turn.t
    turn.set_state(ChatState(Mode.FOLLOW_UP, project=scope.project.id, question=question.key, choice=choice,
                             editing=is_editing(turn)))
    option = question.option(choice)
    chosen = g(t, option.label) if option else esc(f"{choice}/5" if question.kind == "scale" else choice)
    turn.say(
        t.gettext("Valgt: {choice}").format(choice=chosen) + f"\n\n<b>{g(t, follow_up)}</b>",
        [
            [
                turn.button(
                    t.gettext("Spring over"), intents.SkipFollowUp(scope.project.id, cb.question_ref(question.key))
                )
            ]
        ],
        force_reply=turn.in_group,
    )


def save_follow_up(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question,
                   event: Typed | None) -> None:
    chosen = str(turn.state.choice)
    value: dict[str, Any] = {"scale": int(chosen)} if question.kind == "scale" else {"choice": chosen}
    if event is not None and event.text.strip():
        value["text"] = event.text.strip()[:MAX_ANSWER]
    if event is not None and event.attachments:
        value["attachments"] = [attachment_value(a) for a in own_files(turn, scope, event)]
    save(turn, scope, progress, question, ANSWERED, value)


def add_to_answer(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question, event: Typed) -> None:
    current = progress.view(scope.role).answers.get(question.key)
    value = dict(current.value) if current and current.status == ANSWERED else {}
    addition = event.text.strip()
    if addition:
        value["text"] = (value.get("text", "") + "\n\n" + addition).strip()[:MAX_ANSWER * 2]
    if event.attachments:
        value["attachments"] = list(value.get("attachments", [])) + [
            attachment_value(a) for a in own_files(turn, scope, event)
        ]
    turn.clear_state()
    save(turn, scope, progress, question, ANSWERED, value)


def save(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question, status: str,
         value: dict[str, Any]) -> None:
    """Store a new revision, confirm it, tell the others what it changed, and move on."""
    t = turn.t
    phase = turn.guide.phase(question.phase_id)
    before = progress
    was_finished_tool = tool_finished(turn, before, scope.role, question.tool_id)
    was_finished_phase = before.finished(phase, scope.role)
    agreement = before.agreement(phase.id)
    was_outdated = agreement is not None and before.is_outdated(agreement)
    if turn.inp.message_ref and status == ANSWERED and isinstance(turn.intent, Typed):
        value = {**value, "ref": turn.inp.message_ref}
    after = turn.known.save_answer(scope, question, status, value)
    turn.clear_state()
    if status == ANSWERED:
        typed = turn.intent.text if isinstance(turn.intent, Typed | GiveAnswer) else ""
        turn.remember(last=question.key, last_at=turn.now.isoformat(), last_len=len(typed))
    if turn.state.seen.question == question.key:
        turn.remember(question=None, answer=None)  # answered: no longer waiting on this person's screen
    resume(turn, scope)
    confirmations = {ANSWERED: t.gettext("✓ Gemt."), NOT_RELEVANT: t.gettext("✓ Markeret som ikke relevant for jer."),
                     LATER: t.gettext("✓ Sprunget over. Spørgsmålet står som åbent punkt, til I vender tilbage.")}
    turn.say(confirmations[status])
    after_change(turn, scope, after, phase, question, was_finished_tool, was_finished_phase, was_outdated)
    present_next(turn, scope)


def tool_finished(turn: Turn, progress: ProjectProgress, role: Side, tool_id: str) -> bool:
    """Every question of the tool has an answer, and not all of them were skipped: a tool whose every
    question was put off has nothing to tell the other side (it is finished when one is answered)."""
    tool = turn.guide.tool(tool_id)
    answers = progress.view(role).answers
    asked = [q for q in tool.questions_for(role) if applies(q, answers)]
    return all(q.key in answers for q in asked) and any(answers[q.key].status != LATER for q in asked)


def after_change(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase, question: Question,
                 was_finished_tool: bool, was_finished_phase: bool, was_outdated: bool) -> None:
    """What the change means for the other side (and teammates), as events."""
    role = scope.role
    other = progress.view(other_side(role)).side
    own = scope.side
    project = scope.project
    agreement = progress.agreement(phase.id)
    if agreement is not None and progress.is_outdated(agreement) and not was_outdated:
        turn.emit(events.PhaseCardDue(progress, phase, (other, own), outdated=True))
        return
    decided = False
    if question.decision:
        answer = progress.view(role).answers.get(question.key)
        option = question.option(str(answer.value.get("choice"))) if answer and answer.status == ANSWERED else None
        decided = option is not None
        if option is not None:
            turn.emit(events.DecisionTaken(project, own, other, question, option))
    current = progress.current_phase()
    if current is None or current.id != phase.id:
        return
    # Sign-offs exist only once both sides have answered the phase: no need to read them before.
    if progress.both_finished(phase) and changes_requested_by(turn, progress, phase, other):
        turn.emit(events.ChangedAfterRequest(project, own, other, phase, question.key))
    tool = turn.guide.tool(question.tool_id)
    both_finished = not was_finished_phase and progress.finished(phase, role) and progress.both_finished(phase)
    if not was_finished_tool and not decided and not both_finished and tool_finished(turn, progress, role, tool.id):
        turn.emit(events.ToolFinished(project, own, other, tool.id))
    if both_finished:
        turn.emit(events.PhaseFinished(project, phase))  # the card says it all
        turn.emit(events.PhaseCardDue(progress, phase, (other, own), outdated=False))


def changes_requested_by(turn: Turn, progress: ProjectProgress, phase: Phase, side: SideRecord) -> bool:
    """The side's newest sign-off of the phase asks for changes."""
    latest = progress.latest_signoffs(list(turn.uow.signoffs.of_phase(progress.project.id, phase.id)), phase.id).get(
        side.id
    )
    return latest is not None and latest.verdict == CHANGES


def editable(scope: Scope, progress: ProjectProgress, question: Question) -> bool:
    if scope.role not in question.sides or scope.project.closed_at is not None:
        return False
    tool = progress.guide.tool(question.tool_id)
    return progress.reached(scope.role, tool) and applies(question, progress.view(scope.role).answers)


def own_files(turn: Turn, scope: Scope, event: Typed) -> list[Attachment]:
    """The input's files; one given on the web page only if it was given in this project."""
    kept = []
    for attachment in event.attachments:
        if attachment.file_id.startswith(UPLOAD):
            found = turn.uow.uploads.get(int(attachment.file_id.removeprefix(UPLOAD) or 0)) \
                if attachment.file_id.removeprefix(UPLOAD).isdigit() else None
            if found is None or found.project_id != scope.project.id:
                continue
        kept.append(attachment)
    return kept


def attachment_value(attachment: Attachment) -> dict[str, Any]:
    return {"kind": attachment.kind, "file_id": attachment.file_id, "name": attachment.name, "size": attachment.size}
