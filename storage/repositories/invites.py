"""`SqlInvites`: invite codes of a project's sides, and the codes that did not work for someone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select, update

from bot.engine.records import InviteRecord
from storage.models import Invite, InviteFailure
from storage.repositories import rows
from storage.repositories.memo import Memo


class SqlInvites:
    """Invites by token and by project; failures by person (they limit guessing)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, invite: InviteRecord) -> None:
        self.memo.session.add(Invite(token=invite.token, project_id=invite.project_id, role=invite.role,
                                     kind=invite.kind, created_by=invite.created_by, created_at=invite.created_at,
                                     expires_at=invite.expires_at, revoked_at=invite.revoked_at))
        self.memo.session.flush()

    def get(self, token: str) -> InviteRecord | None:
        row = self.memo.session.get(Invite, token)
        return rows.invite(row) if row else None

    def of_project(self, project_id: int) -> Sequence[InviteRecord]:
        found = self.memo.session.scalars(
            select(Invite).where(Invite.project_id == project_id).order_by(Invite.created_at))
        return [rows.invite(row) for row in found]

    def revoke(self, token: str, at: dt.datetime) -> None:
        self.memo.session.execute(
            update(Invite).where(Invite.token == token, Invite.revoked_at.is_(None)).values(revoked_at=at)
        )

    def add_failure(self, person_id: int, at: dt.datetime, forget_before: dt.datetime) -> None:
        """An invite code that did not work for this person (their failures before `forget_before` go)."""
        session = self.memo.session
        session.execute(delete(InviteFailure).where(InviteFailure.person_id == person_id,
                                                    InviteFailure.at < forget_before))
        session.add(InviteFailure(person_id=person_id, at=at))
        session.flush()

    def failures(self, person_id: int, since: dt.datetime) -> list[dt.datetime]:
        return list(self.memo.session.scalars(select(InviteFailure.at).where(
            InviteFailure.person_id == person_id, InviteFailure.at >= since).order_by(InviteFailure.at)))

    def forget_failures(self, before: dt.datetime) -> int:
        return rows.affected(self.memo.session.execute(delete(InviteFailure).where(InviteFailure.at < before)))
