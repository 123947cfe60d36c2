"""`SqlUploads`: files given on the web page, and when each person last opened a project's page."""

from __future__ import annotations

import datetime as dt

from bot.engine.records import UploadRecord
from storage.models import Upload, WebVisit
from storage.repositories.memo import Memo


class SqlUploads:
    """Uploads by id, and web visits by person and project."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def add(self, project_id: int, name: str, mime: str, data: bytes, at: dt.datetime) -> int:
        row = Upload(project_id=project_id, name=name[:200], mime=mime[:100], size=len(data), data=data, created_at=at)
        self.memo.session.add(row)
        self.memo.session.flush()
        return row.id

    def get(self, upload_id: int) -> UploadRecord | None:
        row = self.memo.session.get(Upload, upload_id)
        return UploadRecord(row.id, row.project_id, row.name, row.mime, row.data) if row else None

    def web_visit(self, person_id: int, project_id: int, at: dt.datetime) -> dt.datetime | None:
        """When the person last opened the project's page (None: never); now `at` is the last visit."""
        session = self.memo.session
        row = session.get(WebVisit, (person_id, project_id))
        before = row.seen_at if row else None
        if row is None:
            session.add(WebVisit(person_id=person_id, project_id=project_id, seen_at=at))
        else:
            row.seen_at = at
        session.flush()
        return before
