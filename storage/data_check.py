"""Stored answers an operator should have confirmed: amounts that look like a thousandth of what was meant.

Before amounts were read in each organisation's conventions, `900.000 NOK` typed by a Norwegian was
stored as 900 kroner. Such an answer is listed, never rewritten: the people who gave it are asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from bot.engine.amounts import CROWNS
from bot.engine.records import ANSWERED
from bot.engine.values import TYPED_KEY
from storage.database import Database
from storage.models import Answer, Project, Side

SMALL = Decimal(1000)


@dataclass(frozen=True)
class SuspectAmount:
    project: str
    organisation: str
    question_key: str
    amount: Decimal
    currency: str


def suspect_amounts(database: Database, amount_keys: Iterable[str]) -> list[SuspectAmount]:
    """Current answers to the amount questions `amount_keys` stored in crowns under 1,000, whose typed
    text was not kept (stored before amounts were said back), in project order."""
    keys = list(amount_keys)
    latest = (select(func.max(Answer.id)).where(Answer.question_key.in_(keys))
              .group_by(Answer.side_id, Answer.question_key))
    query = (select(Project.name, Side.organisation, Answer.question_key, Answer.value)
             .join(Side, Side.id == Answer.side_id).join(Project, Project.id == Side.project_id)
             .where(Answer.id.in_(latest), Answer.status == ANSWERED).order_by(Project.id, Answer.id))
    found = []
    with database.sessions() as session:
        for project, organisation, key, value in session.execute(query):
            if not isinstance(value, dict) or TYPED_KEY in value or value.get("currency") not in CROWNS:
                continue
            try:
                amount = Decimal(str(value.get("amount")))
            except InvalidOperation:
                continue
            if 0 < abs(amount) < SMALL:
                found.append(SuspectAmount(project, organisation or "", key, amount, str(value["currency"])))
    return found
