"""The daemon: runs the main job (``wrqa.job.run_once``) on a schedule, and nothing of its own.

- APScheduler 3.x ``BlockingScheduler``; a cron trigger from ``schedule.cron`` in ``schedule.timezone``,
  ``coalesce`` (missed runs fold into one), one instance at a time, ``schedule.misfire_grace`` seconds
  within which a late start still runs; a catch-up run at start when the last complete run is older
  than one period (or there never was one).
- One daemon per store: an OS lock (``flock``) on ``<store>.daemon.lock``; a second daemon refuses.
- SIGTERM and SIGINT set the stop event: within seconds the running job interrupts the page under way,
  records it as failed (the next run fetches it) and the run as stopped, and the daemon exits 0. A SIGKILL
  loses nothing: the run is left ``running`` in the history, marked ``interrupted`` by the next run, and
  the crawler resumes from its store.
- Health: ``<store>.status.json`` is rewritten at every event (pid, schedule, state, next run, last run).
- Logs: one line per event on stderr, as text or as JSON (``--log-format json``).

Crontab day-of-week numbers are kept as cron means them (0 and 7 are Sunday): APScheduler 3 counts
from Monday, so ``cron_trigger`` rewrites numbers to day names. A 6-field expression puts seconds first.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from reports.times import local_time
from wrqa import history
from wrqa.stops import stopping

DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class DaemonError(Exception):
    """A daemon that cannot start: a bad schedule, or another daemon on the store."""


def _day_number(token: str, expr: str) -> int:
    token = token.strip().lower()
    if token[:3] in DAYS and token.isalpha():
        return DAYS.index(token[:3])
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    raise DaemonError(f"Day of week {token!r} in the schedule {expr!r} is not 0-7 or sun-sat")


def crontab_days(field: str, expr: str = "") -> str:
    """The crontab day-of-week ``field`` (0 or 7 = Sunday) as APScheduler 3 day names (``1-5`` → mon…fri)."""
    if field == "*" or field == "?":
        return "*"
    days: set[int] = set()
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise DaemonError(f"Step {step_text!r} in the schedule {expr!r} must be a whole number above 0")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            start, end = span.split("-", 1)
            first, last = _day_number(start, expr), _day_number(end, expr)
            if end.strip() == "7":
                last = 7
        else:
            first = last = _day_number(span, expr)
            if step:
                last = 6
        if last < first:
            raise DaemonError(f"Day range {span!r} in the schedule {expr!r} runs backwards; write low-high")
        days.update(day % 7 for day in range(first, last + 1, step or 1))
    return ",".join(DAYS[day] for day in sorted(days, key=lambda day: (day + 6) % 7))


def cron_trigger(expr: str, timezone: str):
    """The APScheduler trigger of a crontab ``expr`` (5 fields, or 6 with seconds first) in ``timezone``."""
    from apscheduler.triggers.cron import CronTrigger

    zone = _zone(timezone)
    fields = expr.split()
    if len(fields) not in (5, 6):
        raise DaemonError(
            f"The schedule {expr!r} has {len(fields)} fields; write 5 as in crontab, e.g. '30 6 * * *'"
        )
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, day_of_week = fields
    try:
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_days(day_of_week, expr), timezone=zone)
    except ValueError as error:
        raise DaemonError(f"The schedule {expr!r} is not a valid cron expression ({error})") from None


def interval_trigger(seconds: int, timezone: str):
    """A trigger every ``seconds`` seconds, for tests and trials (``--every``)."""
    from apscheduler.triggers.interval import IntervalTrigger

    if seconds < 1:
        raise DaemonError(f"--every {seconds}: the interval must be at least 1 second")
    return IntervalTrigger(seconds=seconds, timezone=_zone(timezone))


def _zone(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DaemonError(
            f"Unknown timezone {name!r} in 'schedule.timezone'; use a name such as 'Asia/Shanghai'"
        ) from None


def next_after(trigger, moment: datetime) -> datetime | None:
    """When ``trigger`` fires first after ``moment``."""
    from apscheduler.triggers.interval import IntervalTrigger

    if isinstance(trigger, IntervalTrigger):
        return moment + trigger.interval
    return trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))


def needs_catch_up(trigger, last_started: datetime | None, now: datetime) -> bool:
    """Whether a scheduled time passed since the last complete run began (or there never was one)."""
    if last_started is None:
        return True
    upcoming = next_after(trigger, last_started)
    return upcoming is not None and upcoming <= now


class EventLog:
    """One line per event on ``stream``: ``time event key=value…`` or a JSON object (``json``).

    Times are in ``zone`` (``schedule.timezone``): to the second for people in text, ISO 8601 in JSON.
    """

    def __init__(self, form: str = "text", stream: TextIO | None = None, zone: str = "Asia/Shanghai") -> None:
        self.form = form
        self.stream = stream or sys.stderr
        self.zone = zone
        self._lock = threading.Lock()

    def __call__(self, event: str, **fields: Any) -> None:
        now = datetime.now(UTC)
        if self.form == "json":
            stamp = now.astimezone(_zone(self.zone)).isoformat(timespec="seconds")
            line = json.dumps({"time": stamp, "event": event, **fields}, ensure_ascii=False, default=str)
        else:
            parts = [local_time(now, self.zone), event]
            for key, value in fields.items():
                text = local_time(value, self.zone) if isinstance(value, datetime) or key == "at" else str(value)
                quoted = " " in text or not text
                parts.append(f"{key}={json.dumps(text, ensure_ascii=False) if quoted else text}")
            line = " ".join(parts)
        with self._lock:
            self.stream.write(line.replace("\n", " ") + "\n")
            self.stream.flush()


class _SchedulerLog(logging.Handler):
    """APScheduler's own warnings (a missed run, an instance still running) as event lines."""

    def __init__(self, log: EventLog) -> None:
        super().__init__(logging.WARNING)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "maximum number of running instances" in message:
            return  # said as a run-skipped event by the daemon's listener
        self.log("scheduler-" + record.levelname.lower(), message=message)


@dataclass(frozen=True)
class Schedule:
    """What the daemon runs by: a ``trigger``, its description for people, the timezone, the grace."""

    trigger: Any
    description: str
    timezone: str
    misfire_grace: int


def schedule_of(config, cron: str | None = None, every: int | None = None) -> Schedule:
    """The schedule from ``config``, or from a ``--cron`` / ``--every`` override."""
    timezone = config["schedule.timezone"]
    if every is not None:
        return Schedule(interval_trigger(every, timezone), f"every {every}s", timezone,
                        config["schedule.misfire_grace"])
    expr = cron or config["schedule.cron"]
    return Schedule(cron_trigger(expr, timezone), expr, timezone, config["schedule.misfire_grace"])


def status_path(config) -> Path:
    return history.beside(config.path_of("store.path"), "status.json")


def write_status(path: Path, status: dict[str, Any]) -> None:
    """Replace the status file at once, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(status, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def _run_fields(record: history.RunRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"id": record.id, "status": record.status, "exit_code": record.exit_code,
            "started_at": record.started_at, "finished_at": record.finished_at, "summary": record.summary}


class Daemon:
    """The scheduler around ``job``; ``run()`` blocks until SIGTERM/SIGINT and returns the exit code."""

    def __init__(self, config, schedule: Schedule, log: EventLog,
                 job: Callable[..., Any] | None = None) -> None:
        from wrqa.job import run_once

        self.config = config
        self.schedule = schedule
        self.log = log
        self.job = job or run_once
        self.stop = threading.Event()
        self.store = config.path_of("store.path")
        self.status_file = status_path(config)
        self.started_at = history.now()
        self._running = threading.Lock()
        self._scheduler = None
        self._first_trigger = "schedule"
        self._planned: datetime | None = None

    def run(self) -> int:
        lock = history.beside(self.store, "daemon.lock")
        try:
            with history.exclusive(lock):
                return self._serve()
        except history.Held as held:
            raise DaemonError(
                f"Another wrqa daemon already runs on the store {self.store} ({held}); "
                "stop it first or give this one another 'store.path'"
            ) from None

    def _serve(self) -> int:
        from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, EVENT_SCHEDULER_STARTED
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(timezone=_zone(self.schedule.timezone))
        self._scheduler = scheduler
        scheduler_log = logging.getLogger("apscheduler")
        scheduler_log.setLevel(logging.WARNING)
        scheduler_log.propagate = False
        scheduler_log.addHandler(_SchedulerLog(self.log))
        scheduler.add_listener(lambda event: self.log("run-missed", scheduled=event.scheduled_run_time),
                               EVENT_JOB_MISSED)
        scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
        scheduler.add_listener(
            lambda event: self.log("run-skipped", scheduled=event.scheduled_run_times[0],
                                   reason="the previous run is still under way"),
            EVENT_JOB_MAX_INSTANCES,
        )

        with history.opened(self.store) as conn:
            last = history.last_complete(conn)
        now = datetime.now(UTC)
        catch_up = needs_catch_up(self.schedule.trigger, _parse(last.started_at) if last else None, now)
        options: dict[str, Any] = {}
        if catch_up:
            options["next_run_time"] = now
            self._first_trigger = "catch-up"
        self._planned = now if catch_up else next_after(self.schedule.trigger, now)
        scheduler.add_job(self._job, self.schedule.trigger, id="main", name="wrqa main job", coalesce=True,
                          max_instances=1, misfire_grace_time=self.schedule.misfire_grace, **options)

        self.log("daemon-started", pid=os.getpid(), store=self.store, schedule=self.schedule.description,
                 timezone=self.schedule.timezone, catch_up=catch_up)
        self._write_status("idle")
        self.log("next-run", at=self._next_run())
        # A second signal while it stops is ignored: the daemon is already on its way out.
        with stopping(self._on_stop, event=self.stop, abort_on_second=False):
            scheduler.start()  # blocks in the main loop until a signal shuts it down
        with self._running:  # a job under way ends within seconds of the stop (the client interrupts its page)
            pass
        self._write_status("stopped")
        self.log("daemon-stopped", pid=os.getpid())
        return 0

    def _on_started(self, _event) -> None:
        if self.stop.is_set():  # a signal came before the scheduler ran
            self._scheduler.shutdown(wait=False)

    def _on_stop(self, signal_name: str) -> None:
        self.log("stopping", signal=signal_name, running=self._running.locked())
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def _job(self) -> None:
        if self.stop.is_set():
            return
        with self._running:
            trigger, self._first_trigger = self._first_trigger, "schedule"
            self._write_status("running")
            self.log("run-started", trigger=trigger)
            try:
                outcome = self.job(self.config, stop=self.stop, trigger=trigger)
            except Exception as error:  # the daemon outlives a failed run; the next one tries again
                self.log("run-failed", error=f"{type(error).__name__}: {error}")
            else:
                self.log("run-finished", run=outcome.run_id, status=outcome.status,
                         exit_code=outcome.exit_code, summary=outcome.summary())
            self._write_status("stopping" if self.stop.is_set() else "idle")
            if not self.stop.is_set():
                self.log("next-run", at=self._next_run())

    def _next_run(self) -> str | None:
        job = self._scheduler.get_job("main") if self._scheduler and self._scheduler.running else None
        moment = getattr(job, "next_run_time", None) if job else self._planned
        return moment.isoformat() if moment else None

    def _write_status(self, state: str) -> None:
        with history.opened(self.store) as conn:
            last = history.runs(conn, 1)
        write_status(self.status_file, {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "updated_at": history.now(),
            "state": state,
            "schedule": self.schedule.description,
            "timezone": self.schedule.timezone,
            "next_run": None if state in ("stopping", "stopped") else self._next_run(),
            "last_run": _run_fields(last[0] if last else None),
        })


def _parse(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def status(config) -> dict[str, Any]:
    """The health of the job on the store of ``config``: daemon, last run, next run. It writes nothing, so
    it works on a store in a read-only folder."""
    store = config.path_of("store.path")
    running = history.is_held(history.beside(store, "daemon.lock"))
    saved: dict[str, Any] = {}
    path = status_path(config)
    if path.exists():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
    last = None
    if store.exists():
        with history.opened(store, read_only=True) as conn:
            records = history.runs(conn, 1)
            last = records[0] if records else None
    if running and saved.get("next_run"):
        next_run, source = saved["next_run"], "daemon"
    else:
        schedule = schedule_of(config)
        upcoming = next_after(schedule.trigger, datetime.now(UTC))
        next_run, source = (upcoming.isoformat() if upcoming else None), "schedule"
    return {
        "store": str(store),
        "daemon": {"running": running, "pid": saved.get("pid") if running else None,
                   "state": saved.get("state") if running else "not running",
                   "schedule": saved.get("schedule") if running else config["schedule.cron"]},
        "last_run": _run_fields(last),
        "next_run": next_run,
        "next_run_from": source,
    }
