"""The main job: crawl the replica sites, validate what is new or changed, store, waive, alert, report."""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from crawler.replica.server import serve
from wrqa import history
from wrqa.cli import main
from wrqa.config import parse_config
from wrqa.job import JobError, RunOutcome, run_once


@pytest.fixture(scope="module")
def replica():
    with serve() as running:
        yield running


def make_config(tmp_path, replica, **sections):
    data = {
        "store": {"path": str(tmp_path / "var" / "store.sqlite3"),
                  "warc_dir": str(tmp_path / "var" / "warc")},
        "report": {"dir": str(tmp_path / "report")},
        "crawl": {"delay": 0, "retries": 0},
        "validate": {"suite": "pandera"},
        "sources": [
            {"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
             "lists": ["zyfb/003005", "dbgz/004002"]},
            {"name": "hppc", "kind": "hppc", "base_url": replica.base_urls["hppc"],
             "lists": ["list.php?catid=8"]},
        ],
    }
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return parse_config(data, tmp_path / "config.toml")


def stored(config, run_id: int) -> list[history.StoredFinding]:
    with history.opened(config.path_of("store.path")) as conn:
        return history.findings_of(conn, run_id)


def test_a_first_run_validates_every_document_and_writes_the_report(tmp_path, replica):
    config = make_config(tmp_path, replica)
    outcome = run_once(config)
    index = HTMLParser(outcome.report.read_text(encoding="utf-8"))
    findings = stored(config, outcome.run_id)
    expected = ("findings", 1, outcome.documents, outcome.findings, outcome.findings, True, True)
    actual = (outcome.status, outcome.exit_code, outcome.validated, len(findings),
              sum(f.new for f in findings), outcome.documents > 20, index.css_first("title") is not None)
    assert expected == actual


def test_a_second_run_judges_only_what_changed_and_keeps_the_whole_picture(tmp_path):
    with serve() as own:  # this test edits an article, so it has a replica of its own
        config = make_config(tmp_path, own)
        first = run_once(config)
        own.clear()
        unchanged = run_once(config)
        # an article the crawl asks for again (the newest, on a list's first page)
        path = next(path for path in own.paths("epoint") if path in own.sites["epoint"].articles)
        own.change("epoint", path, "（三）组织代表培训XX次，参训代表**名。")
        changed = run_once(config)
    placeholder = [f for f in stored(config, changed.run_id) if f.new]
    expected = (
        (0, first.documents, first.findings, 0),
        (1, first.documents, first.findings + len(placeholder), len(placeholder)),
        True,
    )
    actual = (
        (unchanged.validated, unchanged.documents, unchanged.findings, unchanged.new),
        (changed.validated, changed.documents, changed.findings, changed.new),
        bool(placeholder) and all(path in f.source for f in placeholder),
    )
    assert expected == actual


def test_validate_all_judges_every_stored_document_again(tmp_path, replica):
    config = make_config(tmp_path, replica)
    first = run_once(config)
    again = run_once(config, validate_all=True)
    assert (first.documents, first.findings, 0) == (again.validated, again.findings, again.new)


@pytest.mark.parametrize(
    ("expires", "waived"),
    [("2999-12-31", True), ("2000-01-01", False)],  # an expired waiver stops applying
)
def test_waived_findings_are_shown_as_waived_and_do_not_fail_the_run(tmp_path, replica, expires, waived):
    config = make_config(tmp_path, replica)
    first = run_once(config)
    errors = [f for f in stored(config, first.run_id) if f.severity == "error"]
    waivers = tmp_path / "waivers.toml"
    waivers.write_text("".join(
        f'[[waiver]]\nfingerprint = "{f.fingerprint}"\nreason = "已核实"\nexpires = {expires}\n\n'
        for f in errors
    ), encoding="utf-8")
    config = make_config(tmp_path, replica, waivers={"path": str(waivers)})
    second = run_once(config)
    with history.opened(config.path_of("store.path")) as conn:
        report = history.report_of(conn, second.run_id)
    marked = [f for d in report["documents"] for f in d["findings"] if f.get("waived")]
    tile = HTMLParser(second.report.read_text(encoding="utf-8")).css_first('[data-count="waived"]')
    shown = int(tile.text()) if tile is not None else 0
    expected = (len(errors) if waived else 0, 0 if waived else 1, len(errors) if waived else 0)
    assert (expected, expected[0]) == ((second.waived, second.exit_code, len(marked)), shown)


def test_new_findings_alert_once_and_a_failed_delivery_is_sent_again(tmp_path, replica, webhook):
    config = make_config(tmp_path, replica, alerts={
        "webhook_url": f"http://127.0.0.1:{webhook.server_port}/hook", "min_severity": "error"})
    webhook.failing = True
    failed = run_once(config)
    webhook.failing = False
    retried = run_once(config)
    quiet = run_once(config)
    errors = sorted(f.fingerprint for f in stored(config, failed.run_id) if f.severity == "error")
    sent = [sorted(f["fingerprint"] for f in body["findings"]) for _, _, body in webhook.received]
    expected = ([errors, errors], 1, 0, len(errors), 0)
    actual = (sent, len(failed.alert_failures), len(retried.alert_failures), retried.alerted, quiet.alerted)
    assert expected == actual


def test_alerts_reach_a_real_smtp_server(tmp_path, replica, smtp):
    config = make_config(tmp_path, replica, alerts={
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "mail_to": ["editor@example.org"],
        "min_severity": "warning"})
    outcome = run_once(config)
    body = smtp.messages[0][2].get_content()
    expected = (1, outcome.findings, ("mail",))
    assert expected == (len(smtp.messages), body.count("fingerprint "), outcome.alert_channels)


def test_a_run_refuses_while_another_holds_the_store(tmp_path, replica):
    config = make_config(tmp_path, replica)
    store = config.path_of("store.path")
    with history.exclusive(history.beside(store, "run.lock")):
        with pytest.raises(JobError) as raised:
            run_once(config)
    assert str(raised.value).startswith(f"Another run of the main job is under way on the store {store}")


def test_a_stopped_run_stores_no_findings_and_the_next_run_picks_up(tmp_path, replica):
    config = make_config(tmp_path, replica)
    stop = threading.Event()
    stop.set()
    stopped = run_once(config, stop=stop)
    resumed = run_once(config)
    with sqlite3.connect(config.path_of("store.path")) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM job_runs ORDER BY id")]
    expected = (["stopped", "findings"], [], resumed.documents)
    assert expected == (statuses, stored(config, stopped.run_id), resumed.validated)


def test_wrqa_run_prints_one_summary_line_and_exits_as_validate(tmp_path, replica):
    config = make_config(tmp_path, replica)
    path = tmp_path / "config.toml"
    sources = "".join(
        f'[[sources]]\nname = "{s.name}"\nkind = "{s.kind}"\nbase_url = "{s.base_url}"\n'
        f"lists = {json.dumps(s.lists)}\n"
        for s in config.sources
    )
    path.write_text(
        f'[store]\npath = "var/store.sqlite3"\nwarc_dir = "var/warc"\n[report]\ndir = "report"\n'
        f'[crawl]\ndelay = 0\n[validate]\nsuite = "pandera"\n{sources}', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(path)])
    lines = result.output.splitlines()
    expected = (1, 1, True, True)
    actual = (result.exit_code, len(lines), lines[0].startswith("run 1: fetched"),
              (tmp_path / "report" / "index.html").exists())
    assert expected == actual


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[waivers]\npath = "missing.toml"\n', "missing.toml: no such waivers file"),
        ("[schedule]\ncron = 5\n", "'schedule.cron' must be a string, not 5"),
    ],
)
def test_bad_settings_end_with_one_line_and_exit_2(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(path)])
    assert (2, 1, True) == (result.exit_code, len(result.output.splitlines()), expected in result.output)


def test_the_summary_line_names_the_counts():
    outcome = RunOutcome(4, "manual", "findings", 1, fetched=12, documents=24, validated=3, findings=7, new=2,
                         waived=1, by_severity={"error": 3, "warning": 4})
    expected = ("run 4: fetched 12 pages, validated 3 of 24 documents, 7 findings (3 error, 4 warning), "
                "2 new, 1 waived")
    assert expected == outcome.summary()


def test_a_report_that_cannot_be_written_keeps_the_stored_findings_and_says_why(tmp_path, replica):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the report folder should be", encoding="utf-8")
    config = make_config(tmp_path, replica, report={"dir": str(blocked / "report")})
    outcome = run_once(config)
    with history.opened(config.path_of("store.path")) as conn:
        status = history.runs(conn, 1)[0].status
    expected = (None, "findings", outcome.findings, 1, True)
    actual = (outcome.report, status, len(stored(config, outcome.run_id)), len(outcome.problems),
              outcome.problems[0].startswith(f"Cannot write the HTML report to {blocked / 'report'}"))
    assert expected == actual


def test_wrqa_run_names_the_pages_it_could_not_fetch(tmp_path, make_replica):
    broken = make_replica(faults={"epoint": {"/dbgz/004002/1.html": "503:99"}})
    config = make_config(tmp_path, broken)
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\npath = "var/store.sqlite3"\nwarc_dir = "var/warc"\n[report]\ndir = "report"\n'
        f'[crawl]\ndelay = 0\nretries = 0\n[validate]\nsuite = "pandera"\n'
        f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{config.sources[0].base_url}"\n'
        f'lists = ["zyfb/003005", "dbgz/004002"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(path)])
    problems = [line for line in result.output.splitlines() if line.startswith("wrqa: ")]
    expected = (1, 1, True, True)
    actual = (result.exit_code, len(problems), "/dbgz/004002/1.html" in problems[0],
              "1 could not be fetched" in result.output)
    assert expected == actual


def test_a_second_run_is_refused_before_the_validators_are_imported(tmp_path):
    """With the run lock held, 'wrqa run' says so in one line and exits 2 without importing pandas or pandera."""
    import subprocess
    import sys

    store = tmp_path / "var" / "store.sqlite3"
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{store}"\n', encoding="utf-8")
    with history.exclusive(history.beside(store, "run.lock")):
        child = subprocess.run([sys.executable, "-X", "importtime", "-m", "wrqa", "run", "--config",
                                str(tmp_path / "config.toml")], capture_output=True, text=True, timeout=60)
    lines = [line for line in child.stderr.splitlines() if not line.startswith("import time:")]
    imported = {line.rsplit("|", 1)[-1].strip() for line in child.stderr.splitlines()
                if line.startswith("import time:")}

    expected = (2, [f"wrqa: Another run of the main job is under way on the store {store} "
                    f"({history.beside(store, 'run.lock')} is held by process {os.getpid()}); let it finish first"],
                set())
    heavy = {"pandas", "pandera", "great_expectations", "selectolax", "httpx", "validators.judge"}
    assert expected == (child.returncode, lines, imported & heavy)


CRASHING_RUN = """
import sys
from wrqa.config import load_config
from wrqa.job import run_once

def progress(source, done, total):
    raise RuntimeError("the progress display broke")

run_once(load_config(sys.argv[1]), progress=progress)
"""


def test_a_run_that_crashes_is_recorded_with_the_exit_code_its_process_ends_with(tmp_path, replica):
    """A crash ends the process with Python's exit code 1 and its traceback; the history says failed, exit 1."""
    import subprocess
    import sys

    config = make_config(tmp_path, replica)
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\npath = "{config.path_of("store.path")}"\n[crawl]\ndelay = 0\n'
                    f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{config.sources[0].base_url}"\n'
                    'lists = ["zyfb/003005"]\n', encoding="utf-8")

    child = subprocess.run([sys.executable, "-c", CRASHING_RUN, str(path)], capture_output=True, text=True,
                           timeout=120)
    with history.opened(config.path_of("store.path")) as conn:
        last = history.runs(conn, 1)[0]

    expected = (1, "RuntimeError: the progress display broke", ("failed", 1))
    assert expected == (child.returncode, child.stderr.splitlines()[-1], (last.status, last.exit_code))
