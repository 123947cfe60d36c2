"""The peer: the questionnaire bot most people would write with python-telegram-bot alone.

A `ConversationHandler` (name "questionnaire", persistent) walks each person through twelve
questions: typed answers (paragraphs, amounts, dates) and choices on inline buttons. A press is
answered (`query.answer()`) and followed by a new message with the next question, as spredning
does. Every question carries a keyboard ("Skip" under a typed one), so every turn ends on one.
After the last question a new round starts, so the load can run as long as it likes. `/start`
picks up where the person left off, `/summary` lists the answers so far (with "Continue"), and
`/help` explains. Answers live in `context.user_data["answers"]`, the round in `chat_data`.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_BASE=http://127.0.0.1:PORT python -m bench.peer_bot

What it persists per update, and when (python-telegram-bot 22, `PicklePersistence` with its
defaults `update_interval=60`, `on_flush=False`, `single_file=True`):

- Per update nothing is written. The application only marks the update's user and chat as changed
  (`Application._mark_for_persistence_update`); the conversation state changes in memory.
- Every 60 s (`BasePersistence.update_interval`, run by `Application._persistence_updater`;
  the first run is 60 s after start-up) `Application.update_persistence` deep-copies the
  `user_data` and `chat_data` of every marked user and chat and every changed conversation state,
  and hands each to the persistence. With `on_flush=False`, `PicklePersistence` pickles its whole
  state and rewrites the whole file for each changed entry (`open("wb")`: no temporary file, no
  fsync).
- On a clean stop (SIGTERM, SIGINT) `Application.shutdown` updates and flushes once more.

So an answer is on disk only up to 60 s after it was given: a crash or `kill -9` loses the last
60 s of answers and conversation states, and a crash while the file is rewritten can leave it
truncated. A benchmark window that ends within 60 s of start-up sees no disk write at all.
The file is `peer.pickle` in `$PEER_DATA_DIR` (default: the current directory).
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.warnings import PTBUserWarning

from bench.echo_bot import builder_from_environment

# One conversation per person (per_message=False) is meant: its presses are those of the question
# it is at, and the patterns of each state check that. PTB warns about it on every start.
warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str  # "paragraph", "amount", "date" or "choice"
    options: tuple[str, ...] = ()


QUESTIONS = (
    Question("problem", "What problem does the innovation solve?", "paragraph"),
    Question("stage", "How far has it come?", "choice", ("Idea", "Pilot", "In use", "Spread")),
    Question("setup_cost", "What did it cost to set up? (an amount in DKK)", "amount"),
    Question("started", "When did it start? (a date, DD-MM-YYYY)", "date"),
    Question("owner", "Who owns it?", "choice", ("A municipality", "A region", "A company")),
    Question("solution", "Describe the solution in a few sentences.", "paragraph"),
    Question("evidence", "How well are its effects documented?", "choice",
             ("Not yet", "Anecdotes", "Measured", "Evaluated")),
    Question("yearly_cost", "What does it cost a year to run? (an amount in DKK)", "amount"),
    Question("users", "Who uses it day to day?", "choice", ("Citizens", "Staff", "Both")),
    Question("needs", "What does a newcomer need to take it up?", "paragraph"),
    Question("ready", "When could a newcomer begin? (a date, DD-MM-YYYY)", "date"),
    Question("sharing", "How would you like to share it?", "choice",
             ("Meetings", "Documents", "Visits", "All of these", "Not sure yet")),
)
HELP = ("Answer each question by typing or with a button. /summary lists your answers so far, "
        "/start picks up where you left off.")
TYPED = filters.TEXT & ~filters.COMMAND
CONTINUE = InlineKeyboardMarkup([[InlineKeyboardButton("Continue", callback_data="continue")]])


# ---- reading and writing the answers


def at(context: Context) -> int:
    """The question the person is at (the conversation's state, kept where handlers can read it)."""
    assert context.user_data is not None
    return context.user_data.get("at", 0)


def answers(context: Context) -> dict[str, object]:
    assert context.user_data is not None
    return context.user_data.setdefault("answers", {})


def parse(question: Question, text: str) -> object | None:
    """The typed value, or None when `text` is not one (an amount or a date)."""
    if question.kind == "amount":
        digits = re.sub(r"[.,\s]|DKK|kr\.?", "", text, flags=re.IGNORECASE)
        return int(digits) if digits.isdigit() else None
    if question.kind == "date":
        try:
            return datetime.strptime(text.strip(), "%d-%m-%Y").date()
        except ValueError:
            return None
    return text


def shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, int):
        return f"{value:,} DKK".replace(",", ".")
    return str(value)


# ---- sending


def keyboard(index: int) -> InlineKeyboardMarkup:
    question = QUESTIONS[index]
    if question.kind == "choice":
        return InlineKeyboardMarkup([[InlineKeyboardButton(option, callback_data=f"c:{index}:{n}")]
                                     for n, option in enumerate(question.options)])
    return InlineKeyboardMarkup([[InlineKeyboardButton("Skip", callback_data=f"skip:{index}")]])


async def ask(update: Update, context: Context, index: int, before: str = "") -> int:
    """Send question `index` (after `before`); it is the conversation's new state."""
    assert update.effective_chat is not None and context.user_data is not None
    context.user_data["at"] = index
    text = f"{before}Question {index + 1}/{len(QUESTIONS)}: {QUESTIONS[index].text}"
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard(index))
    return index


async def advance(update: Update, context: Context, index: int) -> int:
    """The next question, or a new round after the last one."""
    if index + 1 < len(QUESTIONS):
        return await ask(update, context, index + 1, "Saved.\n\n")
    assert context.chat_data is not None
    context.chat_data["rounds"] = context.chat_data.get("rounds", 0) + 1
    done = f"Saved. Round {context.chat_data['rounds']} done, here we go again.\n\n"
    return await ask(update, context, 0, done)


async def acknowledge(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


# ---- handlers


async def resume(update: Update, context: Context) -> int:
    """/start and "Continue": ask the question the person is at."""
    await acknowledge(update)
    return await ask(update, context, at(context))


async def use_buttons(update: Update, context: Context) -> int:
    """Text where a choice is asked."""
    return await ask(update, context, at(context), "Please pick one of the buttons.\n\n")


async def summary(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    given = answers(context)
    lines = [f"{q.text}\n  {shown(given[q.key]) if q.key in given else '–'}" for q in QUESTIONS]
    text = "Your answers so far:\n\n" + "\n".join(lines)
    await update.effective_message.reply_text(text, reply_markup=CONTINUE)


async def help_(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(HELP, reply_markup=CONTINUE)


async def stale(update: Update, context: Context) -> None:
    """A button of a question already answered."""
    assert update.callback_query is not None
    await update.callback_query.answer("That question has been answered.")


def answer_handlers(index: int) -> list[BaseHandler[Update, Context, object]]:
    """What answers question `index`: a press of one of its options, or a typed value or "Skip"."""
    question = QUESTIONS[index]

    async def chosen(update: Update, context: Context) -> int:
        assert update.callback_query is not None and update.callback_query.data is not None
        await update.callback_query.answer()
        option = int(update.callback_query.data.rsplit(":", 1)[1])
        answers(context)[question.key] = question.options[option]
        return await advance(update, context, index)

    async def typed(update: Update, context: Context) -> int:
        assert update.effective_message is not None
        value = parse(question, update.effective_message.text or "")
        if value is None:
            wanted = "a date" if question.kind == "date" else "an amount"
            return await ask(update, context, index, f"That is not {wanted}.\n\n")
        answers(context)[question.key] = value
        return await advance(update, context, index)

    async def skipped(update: Update, context: Context) -> int:
        await acknowledge(update)
        return await advance(update, context, index)

    if question.kind == "choice":
        return [CallbackQueryHandler(chosen, pattern=rf"^c:{index}:\d+$")]
    return [MessageHandler(TYPED, typed), CallbackQueryHandler(skipped, pattern=f"^skip:{index}$")]


def questionnaire() -> ConversationHandler[Context]:
    resuming: list[BaseHandler[Update, Context, object]] = [
        CommandHandler("start", resume), CallbackQueryHandler(resume, pattern="^continue$")]
    return ConversationHandler(
        entry_points=resuming,
        states={index: answer_handlers(index) for index in range(len(QUESTIONS))},
        fallbacks=[*resuming, MessageHandler(TYPED, use_buttons)],
        name="questionnaire",
        persistent=True,
    )


def main() -> None:
    directory = Path(os.environ.get("PEER_DATA_DIR", "."))
    application = (builder_from_environment()
                   .persistence(PicklePersistence(filepath=directory / "peer.pickle"))
                   .build())
    application.add_handler(questionnaire())
    # Outside the conversation's handlers: they answer in and out of a conversation alike.
    application.add_handler(CommandHandler("summary", summary))
    application.add_handler(CommandHandler("help", help_))
    application.add_handler(CallbackQueryHandler(stale))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
