"""↩ Undo: the answer just given taken back, as if it had not been given.

The confirmation of an answer, an edit or a skip carries "↩ Fortryd" (`recording.undo_row`) for
`recording.UNDO_WINDOW`, until the next change in that chat. Undoing stores what was there before
(or "not answered") as a new revision that names the one it undoes (`UNDOES`), so an undo pressed
twice undoes once; what the answer queued for others is withdrawn, or, where it went out, its
readers are told once (`announce`)."""

from __future__ import annotations

import datetime as dt

from bot.engine import events, intents
from bot.engine.flow import present_next
from bot.engine.records import UNANSWERED, UNDOES
from bot.engine.render.answers import answer_value
from bot.engine.render.text import g
from bot.engine.turn import Scope, Turn
from bot.guide.model import other_side


def undo(turn: Turn, scope: Scope, intent: intents.Undo) -> None:
    t = turn.t
    question = turn.services.questions_by_ref.get(intent.question or "")
    if question is None or not (intent.answer or "").isdigit():
        turn.stale_button()
        return
    history = list(turn.uow.answers.history(scope.side.id, question.key))
    target = next((a for a in history if a.id == int(intent.answer or 0)), None)
    if target is None:
        turn.stale_button()
        return
    later = [a for a in history if a.id > target.id]
    if later and later[0].value.get(UNDOES) == target.id:  # pressed again (a double tap, a second chat)
        turn.notice = t.gettext("Allerede fortrudt.")
        return
    seen = turn.state.seen
    if (later or seen.undoable != target.id or not seen.undo_until or scope.project.closed_at is not None
            or turn.now > dt.datetime.fromisoformat(seen.undo_until)):
        turn.notice = t.gettext("Kan ikke fortrydes længere.")
        turn.say(t.gettext("Det kan ikke fortrydes længere: ↩ Fortryd gælder dit seneste svar i denne chat, "
                           "i 10 minutter. Ret svaret med /mine."))
        return
    earlier = [a for a in history if a.id < target.id]
    before = earlier[-1] if earlier else None
    status, value = (before.status, dict(before.value)) if before else (UNANSWERED, {})
    value[UNDOES] = target.id
    restored = turn.known.save_answer(scope, question, status, value)
    turn.remember(undoable=None, undo_until=None, last=None)
    shown = restored.view(scope.role).answers.get(question.key)
    other = restored.stored.get(other_side(scope.role))
    turn.emit(events.AnswerTakenBack(scope.project, scope.side, other.side if other else None, question, target,
                                     shown, turn.person.name))
    if shown is None:
        turn.say(t.gettext("↩ Fortrudt. »{question}« er ikke besvaret igen.").format(question=g(t, question.text)))
    else:
        turn.say(t.gettext("↩ Fortrudt. »{question}« står igen som før:").format(question=g(t, question.text))
                 + "\n" + answer_value(t, question, shown, preview=True))
    present_next(turn, scope)
