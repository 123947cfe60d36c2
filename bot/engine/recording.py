"""Storing an answer: typed values read, a revision saved and confirmed, the others told, move on."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from bot.engine import callbacks as cb
from bot.engine import events, intents
from bot.engine.amounts import CURRENCIES, whole
from bot.engine.authorship import with_addition
from bot.engine.currency import side_currency
from bot.engine.dates import NoSuchDate
from bot.engine.flow import present_next, resume, show_question
from bot.engine.intents import GiveAnswer, Typed
from bot.engine.model import Attachment, Button
from bot.engine.progress import ProjectProgress, applies
from bot.engine.records import ANSWERED, LATER, NOT_RELEVANT, UNDOES
from bot.engine.render.text import esc, g
from bot.engine.turn import UPLOAD, ChatState, Mode, Scope, Turn
from bot.engine.understand import says_something, telegram_length
from bot.engine.values import TYPED_KEY, AmbiguousValue, InvalidValue, parse_typed, reading_value, said_back
from bot.guide.model import Question, Side, other_side

MAX_ANSWER = 20_000
UNDO_WINDOW = dt.timedelta(minutes=10)  # ↩ Undo takes back the change just stored here, this long


def answer_typed(turn: Turn, scope: Scope, progress: ProjectProgress, question: Question, event: Typed) -> None:
    t = turn.t
    text = event.text.strip()
    value: dict[str, Any]
    if question.kind == "text":
        if not says_something(text) and not event.attachments:
            turn.keep_question()
            turn.say(t.gettext("Svaret er tomt. Skriv en tekst eller send en fil.") if not text else t.gettext(
                "»{typed}« er ikke et svar: der er hverken ord eller tal i det. Skriv jeres svar, eller send en fil."
            ).format(typed=esc(text[:40])))
            return
        if len(text) > MAX_ANSWER:
            turn.keep_question()
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
            value = parse_typed(question, text, t.gettext, t.locale, side_currency(scope.side, t.locale))
        except AmbiguousValue as unclear:
            turn.keep_question()
            ask_reading(turn, scope, question, text, unclear.readings)
            return
        except InvalidValue as refused:
            turn.keep_question()
            turn.say(invalid_message(turn, question, refused))
            show_question(
                turn, scope, progress, turn.guide.phase(question.phase_id), question, editing=is_editing(turn)
            )
            return
        if "choice" in value:
            save_choice(turn, scope, progress, question, str(value["choice"]))
            return
    save(turn, scope, progress, question, ANSWERED, value)


def invalid_message(turn: Turn, question: Question, refused: InvalidValue | None = None) -> str:
    t = turn.t
    if question.kind in ("choice", "yes_no"):
        return t.gettext("Vælg et af svarene med knapperne.")
    if question.kind == "scale":
        return t.gettext("Svar med et tal fra 1 til 5.")
    if question.kind == "amount":
        return t.gettext("Det kunne jeg ikke læse som et beløb. Skriv fx 250.000 kr., 1,2 mio. eller -50.000 NOK.")
    if isinstance(refused, NoSuchDate):
        return t.gettext("Den dato findes ikke: »{typed}«. Skriv fx 31-12-2026 eller 1. juni 2027.").format(
            typed=esc(str(refused)[:40]))
    return t.gettext("Det kunne jeg ikke læse som en dato. Skriv fx 31-12-2026, 1. juni 2027 eller juni 2027.")


def ask_reading(turn: Turn, scope: Scope, question: Question, text: str, readings: tuple[object, ...]) -> None:
    """A typed amount or date that could mean two things: which one, as buttons (nothing is stored yet)."""
    t = turn.t
    values = [reading_value(reading) for reading in readings]
    ref = cb.question_ref(question.key)
    turn.say(
        t.gettext("Hvad mener du med »{typed}«?").format(typed=esc(text[:60])),
        [[turn.button(said_back(t, value), intents.PickReading(scope.project.id, ref, *reading_args(value)))]
         for value in values],
    )


def reading_args(value: dict[str, Any]) -> tuple[str, str]:
    """A reading as two button arguments: an amount in hundredths and its currency, or a date."""
    if "amount" in value:
        cents = (Decimal(str(value["amount"])) * 100).to_integral_value()
        return str(cents), str(value["currency"])
    return str(value["date"]).replace("-", ""), ""


def value_of_reading(kind: str, first: str | None, second: str | None) -> dict[str, Any] | None:
    """The value a reading button carries (see `reading_args`), None when it is not one."""
    if kind == "amount" and first and re.fullmatch(r"-?[0-9]{1,17}", first) and second in CURRENCIES:
        return {"amount": str(whole(Decimal(first) / 100)), "currency": second}
    if kind == "date" and first and re.fullmatch(r"[0-9]{8}", first):
        try:
            return {"date": dt.date(int(first[:4]), int(first[4:6]), int(first[6:])).isoformat()}
        except ValueError:
            return None
    return None


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
        value = with_addition(value, current.author_id if current else None, turn.person.id, addition,
                              MAX_ANSWER * 2)
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
    before = progress
    if turn.inp.message_ref and status == ANSWERED and isinstance(turn.intent, Typed):
        value = {**value, "ref": turn.inp.message_ref}
    current = before.view(scope.role).answers.get(question.key)
    same = current is not None and current.status == status and without_ref(current.value) == without_ref(value)
    # The same answer again (a double tap, a choice pressed once more) is no change: nobody is told twice,
    # and nothing signed is undone. A question put off again is stored while the phase is being answered:
    # the open points are revisited by revision.
    keep = not same or (status != ANSWERED and not before.both_finished(turn.guide.phase(question.phase_id)))
    after = turn.known.save_answer(scope, question, status, value) if keep else before
    stored = after.view(scope.role).answers.get(question.key) if keep else None
    turn.cause = stored.id if stored is not None else None
    turn.clear_state()
    if status == ANSWERED:
        typed = turn.intent.text if isinstance(turn.intent, Typed | GiveAnswer) else ""
        turn.remember(last=question.key, last_at=turn.now.isoformat(), last_len=telegram_length(typed))
    if turn.state.seen.question == question.key:
        turn.remember(question=None, answer=None)  # answered: no longer waiting on this person's screen
    resume(turn, scope)
    read = said_back(t, value) if question.kind in ("amount", "date") else ""
    saved = t.gettext("✓ Gemt: {value}").format(value=esc(read)) if read else t.gettext("✓ Gemt.")
    confirmations = {ANSWERED: saved, NOT_RELEVANT: t.gettext("✓ Markeret som ikke relevant for jer."),
                     LATER: t.gettext("✓ Sprunget over. Spørgsmålet står som åbent punkt, til I vender tilbage.")}
    turn.say(confirmations[status], [undo_row(turn, scope, question, stored.id)] if stored is not None else ())
    if not same:
        after_change(turn, scope, before, after, question)
    present_next(turn, scope)


def undo_row(turn: Turn, scope: Scope, question: Question, answer_id: int) -> list[Button]:
    """"↩ Undo" for the change just stored here, offered until `UNDO_WINDOW` has passed or the next
    change is stored here (`features.undoing`)."""
    turn.remember(undoable=answer_id, undo_until=(turn.now + UNDO_WINDOW).isoformat())
    intent = intents.Undo(scope.project.id, cb.question_ref(question.key), str(answer_id))
    return [turn.button(turn.t.gettext("↩ Fortryd"), intent)]


def without_ref(value: dict[str, Any]) -> dict[str, Any]:
    """An answer's value without the message it was typed in (nor the text an amount was read from,
    nor the revision an undo restored it from)."""
    return {k: v for k, v in value.items() if k not in ("ref", TYPED_KEY, UNDOES)}


def tool_finished(turn: Turn, progress: ProjectProgress, role: Side, tool_id: str) -> bool:
    """Every question of the tool has an answer, and not all of them were skipped: a tool whose every
    question was put off has nothing to tell the other side (it is finished when one is answered)."""
    tool = turn.guide.tool(tool_id)
    answers = progress.view(role).answers
    asked = [q for q in tool.questions_for(role) if applies(q, answers)]
    return all(q.key in answers for q in asked) and any(answers[q.key].status != LATER for q in asked)


def after_change(turn: Turn, scope: Scope, before: ProjectProgress, after: ProjectProgress,
                 question: Question) -> None:
    """What the change means for the other side (and teammates), as events: once both sides had the
    phase card, the card again with what changed; else a decision taken, a tool or the phase finished."""
    role = scope.role
    phase = turn.guide.phase(question.phase_id)
    other = after.view(other_side(role)).side
    own = scope.side
    project = scope.project
    agreement = after.agreement(phase.id)
    current = after.current_phase()
    since = max(before.revision_ids(phase), default=0)
    if agreement is not None and after.is_outdated(agreement):
        turn.emit(events.AnswersChanged(after, phase, (other, own), since, outdated=True))
        return
    is_current = current is not None and current.id == phase.id
    if is_current and before.both_finished(phase) and after.both_finished(phase):  # the card was out
        turn.emit(events.AnswersChanged(after, phase, (other, own), since, outdated=False))
        return
    decided = False
    if question.decision:
        answer = after.view(role).answers.get(question.key)
        option = question.option(str(answer.value.get("choice"))) if answer and answer.status == ANSWERED else None
        decided = option is not None
        if option is not None:
            turn.emit(events.DecisionTaken(project, own, other, question, option))
    if not is_current:
        return
    finished_now = not before.finished(phase, role) and after.finished(phase, role) and after.both_finished(phase)
    if (not tool_finished(turn, before, role, question.tool_id) and not decided and not finished_now
            and tool_finished(turn, after, role, question.tool_id)):
        turn.emit(events.ToolFinished(project, own, other, question.tool_id))
    if finished_now:
        turn.emit(events.PhaseFinished(project, phase))  # the card says it all
        turn.emit(events.PhaseCardDue(after, phase, (other, own), outdated=False))


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
