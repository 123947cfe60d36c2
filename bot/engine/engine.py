"""The conversation engine: one input in, a reply out, one unit of work in between.

`Engine.handle` claims the input's idempotency key, works out who is speaking, lets the router hand
the input to its feature, commits, and only then returns the messages that say so. Nothing is kept
in memory between inputs: what to ask next is derived from stored answers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from bot.engine import callbacks as cb
from bot.engine import router
from bot.engine.announce import announce
from bot.engine.model import Input, Message, Reply, SentTopic
from bot.engine.outbox import Outbox, stop_hearing
from bot.engine.ports import DocumentMaker, Links, UnitOfWork
from bot.engine.turn import ChatState, Services, Turn, identify
from bot.guide.model import Guide
from bot.i18n import Catalogs

log = logging.getLogger(__name__)

# How long an input's key is kept to recognise the same update delivered again.
INPUT_KEYS_KEPT = dt.timedelta(days=7)
# How long a reply to a question message is filed under that question.
QUESTION_MESSAGES_KEPT = dt.timedelta(days=180)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine:
    """Transport-free conversation logic over a unit of work."""

    def __init__(
        self,
        guide: Guide,
        catalogs: Catalogs,
        unit_of_work: Callable[[], UnitOfWork],
        documents: DocumentMaker,
        links: Links | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        invite_ttl: dt.timedelta = dt.timedelta(days=14),
        nudge_delay: dt.timedelta = dt.timedelta(minutes=10),
    ) -> None:
        self.guide = guide
        self.catalogs = catalogs
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.services = Services(
            guide=guide, catalogs=catalogs, links=links or Links(), documents=documents, invite_ttl=invite_ttl,
            nudge_delay=nudge_delay, questions_by_ref={cb.question_ref(q.key): q for q in guide.all_questions()},
            announce=announce,
        )
        self.outbox = Outbox(unit_of_work, clock)

    def handle(self, inp: Input) -> Reply:
        """Process one input; messages are returned only after the unit of work committed."""
        now = self.clock()
        try:
            with self.unit_of_work() as uow:
                uow.lock_chat(inp.chat.id)  # another process may be handling this chat's previous input
                if not uow.inputs.claim(inp.key, inp.chat.id, inp.sender.external_id, now):
                    # Handled before; its reply may never have reached the chat (a kill between
                    # commit and sending): send it again, as kept with the key.
                    kept = uow.inputs.kept_reply(inp.key) if inp.key is not None else None
                    return Reply.from_kept(kept) if kept else Reply(duplicate=True)
                if router.is_chat_event(inp):
                    router.on_chat_event(uow, inp)
                    uow.commit()
                    return Reply()
                person = identify(uow, self.catalogs, inp, now)
                state = ChatState.stored(uow.chats.state(person.id, inp.chat.id).pending)
                turn = Turn(self.services, uow, inp, now, person, state)
                router.dispatch(turn)
                reply = turn.reply()
                if inp.key is not None:
                    uow.inputs.keep_reply(inp.key, person.id, reply.kept())
                uow.commit()
                return reply
        except Exception:
            log.exception("input not processed: %s", inp.event)
            return self.not_saved(inp)

    def remember_sent(self, sent: Sequence[SentTopic]) -> None:
        """The transport sent these question messages: a reply to one answers its question."""
        if sent:
            with self.unit_of_work() as uow:
                uow.chats.add_sent_questions(sent, self.clock())
                uow.commit()

    def forget_old_inputs(self, now: dt.datetime | None = None, batch: int = 5_000) -> int:
        """Drop the keys of inputs older than `INPUT_KEYS_KEPT` (Telegram redelivers an update for
        24 hours at most), a short transaction per batch; returns how many were dropped."""
        before = (now or self.clock()) - INPUT_KEYS_KEPT
        self.outbox.purge(now)  # and settled nudges past their retention
        dropped = 0
        while True:
            with self.unit_of_work() as uow:
                count = uow.inputs.forget(before, batch)
                uow.commit()
            dropped += count
            if count < batch:
                break
        with self.unit_of_work() as uow:
            uow.chats.forget_sent_questions((now or self.clock()) - QUESTION_MESSAGES_KEPT)
            uow.invites.forget_failures((now or self.clock()) - INPUT_KEYS_KEPT)
            uow.commit()
        return dropped

    def mark_unreachable(self, external_id: str) -> None:
        """A person refused our messages (blocked the bot): stop notifying them until they write again."""
        with self.unit_of_work() as uow:
            person = uow.people.by_external_id(external_id)
            if person is not None and not person.unreachable:
                stop_hearing(uow, person.id)
                uow.commit()

    def not_saved(self, inp: Input) -> Reply:
        t = self.catalogs.translator(self.catalogs.negotiate(inp.sender.language_code))
        text = t.gettext("⚠️ Det du sendte blev ikke gemt på grund af en fejl hos os. Send det venligst igen om lidt.")
        return Reply(messages=(Message(inp.chat.id, text),), notice=text[:190])
