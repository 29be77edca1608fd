"""The daemon: crontab semantics, the catch-up rule, one daemon per store, the real process on a schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wrqa import history
from wrqa.config import parse_config
from wrqa.daemon import (
    Daemon,
    DaemonError,
    EventLog,
    cron_trigger,
    crontab_days,
    interval_trigger,
    needs_catch_up,
    next_after,
    schedule_of,
)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("0", "sun"),  # crontab's 0 is Sunday, APScheduler 3's 0 would be Monday
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "fri,sat,sun"),
        ("*/2", "tue,thu,sat,sun"),
        ("sat,SUN", "sat,sun"),
        ("mon-wed,6", "mon,tue,wed,sat"),
    ],
)
def test_crontab_day_numbers_keep_their_crontab_meaning(field, expected):
    assert expected == crontab_days(field)


@pytest.mark.parametrize(
    ("expr", "moment", "expected"),
    [
        ("30 6 * * *", datetime(2026, 11, 21, 0, 0, tzinfo=UTC), "2026-11-22T06:30:00+08:00"),
        ("30 6 * * 0", datetime(2026, 11, 16, 0, 0, tzinfo=UTC), "2026-11-22T06:30:00+08:00"),  # a Sunday
        ("0 9 1 * *", datetime(2026, 11, 21, 0, 0, tzinfo=UTC), "2026-12-01T09:00:00+08:00"),
        ("*/3 * * * * *", datetime(2026, 11, 21, 0, 0, 1, tzinfo=UTC), "2026-11-21T08:00:03+08:00"),
    ],
)
def test_the_next_run_follows_the_cron_in_its_timezone(expr, moment, expected):
    assert expected == next_after(cron_trigger(expr, "Asia/Shanghai"), moment).isoformat()


@pytest.mark.parametrize(
    ("expr", "zone", "expected"),
    [
        ("* * * *", "Asia/Shanghai",
         "The schedule '* * * *' has 4 fields; write 5 as in crontab, e.g. '30 6 * * *'"),
        ("30 6 * * 8", "Asia/Shanghai", "Day of week '8' in the schedule '30 6 * * 8' is not 0-7 or sun-sat"),
        ("30 6 * * *", "Mars/Olympus", "Unknown timezone 'Mars/Olympus' in 'schedule.timezone'; "
                                       "use a name such as 'Asia/Shanghai'"),
    ],
)
def test_a_bad_schedule_is_one_sentence(expr, zone, expected):
    with pytest.raises(DaemonError) as raised:
        cron_trigger(expr, zone)
    assert expected == str(raised.value)


NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai


@pytest.mark.parametrize(
    ("last_started", "expected"),
    [
        (None, True),  # never ran
        (NOW - timedelta(hours=2), False),  # ran today after 06:30 Shanghai
        (NOW - timedelta(hours=25), True),  # ran yesterday evening: this morning's run was missed
        (NOW - timedelta(days=3), True),
    ],
)
def test_a_catch_up_run_is_due_when_a_scheduled_time_passed_since_the_last_run(last_started, expected):
    assert expected == needs_catch_up(cron_trigger("30 6 * * *", "Asia/Shanghai"), last_started, NOW)


@pytest.mark.parametrize(("seconds_ago", "expected"), [(2, False), (10, True)])
def test_an_interval_catches_up_after_one_period(seconds_ago, expected):
    trigger = interval_trigger(5, "UTC")
    assert expected == needs_catch_up(trigger, NOW - timedelta(seconds=seconds_ago), NOW)


def test_overrides_replace_the_configured_schedule():
    config = parse_config({"schedule": {"cron": "0 3 * * *", "timezone": "UTC"}})
    expected = ("0 3 * * *", "*/5 * * * *", "every 7s")
    actual = (schedule_of(config).description, schedule_of(config, cron="*/5 * * * *").description,
              schedule_of(config, every=7).description)
    assert expected == actual


def test_a_second_daemon_on_the_same_store_refuses(tmp_path):
    config = parse_config({"store": {"path": str(tmp_path / "store.sqlite3")}})
    lock = history.beside(tmp_path / "store.sqlite3", "daemon.lock")
    with history.exclusive(lock):  # the first daemon holds it
        with pytest.raises(DaemonError) as raised:
            Daemon(config, schedule_of(config), EventLog()).run()
    message = str(raised.value)
    assert (True, True) == (message.startswith(f"Another wrqa daemon already runs on the store {tmp_path}"),
                            message.endswith("stop it first or give this one another 'store.path'"))


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("text", "run-finished run=3 summary=\"run 3: 2 findings\""),
        ("json", '"event": "run-finished", "run": 3, "summary": "run 3: 2 findings"}'),
    ],
)
def test_each_event_is_one_line(form, expected, capsys):
    EventLog(form)("run-finished", run=3, summary="run 3: 2 findings")
    lines = capsys.readouterr().err.splitlines()
    assert (1, True) == (len(lines), lines[0].endswith(expected))
