"""Where typed text outside a pending step belongs: the question its author saw, or a kept draft.

Text is filed under the question replied to or last shown to its author here, joined to the first
part of a long text, or kept as a draft its author places with one tap. Nothing typed is filed under
a question its author did not see, and nothing is dropped without a word."""

from __future__ import annotations

import datetime as dt

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.flow import present_next, typing_scope
from bot.engine.intents import Typed
from bot.engine.model import Attachment, Topic
from bot.engine.progress import ProjectProgress, next_question
from bot.engine.recording import MAX_ANSWER, add_to_answer, answer_typed, attachment_value, editable
from bot.engine.records import ANSWERED, LATER, AnswerRecord
from bot.engine.render.answers import answer_value
from bot.engine.render.text import g
from bot.engine.turn import Scope, Turn
from bot.engine.understand import says_something, telegram_length
from bot.engine.values import AmbiguousValue, InvalidValue, parse_typed
from bot.guide.model import Question

# Telegram splits a text longer than its limit of 4,096 (UTF-16 code units) into messages sent back
# to back, each cut at a line break or a space shortly before the limit. A part at least this long,
# followed within seconds by more text that replies to nothing, is the same answer; anything else
# (a 3,500-character answer and then a quick "thanks") is an input of its own.
SPLIT_MIN = 3_900
SPLIT_WINDOW = dt.timedelta(seconds=3)

ADD, ANSWER, DISCARD = "a", "r", "x"


def on_text(turn: Turn, event: Typed) -> None:
    """Text that is not part of a pending step (a follow-up, an addition, an edit)."""
    if turn.in_group and not turn.inp.replied_to_bot:
        return  # ordinary group conversation that is not addressed to the bot
    topic = turn.replied_topic()
    scope = typing_scope(turn, topic.project_id if topic else turn.state.seen.project)
    if scope is None:
        return
    progress = turn.known.progress(scope.project)
    if rest_of_long_text(turn, scope, progress, event):
        return
    question, shown_with = shown_question(turn, scope, topic)
    if question is None or not editable(scope, progress, question):
        unplaced(turn, scope, progress, event)
        return
    current = progress.view(scope.role).answers.get(question.key)
    if current is not None and current.status != LATER and current.id != shown_with:
        answered_meanwhile(turn, scope, question, current, event)
        return
    answer_typed(turn, scope, progress, question, event)


def shown_question(turn: Turn, scope: Scope, topic: Topic | None) -> tuple[Question | None, int | None]:
    """The question the text answers – the one replied to, or the one last shown to this person
    here – and its answer revision when it was shown."""
    if topic is not None and topic.project_id == scope.project.id and turn.guide.has_question(topic.question_key):
        return turn.guide.question(topic.question_key), topic.answer_id
    shown = turn.shown_here(scope.project.id)
    return (shown, turn.state.seen.answer) if shown is not None else (None, None)


def rest_of_long_text(turn: Turn, scope: Scope, progress: ProjectProgress, event: Typed) -> bool:
    """Join the rest of a long text to the answer its first part gave (see `SPLIT_MIN`)."""
    seen = turn.state.seen
    if (
        not seen.last
        or seen.last_len < SPLIT_MIN
        or not seen.last_at
        or turn.inp.reply_to_ref
        or not says_something(event.text)
    ):
        return False
    if turn.now - dt.datetime.fromisoformat(seen.last_at) > SPLIT_WINDOW or not turn.guide.has_question(seen.last):
        return False
    question = turn.guide.question(seen.last)
    answer = progress.view(scope.role).answers.get(question.key)
    if answer is None or answer.status != ANSWERED or answer.author_id != turn.person.id:
        return False
    value = dict(answer.value)
    text = str(value.get("text", ""))
    separator = "\n" if text.rstrip().endswith((".", "!", "?", ":")) else " "
    value["text"] = (text + separator + event.text.strip())[: MAX_ANSWER * 2]
    turn.known.add_answer(scope, question, ANSWERED, value)
    turn.keep_question()  # the question shown after the first part is still the one on screen
    turn.remember(last_at=turn.now.isoformat(), last_len=telegram_length(event.text))
    turn.say(turn.t.gettext("✓ Resten af din lange tekst er føjet til svaret på »{question}«.").format(
        question=g(turn.t, question.text)))
    return True


def keep_draft(turn: Turn, event: Typed, question: Question | None) -> None:
    """Keep the text until its author places it; text typed while a draft waits joins the draft."""
    seen = turn.state.seen
    text = "\n\n".join(part for part in (seen.draft, event.text.strip()) if part)
    turn.remember(draft=text[: MAX_ANSWER * 2], draft_for=question.key if question else seen.draft_for,
                  draft_files=seen.draft_files + tuple(attachment_value(a) for a in event.attachments))


def answered_meanwhile(turn: Turn, scope: Scope, question: Question, current: AnswerRecord, event: Typed) -> None:
    """The question was answered since this person saw it: show that answer, and let them choose."""
    t = turn.t
    turn.keep_question()  # text typed again is for the same question
    keep_draft(turn, event, question)
    author = turn.uow.people.get(current.author_id) if current.author_id is not None else None
    text = t.gettext("»{question}« er besvaret i mellemtiden af {name}:").format(
        question=g(t, question.text), name=g(t, author.name) if author else t.gettext("et teammedlem"))
    text += "\n" + answer_value(t, question, current, preview=True)
    text += "\n\n" + t.gettext("Din tekst er ikke gemt endnu. Hvad skal der ske med den?")
    pid, ref = scope.project.id, cb.question_ref(question.key)
    row = []
    if current.status == ANSWERED and (
        question.kind == "text" or "choice" in current.value or "scale" in current.value
    ):
        row.append(turn.button(t.gettext("➕ Føj min tekst til"), intents.PlaceDraft(pid, ref, ADD)))
    if fits(turn, question, event.text):
        row.append(turn.button(t.gettext("🔁 Erstat med min"), intents.PlaceDraft(pid, ref, ANSWER)))
    turn.say(text, [row, [turn.button(t.gettext("✖ Behold svaret"), intents.PlaceDraft(pid, ref, DISCARD))]])


def unplaced(turn: Turn, scope: Scope, progress: ProjectProgress, event: Typed) -> None:
    """No question waits for this text here: keep it, say so, and offer where it can go."""
    t = turn.t
    if not says_something(event.text) and not event.attachments:
        return
    keep_draft(turn, event, None)
    pid = scope.project.id
    lines = [t.gettext("Der venter ikke noget spørgsmål på din tekst her, så den er ikke gemt endnu.")]
    buttons = []
    last = last_answered(turn, scope, progress)
    if last is not None:
        lines.append(t.gettext("➕ Føj den til dit seneste svar: »{question}«").format(question=g(t, last.text)))
        buttons.append(
            [turn.button(t.gettext("➕ Føj til seneste svar"), intents.PlaceDraft(pid, cb.question_ref(last.key), ADD))]
        )
    phase = progress.current_phase()
    upcoming = next_question(phase, scope.role, progress.view(scope.role).answers) if phase else None
    if upcoming is not None and fits(turn, upcoming, event.text) and (last is None or upcoming.key != last.key):
        lines.append(t.gettext("📝 Eller brug den som svar på: »{question}«").format(question=g(t, upcoming.text)))
        buttons.append(
            [
                turn.button(
                    t.gettext("📝 Svar på næste spørgsmål"),
                    intents.PlaceDraft(pid, cb.question_ref(upcoming.key), ANSWER),
                )
            ]
        )
    buttons.append([turn.button(t.gettext("🗑 Kassér teksten"), intents.PlaceDraft(pid, "-", DISCARD))])
    turn.say("\n\n".join(lines), buttons)


def last_answered(turn: Turn, scope: Scope, progress: ProjectProgress) -> Question | None:
    """The question this person last answered here, if their text can still be added to it."""
    key = turn.state.seen.last
    if not key or not turn.guide.has_question(key):
        return None
    question = turn.guide.question(key)
    answer = progress.view(scope.role).answers.get(key)
    if answer is None or answer.status != ANSWERED or not editable(scope, progress, question):
        return None
    return question


def fits(turn: Turn, question: Question, text: str) -> bool:
    """Whether `text` is a valid answer to `question` as it stands."""
    if question.kind == "text":
        return len(text.strip()) <= MAX_ANSWER
    try:
        parse_typed(question, text.strip(), turn.t.gettext, turn.t.locale)
    except AmbiguousValue:
        return True  # an answer: which reading is asked when it is given
    except InvalidValue:
        return False
    return True


def draft_button(turn: Turn, scope: Scope, intent: intents.PlaceDraft) -> None:
    """Where a kept text goes: added to an answer, as an answer, or away."""
    seen = turn.state.seen
    action = intent.action
    if not seen.draft and not seen.draft_files:
        turn.stale_button()
        return
    event = Typed(seen.draft or "", tuple(Attachment(**f) for f in seen.draft_files))
    turn.remember(draft=None, draft_for=None, draft_files=())
    if action == DISCARD:
        turn.say(turn.t.gettext("🗑 Teksten er kasseret."))
        present_next(turn, scope)
        return
    question = turn.services.questions_by_ref.get(intent.question or "")
    progress = turn.known.progress(scope.project)
    if question is None or action not in (ADD, ANSWER) or not editable(scope, progress, question):
        turn.remember(draft=seen.draft, draft_for=seen.draft_for, draft_files=seen.draft_files)
        turn.stale_button()
        return
    if action == ADD:
        add_to_answer(turn, scope, progress, question, event)
    else:
        answer_typed(turn, scope, progress, question, event)
