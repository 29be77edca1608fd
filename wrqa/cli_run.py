"""The ``wrqa run``, ``daemon`` and ``status`` commands: thin layers over ``wrqa.job`` and ``wrqa.daemon``.

Cheap to import: the job, the scheduler and the HTTP client are imported inside the command bodies,
and ``run`` imports nothing heavy itself, so that the job takes its lock before pandas is loaded.
"""

from __future__ import annotations

import json
import sys

import click

from wrqa.commands import config_option, fail, main, read_config, stopping

MAX_MESSAGES = 20  # crawl problems printed; the rest are counted


@main.command()
@config_option
@click.option("--all", "validate_all", is_flag=True,
              help="Validate every stored document, not only those new or changed since the last run.")
def run(config_path: str | None, validate_all: bool) -> None:
    """Crawl every source, validate what is new or changed, store the findings, alert, and write the report.

    Prints one summary line. Exit codes as `wrqa validate`: 0 clean, 1 findings at or above
    validate.fail_on that no waiver covers, 2 an input or setting that cannot be used.
    Ctrl-C or SIGTERM stops it within seconds (exit 130); the next run fetches the page that was under way.
    """
    from wrqa.job import JobError, run_once

    config = read_config(config_path)
    with stopping("the page under way is fetched again on the next run") as stop:
        try:
            outcome = run_once(config, validate_all=validate_all, stop=stop)
        except JobError as error:
            fail(str(error), error.exit_code)  # the code the history recorded for the run
    for message in outcome.crawl_errors[:MAX_MESSAGES]:
        click.echo(f"wrqa: {message}", err=True)
    if len(outcome.crawl_errors) > MAX_MESSAGES:
        click.echo(f"wrqa: … and {len(outcome.crawl_errors) - MAX_MESSAGES} more crawl problems", err=True)
    click.echo(outcome.summary())
    for message in outcome.alert_failures + outcome.problems:
        click.echo(f"wrqa: {message}", err=True)
    if outcome.status == "stopped":
        sys.exit(130)
    sys.exit(2 if outcome.problems else outcome.exit_code)


@main.command()
@config_option
@click.option("--cron", metavar="EXPR",
              help="Schedule instead of schedule.cron: 5 crontab fields, or 6 with seconds first.")
@click.option("--every", type=int, metavar="SECONDS",
              help="Run every SECONDS seconds instead (for trials and tests).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One line per event on stderr, as text or as JSON for log collectors.")
def daemon(config_path: str | None, cron: str | None, every: int | None, log_format: str) -> None:
    """Run the main job on the schedule in config.toml until SIGTERM or SIGINT.

    One daemon per store; a catch-up run at start when the last run is older than one period.
    SIGTERM/SIGINT stop a running job within seconds (the page under way is fetched again next run), then exit 0.
    """
    from wrqa.daemon import Daemon, DaemonError, EventLog, schedule_of
    from wrqa.history import HistoryError

    config = read_config(config_path)
    if cron and every:
        fail("give either --cron or --every, not both")
    try:
        schedule = schedule_of(config, cron=cron, every=every)
        code = Daemon(config, schedule, EventLog(log_format, zone=config['schedule.timezone'])).run()
    except (DaemonError, HistoryError) as error:
        fail(str(error))
    sys.exit(code)


@main.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(config_path: str | None, as_json: bool) -> None:
    """Tell whether the daemon runs, the last run and its result, and the next run time."""
    from wrqa.daemon import DaemonError
    from wrqa.daemon import status as daemon_status
    from wrqa.history import HistoryError

    config = read_config(config_path)
    try:
        state = daemon_status(config)
    except (DaemonError, HistoryError) as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(state, ensure_ascii=False, indent=2))
        return
    from reports.times import local_time

    zone = config["schedule.timezone"]
    daemon_state = state["daemon"]
    click.echo(f"store:    {state['store']}")
    if daemon_state["running"]:
        click.echo(f"daemon:   running (pid {daemon_state['pid']}, {daemon_state['state']}, "
                   f"schedule {daemon_state['schedule']})")
    else:
        click.echo("daemon:   not running")
    last = state["last_run"]
    if last:
        click.echo(f"last run: #{last['id']} {last['status']} (exit {last['exit_code']}), "
                   f"started {local_time(last['started_at'], zone)}, "
                   f"finished {local_time(last['finished_at'], zone) or '-'}")
        click.echo(f"          {last['summary']}")
    else:
        click.echo("last run: none yet")
    when = local_time(state["next_run"], zone) or "none"
    note = "" if state["next_run_from"] == "daemon" else " (by the schedule; no daemon is running)"
    click.echo(f"next run: {when}{note}")
