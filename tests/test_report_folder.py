"""A report folder is wrqa's own: refused unless it is, never written through a link, never left half-written."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports import html
from reports.folder import FolderError
from reports.json import run_from_dict
from tests.seeds import ZIYANG_2018
from wrqa.cli import main

REFUSED = "holds files wrqa did not write ({}); give an empty folder or one wrqa wrote a report to"


def report_of(count: int, title: str = "报告", lines: int = 3, repeat: int = 1) -> dict:
    """A report of ``count`` documents, each of ``lines`` lines of text (the sentence ``repeat`` times), one finding."""
    text = "\n".join(f"第{line}行：组织完成*位代表参加学习，{title}。" + "代表们认真履职。" * (repeat - 1)
                     for line in range(lines))
    return {"documents": [
        {"path": f"r{n}.txt", "line": 1, "title": f"{title}{n}", "text": text,
         "findings": [{"rule": "placeholder", "severity": "warning", "line": 1, "column": 7, "end_line": 1,
                       "end_column": 8, "excerpt": "*", "message": "占位符"}]}
        for n in range(count)]}


def write_report(report: dict, out: Path) -> Path:
    """Write the report of the run ``report`` (results as JSON data) into ``out``."""
    return html.write_report(run_from_dict(report), out)


def contents(folder: Path) -> dict[str, bytes | str]:
    """Every file under ``folder`` by relative name: its bytes, or where a link points."""
    return {str(path.relative_to(folder)): f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_symlink() or path.is_file()}


def refusal(out: Path, report: dict) -> str | None:
    """The message ``write_report`` refuses ``out`` with, or ``None`` when it writes the report."""
    try:
        write_report(report, out)
    except FolderError as error:
        return str(error)
    return None


@pytest.mark.parametrize("theirs, named", [
    ({"index.html": "<p>my own page</p>"}, "index.html"),
    ({"documents/00001.html": "<p>my notes</p>"}, "documents"),
    ({"notes.txt": "草稿", "index.html": "<p>my own page</p>"}, "index.html and 1 more"),
    ({".pages.json": '{"pages": {"notes.txt": 1}}'}, ".pages.json"),
])
def test_a_folder_holding_files_wrqa_did_not_write_is_refused_and_left_as_it_was(tmp_path, theirs, named):
    out = tmp_path / "out"
    for name, text in theirs.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    before = contents(out)
    assert (f"{out}: {REFUSED.format(named)}", before) == (refusal(out, report_of(2)), contents(out))


@pytest.mark.parametrize("link", ["index.html", "documents/00002.html", ".pages.json.part"])
def test_a_link_in_the_folder_is_replaced_and_what_it_points_at_is_left_as_it_was(tmp_path, link):
    out = tmp_path / "out"
    write_report(report_of(3), out)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    (out / link).unlink(missing_ok=True)
    (out / link).symlink_to(os.path.relpath(victim, (out / link).parent))
    write_report(report_of(3, title="修订"), out)
    written = {name: (out / name).is_symlink() for name in ("index.html", "documents/00002.html")}
    assert ("the user's own file", {"index.html": False, "documents/00002.html": False}) == (
        victim.read_text(encoding="utf-8"), written)


@pytest.mark.parametrize("name, reason", [
    ("documents", "is a link; wrqa writes the pages into a folder of its own there: remove it"),
    (".wrqa-manifest.json", "is not a file wrqa wrote; remove it"),
])
def test_a_link_where_wrqa_keeps_its_pages_or_manifest_is_refused(tmp_path, name, reason):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    write_report(report_of(2), out)
    elsewhere.mkdir()
    (elsewhere / "00001.html").write_text("<p>not a report page</p>", encoding="utf-8")
    os.replace(out / name, tmp_path / "moved")
    (out / name).symlink_to(elsewhere if name == "documents" else elsewhere / "00001.html")
    assert (f"{out / name}: {reason}", {"00001.html": b"<p>not a report page</p>"}) == (
        refusal(out, report_of(2, title="修订")), contents(elsewhere))


@pytest.mark.parametrize("tamper", ["edit", "replace"])
def test_pages_of_an_earlier_larger_report_are_removed_but_one_changed_by_hand_is_kept(tmp_path, tamper):
    out = tmp_path / "out"
    write_report(report_of(5), out)
    page = out / "documents" / "00004.html"
    if tamper == "edit":
        with page.open("ab") as handle:
            handle.write(b"<!-- my note -->")
    else:
        page.unlink()
        page.write_bytes(b"<p>my own page</p>")
    theirs = page.read_bytes()
    write_report(report_of(2), out)
    write_report(report_of(1), out)  # the page changed by hand is no longer wrqa's: it stays again
    manifest = json.loads((out / ".wrqa-manifest.json").read_text(encoding="utf-8"))
    assert (["00001.html", "00004.html"], theirs,
            ["documents/00001.html", "findings.csv", "index.html", "results.json"]) == (
        sorted(path.name for path in (out / "documents").iterdir()), page.read_bytes(), sorted(manifest["files"]))


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("documents", [3, 1200])
def test_writing_an_unchanged_report_again_writes_nothing(tmp_path, documents):
    write_report(report_of(documents), tmp_path)
    before = stamps(tmp_path)
    write_report(report_of(documents), tmp_path)
    assert before == stamps(tmp_path)


def test_a_folder_an_earlier_wrqa_wrote_is_taken_as_wrqa_s_and_its_pages_as_written_by_it(tmp_path):
    """Earlier versions left ``.pages.json`` with the digest, size and time of each page and no manifest."""
    (tmp_path / "documents").mkdir()
    pages = {}
    for name in ("00001.html", "00002.html", "00003.html"):
        (tmp_path / "documents" / name).write_text(f"<p>{name}</p>", encoding="utf-8")
        status = (tmp_path / "documents" / name).stat()
        pages[name] = ["0" * 64, status.st_size, status.st_mtime_ns]
    (tmp_path / "index.html").write_text("<p>an earlier overview</p>", encoding="utf-8")
    (tmp_path / ".pages.json").write_text(json.dumps({"pages": pages}), encoding="utf-8")
    (tmp_path / "documents" / "00002.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    write_report(report_of(1), tmp_path)
    assert ([".wrqa-manifest.json", "committees", "documents", "findings.csv", "index.html", "results.json"],
            ["00001.html", "00002.html"]) == (
        sorted(path.name for path in tmp_path.iterdir()),
        sorted(path.name for path in (tmp_path / "documents").iterdir()))


def test_a_folder_another_process_is_writing_a_report_to_is_refused(tmp_path):
    write_report(report_of(2), tmp_path)
    descriptor = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # as a write under way holds it
        message = refusal(tmp_path, report_of(2, title="修订"))
    finally:
        os.close(descriptor)
    assert f"{tmp_path}: another wrqa is writing a report to it; let it finish first" == message


WRITER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from reports.html import write_report
    from reports.json import run_from_dict
    report = run_from_dict(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    print("writing", flush=True)
    write_report(report, Path(sys.argv[1]))
""")


def wait_until_released(out: Path) -> None:
    """Wait until every process of the killed write has let go of the folder."""
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("files", [20, 300, 600, 900])
def test_a_write_killed_midway_leaves_whole_pages_and_the_next_write_cleans_up(tmp_path, files):
    """The write is killed once ``files`` files stand in ``documents/`` (the first report had 10)."""
    out, larger = tmp_path / "out", tmp_path / "larger.json"
    write_report(report_of(10), out)
    later = report_of(1200, title="修订", lines=4, repeat=200)
    larger.write_text(json.dumps(later, ensure_ascii=False), encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out), str(larger)], stdout=subprocess.PIPE,
                              start_new_session=True, cwd=Path(__file__).parents[1])
    assert b"writing\n" == writer.stdout.readline()
    deadline = time.monotonic() + 60
    while len(os.listdir(out / "documents")) < files and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(writer.pid, signal.SIGKILL)  # the run and its forked page writers
    writer.wait()
    writer.stdout.close()
    wait_until_released(out)
    cut = [name for name, data in contents(out).items()
           if name.endswith(".html") and not data.rstrip().endswith(b"</html>")]
    write_report(later, out)
    left = sorted(name for name in contents(out) if "wrqa-tmp" in name)
    assert (-signal.SIGKILL, [], [], 1200) == (writer.returncode, cut, left, len(os.listdir(out / "documents")))


@pytest.mark.parametrize("command", ["report", "validate"])
def test_a_report_folder_of_the_user_s_files_ends_the_command_with_one_line_and_exit_code_2(tmp_path, command):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    results = tmp_path / "run.json"
    results.write_text(json.dumps(report_of(1)), encoding="utf-8")
    args = (["report", "--input", str(results), "--out", str(out)] if command == "report"
            else ["validate", str(ZIYANG_2018), "--suite", "pandera", "--html", str(out)])
    result = CliRunner().invoke(main, args)
    assert (2, f"wrqa: {out}: {REFUSED.format('index.html')}\n", b"<p>my own page</p>") == (
        result.exit_code, result.stderr, (out / "index.html").read_bytes())


@pytest.fixture(scope="module")
def replica():
    from crawler.replica import serve

    with serve() as running:
        yield running


def test_the_main_job_keeps_its_findings_and_names_a_report_folder_of_the_user_s_files(tmp_path, replica):
    from tests.test_job import make_config, stored
    from wrqa.job import run_once

    config = make_config(tmp_path, replica)
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    outcome = run_once(config)
    expected = (None, (f"Cannot write the HTML report: {tmp_path / 'report'}: {REFUSED.format('index.html')}; "
                       "check 'report.dir'",), True, b"<p>my own page</p>")
    assert expected == (outcome.report, outcome.problems, len(stored(config, outcome.run_id)) > 0,
                        (tmp_path / "report" / "index.html").read_bytes())


def test_a_folder_error_pickles_with_its_folder_and_reason():
    error = FolderError("out/report", "is a link; remove it")
    copy = pickle.loads(pickle.dumps(error))
    assert ("out/report: is a link; remove it", "out/report", "is a link; remove it") == (
        str(copy), copy.folder, copy.reason)
