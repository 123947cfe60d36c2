"""Updates of one chat are processed in order; different chats do not wait for each other."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import PerChatUpdateProcessor


def update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "P", False)
    message = Message(update_id, None, Chat(chat_id, "private"), from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_other_chats_concurrently():
    processor = PerChatUpdateProcessor(8)
    done: list[tuple[int, int]] = []
    started: list[int] = []

    async def work(update_id: int, chat_id: int, delay: float) -> None:
        started.append(update_id)
        await asyncio.sleep(delay)
        done.append((chat_id, update_id))

    jobs = [
        processor.process_update(update(1, 100), work(1, 100, 0.2)),
        processor.process_update(update(2, 100), work(2, 100, 0.0)),
        processor.process_update(update(3, 200), work(3, 200, 0.0)),
    ]
    await asyncio.gather(*(asyncio.create_task(j) for j in jobs))
    assert [u for c, u in done if c == 100] == [1, 2]  # the quick second update waited for the first
    assert done.index((200, 3)) < done.index((100, 1))  # another chat did not wait
    assert not processor._locks  # nothing kept for idle chats
