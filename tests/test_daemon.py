"""The daemon: crontab semantics, the catch-up rule, one daemon per store, the real process on a schedule."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.crawl import crawl
from crawler.replica.server import serve
from crawler.store import Store
from wrqa import history
from wrqa.cli import main
from wrqa.config import load_config, parse_config
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


# --- the daemon as a real process against the replica sites ------------------------------------------

DAEMON = [sys.executable, "-c", "from wrqa.cli import main; main()", "daemon"]


def write_config(folder: Path, replica) -> Path:
    path = folder / "config.toml"
    path.write_text(f"""
[store]
path = "var/store.sqlite3"
warc_dir = "var/warc"
[report]
dir = "report"
[crawl]
delay = 0
retries = 0
[validate]
suite = "pandera"
[[sources]]
name = "wcrd"
kind = "epoint"
base_url = "{replica.base_urls['epoint']}"
lists = ["zyfb/003005", "dbgz/004002"]
[[sources]]
name = "hppc"
kind = "hppc"
base_url = "{replica.base_urls['hppc']}"
lists = ["list.php?catid=8"]
""", encoding="utf-8")
    return path


def start(config: Path, log: Path, *options: str) -> subprocess.Popen:
    with open(log, "ab") as stream:
        return subprocess.Popen([*DAEMON, "--config", str(config), "--log-format", "json", *options],
                                stdout=subprocess.DEVNULL, stderr=stream, cwd=config.parent)


def query(store: Path, sql: str) -> list[tuple]:
    if not store.exists():
        return []
    with closing(sqlite3.connect(store, timeout=30)) as conn:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # the tables are not there yet
            return []


def count(store: Path, sql: str) -> int:
    rows = query(store, sql)
    return rows[0][0] if rows else 0


def wait_for(predicate, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} s")
        time.sleep(0.1)


def events(log: Path) -> list[str]:
    return [json.loads(line)["event"] for line in log.read_text(encoding="utf-8").splitlines()]


COMPLETE_RUNS = "SELECT COUNT(*) FROM job_runs WHERE status IN ('clean', 'findings', 'errors')"
STORED = "SELECT COUNT(*) FROM documents WHERE status = 'stored'"


@pytest.fixture(scope="module")
def replica():
    with serve() as running:
        yield running


@pytest.fixture
def slow_replica():
    with serve(delay=0.25) as running:  # a crawl of some seconds, to be interrupted
        yield running


def test_the_daemon_runs_on_its_schedule_and_exits_cleanly_on_sigterm(tmp_path, replica):
    config = write_config(tmp_path, replica)
    log = tmp_path / "daemon.log"
    process = start(config, log, "--every", "2")
    try:
        wait_for(lambda: count(tmp_path / "var" / "store.sqlite3", COMPLETE_RUNS) >= 2)
        status = json.loads(CliRunner().invoke(main, ["status", "--json", "--config", str(config)]).output)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    after = CliRunner().invoke(main, ["status", "--config", str(config)]).output
    seen = events(log)
    expected = (0, "daemon-started", "daemon-stopped", True, True, (True, process.pid, "findings", "daemon"),
                True)
    actual = (code, seen[0], seen[-1], seen.count("run-finished") >= 2, "stopping" in seen,
              (status["daemon"]["running"], status["daemon"]["pid"], status["last_run"]["status"],
               status["next_run_from"]),
              "daemon:   not running" in after)
    assert expected == actual


def test_sigterm_during_a_run_records_the_stop_and_exits_0(tmp_path, slow_replica):
    config = write_config(tmp_path, slow_replica)
    store = tmp_path / "var" / "store.sqlite3"
    log = tmp_path / "daemon.log"
    process = start(config, log, "--every", "3600")  # the catch-up run starts at once
    try:
        wait_for(lambda: count(store, STORED) >= 2)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    expected = (0, [("stopped",)], [("stopped",)])
    actual = (code, query(store, "SELECT status FROM job_runs"), query(store, "SELECT status FROM runs"))
    assert expected == actual


def test_after_sigkill_during_a_run_the_next_start_recovers_with_nothing_lost_or_duplicated(tmp_path,
                                                                                          slow_replica):
    reference = tmp_path / "reference"
    reference.mkdir()
    crawl(load_config(write_config(reference, slow_replica)))
    expected_urls = query(reference / "var" / "store.sqlite3", "SELECT url FROM documents ORDER BY url")

    folder = tmp_path / "killed"
    folder.mkdir()
    config = write_config(folder, slow_replica)
    store = folder / "var" / "store.sqlite3"
    log = folder / "daemon.log"
    first = start(config, log, "--every", "3600")
    try:
        wait_for(lambda: count(store, STORED) >= 3)
    finally:
        first.kill()
        first.wait(timeout=30)
    stored_before = count(store, STORED)
    second = start(config, log, "--every", "3600")  # no complete run yet: it catches up at once
    try:
        wait_for(lambda: count(store, COMPLETE_RUNS) >= 1)
    finally:
        second.send_signal(signal.SIGTERM)
        code = second.wait(timeout=60)
    with Store(store) as opened:
        versions = set(opened.version_counts().values())
    duplicated = count(store, "SELECT COUNT(*) - COUNT(DISTINCT run_id || '|' || source || '|' || "
                              "fingerprint) FROM run_findings")
    expected = (0, [("interrupted",), ("findings",)], expected_urls, {1}, 0, True)
    actual = (
        code,
        query(store, "SELECT status FROM job_runs ORDER BY id"),
        query(store, "SELECT url FROM documents ORDER BY url"),
        versions,
        duplicated,
        0 < stored_before < len(expected_urls),
    )
    assert expected == actual


ROOT = Path(__file__).resolve().parent.parent


def arguments_after(words: list[str], command: str) -> list[str]:
    """The arguments of ``wrqa <command>`` among shell ``words``, up to a redirection."""
    start = words.index(command) + 1
    ends = [i for i in range(start, len(words)) if words[i].startswith((">", "2>", ";", "&"))]
    end = ends[0] if ends else len(words)
    return words[start:end]


def test_the_crontab_line_in_docs_runs_wrqa_run_on_a_valid_schedule():
    line = next(line for line in (ROOT / "docs" / "crontab").read_text(encoding="utf-8").splitlines()
                if line[:1].isdigit())
    words = line.split()
    run = main.commands["run"].make_context("run", arguments_after(words, "run"))
    next_run = next_after(cron_trigger(" ".join(words[:5]), "Asia/Shanghai"), NOW).isoformat()
    assert ("2026-11-22T06:30:00+08:00", "/srv/wrqa/config.toml") == (next_run, run.params["config_path"])


def test_the_systemd_unit_starts_the_daemon_with_options_it_accepts():
    unit = (ROOT / "docs" / "wrqa.service").read_text(encoding="utf-8").splitlines()
    words = next(line for line in unit if line.startswith("ExecStart=")).split()
    daemon = main.commands["daemon"].make_context("daemon", arguments_after(words, "daemon"))
    kill = next(line for line in unit if line.startswith("KillSignal="))
    expected = ("/srv/wrqa/config.toml", "json", "KillSignal=SIGTERM")
    assert expected == (daemon.params["config_path"], daemon.params["log_format"], kill)


def test_status_without_a_daemon_or_a_run_says_so_and_gives_the_scheduled_time(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[store]\npath = "var/store.sqlite3"\n[schedule]\ncron = "0 6 * * *"\ntimezone = "UTC"\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["status", "--config", str(path)])
    lines = result.output.splitlines()
    upcoming = next_after(cron_trigger("0 6 * * *", "UTC"), datetime.now(UTC))
    expected = (0, "daemon:   not running", "last run: none yet",
                f"next run: {upcoming:%Y-%m-%d} 06:00:00 +00:00 (by the schedule; no daemon is running)")
    assert expected == (result.exit_code, lines[1], lines[2], lines[3])


@pytest.mark.parametrize(("zone", "shown"), [("Asia/Shanghai", "2026-12-01 16:32:05 +08:00"),
                                             ("UTC", "2026-12-01 08:32:05 +00:00")])
def test_status_shows_times_in_the_schedule_s_zone_to_the_second(tmp_path, zone, shown):
    store = tmp_path / "var" / "store.sqlite3"
    with history.opened(store) as conn:
        conn.execute("INSERT INTO job_runs (started_at, finished_at, trigger, status, exit_code, summary) "
                     "VALUES ('2026-12-01T08:32:05+00:00', '2026-12-01T08:32:05.123456+00:00', 'manual', "
                     "'clean', 0, 'run 1')")
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\npath = "{store}"\n[schedule]\ntimezone = "{zone}"\n', encoding="utf-8")
    lines = CliRunner().invoke(main, ["status", "--config", str(path)]).output.splitlines()
    assert f"last run: #1 clean (exit 0), started {shown}, finished {shown}" == lines[2]


def test_the_daemon_log_stamps_each_event_in_the_schedule_s_zone():
    import io
    import re

    stream = io.StringIO()
    EventLog("text", stream, zone="Asia/Shanghai")("next-run", at=datetime(2026, 12, 1, 22, 30, tzinfo=UTC))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00 next-run at=\"2026-12-02 06:30:00 \+08:00\"\n",
                        stream.getvalue())


ZIYANG = "/zyfb/003005/20190531/bd41259e-860a-4f08-81e1-a8a0d2257ca8.html"
RUN = [sys.executable, "-c", "from wrqa.cli import main; main()", "run"]


@pytest.fixture
def trickling_replica():
    with serve(faults={"epoint": {ZIYANG: "trickle:1"}}) as running:  # a byte a second: never done in a test
        yield running


def failure_of(store: Path, path: str) -> str:
    return next((error for url, error in query(store, "SELECT url, error FROM documents") if url.endswith(path)), "")


@pytest.mark.parametrize(("command", "expected_code"), [("daemon", 0), ("run", 130)])
def test_sigterm_interrupts_a_page_trickling_in_and_the_next_crawl_fetches_it(tmp_path, trickling_replica,
                                                                              command, expected_code):
    """SIGTERM while a page trickles in ends the daemon (exit 0) or 'wrqa run' (exit 130) within 10 s, the run
    recorded as stopped and the page as failed; once the server is quick, the next crawl stores it."""
    config = write_config(tmp_path, trickling_replica)
    store = tmp_path / "var" / "store.sqlite3"
    log = tmp_path / "daemon.log"
    if command == "daemon":
        process = start(config, log, "--every", "3600")  # the catch-up run starts at once
    else:
        process = subprocess.Popen([*RUN, "--config", str(config)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        wait_for(lambda: ZIYANG in trickling_replica.paths("epoint"))
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        seconds = time.monotonic() - started
    finally:
        process.kill()
    error = failure_of(store, ZIYANG)
    trickling_replica.sites["epoint"].faults.clear()
    crawl(load_config(config))

    expected = (expected_code, True, [("stopped",)], [("stopped",)], True, 1)
    actual = (code, seconds < 10, query(store, "SELECT status FROM job_runs"),
              query(store, "SELECT status FROM runs WHERE id = 1"), "interrupted by a stop request" in error,
              count(store, f"SELECT COUNT(*) FROM documents WHERE url LIKE '%{ZIYANG}' AND status = 'stored'"))
    assert expected == actual
