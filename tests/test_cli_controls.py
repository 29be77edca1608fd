"""The controls a linter's user reaches for: rule selection, severities, standard input, formats, waivers, rules."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from accuracy import CORPUS
from click.testing import CliRunner
from modes import AS_OWNER
from seeds import ZIYANG_2018

from checks.marks import PatternMarker
from validators.catalogue import RULES, Rule, added, text_checks
from validators.records import Severity
from wrqa.cli import main

CASE = CORPUS / "placeholder-title.txt"  # placeholder ×2, committee-name, artifact


def wrqa(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "wrqa", *args], input=stdin, capture_output=True, cwd=cwd,
                            env=env, timeout=120)
    result.stdout, result.stderr = result.stdout.decode("utf-8-sig"), result.stderr.decode("utf-8")
    return result


def findings(result) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["severity"], f["line"]) for d in json.loads(result.stdout)["documents"] for f in d["findings"]]


@pytest.mark.parametrize(("args", "config", "expected"), [
    ([], "", [("placeholder", "error", 1), ("committee-name", "warning", 22), ("placeholder", "error", 22),
              ("artifact", "warning", 24)]),
    (["--select", "placeholder"], "", [("placeholder", "error", 1), ("placeholder", "error", 22)]),
    (["--select", "artifact,committee-name"], "", [("committee-name", "warning", 22), ("artifact", "warning", 24)]),
    (["--ignore", "placeholder", "--ignore", "artifact"], "", [("committee-name", "warning", 22)]),
    (["--severity", "committee-name=info", "--select", "committee-name"], "", [("committee-name", "info", 22)]),
    (["--select", "placeholder"], "[rules]\nseverity = { placeholder = \"warning\" }\n",
     [("placeholder", "warning", 1), ("placeholder", "warning", 22)]),
    ([], "[rules]\nselect = [\"artifact\"]\n", [("artifact", "warning", 24)]),
    ([], "[rules.per-path]\n\"*placeholder-title.txt\" = [\"placeholder\", \"artifact\"]\n",
     [("committee-name", "warning", 22)]),
    (["--per-path-ignore", "*/corpus/*=committee-name,artifact"], "",
     [("placeholder", "error", 1), ("placeholder", "error", 22)]),
])
def test_rules_are_selected_ignored_and_given_severities_from_flags_and_config(tmp_path, args, config, expected):
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    result = wrqa("validate", "--format", "json", *args, "--config", str(tmp_path / "config.toml"), str(CASE))
    assert expected == findings(result), result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--select", "placeholders"], "wrqa: --select: unknown rule 'placeholders'; 'wrqa rules' lists them:"),
    (["--severity", "placeholder=fatal"], "wrqa: --severity placeholder=fatal: unknown severity 'fatal'"),
    (["--severity", "placeholder"], "wrqa: --severity 'placeholder': write it as RULE=info|warning|error"),
    (["--per-path-ignore", "*.txt=sections"], "wrqa: --per-path-ignore: unknown rule 'sections'"),
])
def test_an_unknown_rule_or_severity_on_the_command_line_is_one_line_naming_the_flag(args, message):
    result = wrqa("validate", *args, str(CASE))
    assert (2, True) == (result.returncode, result.stderr.startswith(message)), result.stderr


def test_standard_input_is_validated_like_a_file_of_the_given_name():
    piped = wrqa("validate", "--format", "json", "--stdin-filename", "草稿.txt", "-", stdin=CASE.read_bytes())
    named = wrqa("validate", "--format", "json", str(CASE))
    [document] = json.loads(piped.stdout)["documents"]
    assert ("草稿.txt", findings(named), 1) == (document["path"], findings(piped), piped.returncode)


def test_quiet_prints_the_findings_only_and_statistics_prints_counts_per_rule():
    quiet = wrqa("validate", "--quiet", str(CASE)).stdout.splitlines()
    statistics = wrqa("validate", "--statistics", str(CASE)).stdout.splitlines()
    assert (True, 12) == (quiet[-1].startswith("    "), len(quiet))
    assert [["2", "placeholder", "占位符未替换", "[error]"], ["1", "committee-name", "工委名称不规范", "[warning]"],
            ["1", "artifact", "网页或排版残留", "[warning]"]] == [line.split() for line in statistics[:3]]
    assert statistics[3].startswith("1 document, 4 findings")


def test_github_annotations_are_one_workflow_command_a_finding():
    lines = wrqa("validate", "--format", "github", str(CASE)).stdout.splitlines()
    pattern = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=\d+,endColumn=\d+,"
                         r"title=([\w-]+)::(.+)$")
    matched = [pattern.match(line) for line in lines]
    assert [("error", "placeholder", "1"), ("warning", "committee-name", "22"), ("error", "placeholder", "22"),
            ("warning", "artifact", "24")] == [(m[1], m[5], m[3]) for m in matched if m]
    assert (len(lines), {str(CASE)}) == (4, {m[2] for m in matched})


def test_junit_has_a_test_case_a_document_failing_on_findings_at_or_above_fail_on(tmp_path):
    result = wrqa("validate", "--format", "junit", "--fail-on", "warning", str(CASE), str(ZIYANG_2018))
    suite = ElementTree.fromstring(result.stdout.encode("utf-8"))
    cases = suite.findall("testcase")
    assert (("2", "2", "0"), [4, 3]) == ((suite.get("tests"), suite.get("failures"), suite.get("errors")),
                                         [len(case.findall("failure")) for case in cases])
    assert ["placeholder", "committee-name", "placeholder", "artifact"] == [
        failure.get("type") for failure in cases[0].findall("failure")]


def test_csv_opens_in_excel_with_the_chinese_intact():
    raw = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--format", "csv", str(CASE)],
                         capture_output=True, timeout=120).stdout
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert (b"\xef\xbb\xbf", "文件", 5) == (raw[:3], rows[0][0], len(rows))
    assert ["placeholder", "占位符未替换", "错误", "***"] == [rows[1][5], rows[1][6], rows[1][7], rows[1][8]]
    assert raw.count(b"\r\n") == 5


def test_validate_applies_the_waivers_in_force_as_the_main_job_does(tmp_path):
    first = json.loads(wrqa("validate", "--format", "json", str(CASE)).stdout)
    errors = [f for f in first["documents"][0]["findings"] if f["severity"] == "error"]
    waivers = tmp_path / "waivers.toml"
    waivers.write_text("".join(f'[[waiver]]\nfingerprint = "{f["fingerprint"]}"\nreason = "模板标题，已知悉"\n'
                               "expires = 2999-12-31\n" for f in errors), encoding="utf-8")
    (tmp_path / "config.toml").write_text(f'[waivers]\npath = "{waivers}"\n', encoding="utf-8")
    text = wrqa("validate", "--config", str(tmp_path / "config.toml"), str(CASE))
    data = wrqa("validate", "--format", "json", "--config", str(tmp_path / "config.toml"), str(CASE))
    marked = [(f["rule"], bool(f.get("waived"))) for f in json.loads(data.stdout)["documents"][0]["findings"]]
    assert (0, "1 document, 2 findings (2 warnings), 2 waived; judged by pandera") == (
        text.returncode, text.stdout.splitlines()[-1])
    assert [("placeholder", True), ("committee-name", False), ("placeholder", True), ("artifact", False)] == marked
    assert 2 == sum("waived placeholder" in line and "[waived until 2999-12-31: 模板标题，已知悉]" in line
                    for line in text.stdout.splitlines())


def test_waive_writes_a_baseline_once_per_fingerprint_that_validate_then_honours(tmp_path):
    results, waivers = tmp_path / "run.json", tmp_path / "waivers.toml"
    wrqa("validate", "--format", "json", "-o", str(results), str(CASE))
    args = ["waive", str(results), "--reason", "旧模板，下次修订", "--expires", "2999-06-30", "--waivers", str(waivers)]
    first, again = wrqa(*args), wrqa(*args)
    table = tomllib.loads(waivers.read_text(encoding="utf-8"))["waiver"]
    (tmp_path / "config.toml").write_text(f'[waivers]\npath = "{waivers}"\n', encoding="utf-8")
    after = wrqa("validate", "--config", str(tmp_path / "config.toml"), str(CASE))
    assert (0, 0, 4, 4) == (first.returncode, again.returncode, len(table), len({w["fingerprint"] for w in table}))
    assert (f"4 finding(s) waived in {waivers} until 2999-06-30", f"0 finding(s) waived in {waivers} until "
            "2999-06-30; 4 already were") == (first.stdout.strip(), again.stdout.strip())
    assert (0, True) == (after.returncode, after.stdout.splitlines()[-1].startswith("1 document, 0 findings, 4 waived"))


def test_rules_lists_every_rule_and_explain_shows_what_it_flags():
    listed = wrqa("rules").stdout.splitlines()
    explained = wrqa("explain", "stat-rate-range").stdout
    assert list(RULES) == [line.split()[0] for line in listed]
    assert ("stat-rate-range (比率超出范围), error by default", True) == (
        explained.splitlines()[0], "→ 例1:3:9: 选民满意度为 105%，不可能超出 0–100% 的范围" in explained)
    assert (2, "wrqa: unknown rule 'rate'; 'wrqa rules' lists them:") == (
        wrqa("explain", "rate").returncode, wrqa("explain", "rate").stderr[:51])


def _toy_rule() -> Rule:
    """A rule written into the catalogue alone: every writer and 'wrqa rules' must know it at once."""
    return Rule("toy-marker", Severity.ERROR, "示例标记", "文中留有示例标记。", "the words 示例标记", "other words",
                text_checks("toy-marker"), lambda failure: ("文中留有“示例标记”", {}), "示例标记\n", "没有标记\n",
                marker=PatternMarker(re.compile("示例标记"), "toy"))


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit", "csv"])
def test_a_rule_added_to_the_catalogue_alone_appears_in_every_writer_and_in_wrqa_rules(tmp_path, output_format):
    page = tmp_path / "page.txt"
    page.write_text("人大紫阳街道工委2022年工作报告\n这里有示例标记。\n", encoding="utf-8")
    with added(_toy_rule()):
        runner = CliRunner()
        listed = runner.invoke(main, ["rules"]).output
        result = runner.invoke(main, ["validate", "--format", output_format, "--suite", "gx", "--select", "toy-marker",
                                      "--html", str(tmp_path / "html"), str(page)])
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert (1, True, ["toy-marker", "error", "示例标记", "文中留有示例标记。"]) == (
        result.exit_code, "toy-marker" in result.output, listed.splitlines()[-1].split())
    assert ("示例标记" if output_format in ("sarif", "csv") else "文中留有“示例标记”") in result.output
    assert 'data-rule="toy-marker"' in index and "示例标记" in index


def test_a_symlink_loop_is_called_a_loop_and_an_unreadable_folder_is_named(tmp_path):
    (tmp_path / "reports" / "2022").mkdir(parents=True)
    (tmp_path / "reports" / "2022" / "a.txt").write_bytes(CASE.read_bytes())
    (tmp_path / "reports" / "2022" / "back").symlink_to(tmp_path / "reports")
    (tmp_path / "reports" / "locked").mkdir()
    (tmp_path / "reports" / "locked").chmod(0)
    code = AS_OWNER + "from wrqa.cli import main\nmain(prog_name='wrqa')\n"
    result = subprocess.run([sys.executable, "-c", code, "validate", "--format", "json", str(tmp_path / "reports")],
                            capture_output=True, text=True, timeout=120)
    (tmp_path / "reports" / "locked").chmod(0o755)
    assert (2, [f"wrqa: {tmp_path}/reports/2022/back: a symlink loop (it leads back to {tmp_path}/reports); "
                "not walked again",
                f"wrqa: {tmp_path}/reports/locked: cannot be read (Permission denied); make it readable or "
                "leave it out"], 1) == (
        result.returncode, sorted(result.stderr.splitlines()), len(json.loads(result.stdout)["documents"]))


def test_files_of_a_walked_folder_wrqa_does_not_read_are_counted_by_suffix(tmp_path):
    (tmp_path / "a.txt").write_bytes(CASE.read_bytes())
    for name in ("b.xlsx", "c.xlsx", "d.jpg"):
        (tmp_path / name).write_bytes(b"\x00")
    result = wrqa("validate", str(tmp_path))
    assert ("wrqa: 3 files skipped: .xlsx ×2, .jpg ×1 (not of a kind wrqa reads)\n", True) == (
        result.stderr, result.stdout.splitlines()[-1].endswith("3 files skipped: .xlsx ×2, .jpg ×1; judged by pandera + gx"))


@pytest.mark.parametrize("command", [["export", "--source", "nosuch"], ["reextract", "--source", "nosuch"],
                                     ["crawl", "--source", "nosuch"]])
def test_every_command_names_an_unknown_source_alike(tmp_path, command):
    (tmp_path / "config.toml").write_text(
        '[store]\npath = "s.sqlite3"\n[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "http://127.0.0.1:9"\n',
        encoding="utf-8")
    result = wrqa(*command, "--config", str(tmp_path / "config.toml"))
    assert (2, f"wrqa: No source named 'nosuch' in {tmp_path / 'config.toml'}; known sources: wcrd\n") == (
        result.returncode, result.stderr)
