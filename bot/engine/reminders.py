"""Reminders for a side that has gone quiet while questions of the current phase are open.

Defaults: after 3 idle days, then every 7 more, at most 3 in a row (per project, see `/settings`);
only on working days in working hours of each person's time zone. Any answer from the side starts
the count again; muting, pausing or switching reminders off stops them for that person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.engine.audience import listeners
from bot.engine.outbox import REMINDER, message_payload
from bot.engine.ports import UnitOfWork
from bot.engine.progress import load_progress, open_questions
from bot.engine.records import PersonRecord, ProjectRecord, SideRecord
from bot.engine.render.nudges import reminder
from bot.guide.model import Guide
from bot.i18n import DEFAULT_ZONES, FALLBACK_ZONE, Catalogs

KIND = REMINDER
WORKING_HOURS = (9, 16)  # local time, [start, end)
MIN_IDLE = dt.timedelta(days=1)  # the shortest idle time a project may configure
# Beyond this, every reminder a project may configure (14 + 2 × 14 days) has been sent: not scanned.
MAX_IDLE = dt.timedelta(days=60)


def zone_of(person: PersonRecord | None, locale: str | None = None) -> ZoneInfo:
    name = (person.timezone if person else None) or DEFAULT_ZONES.get(locale or "", FALLBACK_ZONE)
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def next_working_time(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """`now` if it is within working hours on a weekday in `zone`, else the next start of one."""
    local = now.astimezone(zone)
    start, end = WORKING_HOURS
    for _ in range(8):
        if local.weekday() < 5 and start <= local.hour < end:
            return local.astimezone(dt.UTC)
        if local.weekday() < 5 and local.hour < start:
            local = local.replace(hour=start, minute=0, second=0, microsecond=0)
            continue
        local = (local + dt.timedelta(days=1)).replace(hour=start, minute=0, second=0, microsecond=0)
    return local.astimezone(dt.UTC)


class Reminders:
    """`schedule()` puts due reminders in the outbox; the delivery worker sends them."""

    def __init__(self, guide: Guide, catalogs: Catalogs, unit_of_work: Callable[[], UnitOfWork],
                 clock: Callable[[], dt.datetime]) -> None:
        self.guide = guide
        self.catalogs = catalogs
        self.unit_of_work = unit_of_work
        self.clock = clock

    def schedule(self, now: dt.datetime | None = None) -> int:
        """Queue the reminders that are due; returns how many messages were queued."""
        now = now or self.clock()
        with self.unit_of_work() as uow:
            candidates = list(uow.outbox.idle_sides(now - MIN_IDLE, now - MAX_IDLE))
        queued = 0
        for project, side, last_activity in candidates:  # one short transaction per side
            with self.unit_of_work() as uow:
                fresh = uow.projects.side(side.id)
                if fresh is None or fresh != side:
                    continue  # changed or gone since the scan
                count = self._remind_side(uow, project, side, last_activity, now)
                uow.commit()
                queued += count
        return queued

    def _remind_side(self, uow: UnitOfWork, project: ProjectRecord, side: SideRecord,
                     last_activity: dt.datetime, now: dt.datetime) -> int:
        earlier = {r.payload.get("round") for r in uow.outbox.for_side(side.id, KIND, last_activity)}
        rounds = len(earlier)
        if rounds >= project.reminder_max:
            return 0
        due = last_activity + dt.timedelta(days=project.reminder_days + project.reminder_repeat_days * rounds)
        if now < due:
            return 0
        changed_at = uow.outbox.project_changed_at(project.id)
        progress = load_progress(self.guide, uow, project)
        phase = progress.current_phase()
        remaining = 0
        if phase is not None and not progress.no_go() and side.role in progress.sides:
            remaining = len(open_questions(phase, side.role, progress.view(side.role).answers))
        if phase is None or remaining == 0:
            # Finished, stopped, or the other side's turn: nothing to remind of until the project changes.
            if changed_at is not None:
                uow.outbox.mark_reminders_checked(side.id, changed_at)
            return 0
        queued = 0
        for listener in listeners(uow, side, reminders=True):
            t = listener.translator(self.catalogs)
            text, buttons = reminder(t, project, phase, remaining, last_activity)
            when = next_working_time(now, zone_of(listener.person, listener.locale))
            uow.outbox.add(listener.chat, listener.person_id, project.id, side.id, KIND,
                           message_payload(text, buttons, round=rounds + 1), when, now)
            queued += 1
        return queued
