"""``wrqa validate`` as a user runs it: formats, exit codes, and one-line errors instead of tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from accuracy import CORPUS
from seeds import SEEDS, VOLUME, ZIYANG_2018

WRQA = [sys.executable, "-m", "wrqa"]


def wrqa(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([*WRQA, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env,
                          timeout=120)


def test_text_output_names_file_line_column_rule_and_shows_the_words():
    result = wrqa("validate", str(CORPUS / "placeholder-title.txt"))
    first, excerpt, carets = result.stdout.splitlines()[:3]
    assert (1, f"{CORPUS / 'placeholder-title.txt'}:1:3: error placeholder") == (
        result.returncode, first.split(" 模板")[0])
    assert ("人大***街道工委2022年工作报告", "        ^^^") == (excerpt.strip(), carets.rstrip())
    assert result.stdout.splitlines()[-1].startswith("1 document, ")


def test_json_output_has_the_documented_shape(tmp_path):
    result = wrqa("validate", "--format", "json", str(VOLUME), str(ZIYANG_2018))
    report = json.loads(result.stdout)
    document = report["documents"][0]
    finding = report["documents"][0]["findings"][0]
    assert {"tool", "documents", "summary", "expectations", "errors", "run"} <= set(report)
    assert {"path", "line", "title", "committee", "year", "kind", "sections", "statistics", "findings"} <= set(document)
    assert {"rule", "severity", "line", "column", "excerpt", "message", "data", "fingerprint"} <= set(finding)
    assert (str(VOLUME), 17, "杨园", 2022, "report") == (
        document["path"], document["line"], document["committee"], document["year"], document["kind"])
    assert (["pandera", "gx"], 14, 1) == (report["run"]["engines"], report["summary"]["documents"], result.returncode)
    assert {"gx"} == {e["engine"] for e in report["expectations"]} - {"pandera"}
    assert "critical" == report["run"]["gx_max_severity"]


def test_sarif_output_is_sarif_2_1_0_with_fingerprints():
    result = wrqa("validate", "--format", "sarif", str(ZIYANG_2018))
    log = json.loads(result.stdout)
    [sarif_result] = [r for r in log["runs"][0]["results"] if r["ruleId"] != "artifact"]
    region = sarif_result["locations"][0]["physicalLocation"]["region"]
    assert ("2.1.0", "stat-part-whole", 63, 28) == (
        log["version"], sarif_result["ruleId"], region["startLine"], region["startColumn"])
    assert len(sarif_result["partialFingerprints"]["wrqaFinding/v1"]) == 16


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([str(SEEDS / "hppc-2024-xujiapeng-article.txt")], 0),
        ([str(ZIYANG_2018)], 1),
        ([str(ZIYANG_2018), "--fail-on", "never"], 0),
        ([str(VOLUME)], 0),
        ([str(VOLUME), "--fail-on", "warning"], 1),
    ],
)
def test_the_exit_code_says_whether_anything_at_or_above_fail_on_was_found(args, code):
    assert code == wrqa("validate", *args).returncode


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: (d / "empty.txt").write_bytes(b""), "empty.txt: the file is empty"),
        (lambda d: (d / "pic.txt").write_bytes(b"\x89PNG\x00\x00"), "pic.txt: looks binary"),
        (lambda d: None, "nothing-here.txt: no such file or folder"),
    ],
)
def test_an_unreadable_input_is_one_line_exit_2_and_the_others_are_still_validated(tmp_path, make, fragment):
    make(tmp_path)
    target = tmp_path / fragment.split(":")[0]
    result = wrqa("validate", str(target), str(ZIYANG_2018))
    assert (2, True, True) == (result.returncode, fragment in result.stderr, "stat-part-whole" in result.stdout)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit", "csv"])
@pytest.mark.parametrize("to_file", [False, True])
def test_an_unreadable_input_is_named_on_standard_error_in_every_format_and_in_the_data(tmp_path, output_format,
                                                                                       to_file):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = ["-o", str(tmp_path / "out")] if to_file else []
    result = wrqa("validate", "--format", output_format, *out, str(tmp_path / "empty.txt"), str(ZIYANG_2018))
    data = (tmp_path / "out").read_text(encoding="utf-8-sig") if to_file else result.stdout
    message = f"{tmp_path / 'empty.txt'}: the file is empty; nothing to validate"
    assert (2, [f"wrqa: {message}"]) == (result.returncode, result.stderr.splitlines())
    # The CSV holds findings only; the text report on a terminal says it once, on standard error.
    if output_format != "csv" and (to_file or output_format != "text"):
        assert "empty.txt" in data


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ("[validate]\nfail_on = 'sometimes'\n", "'validate.fail_on' is 'sometimes'; use one of"),
        ("[validate]\nspeed = 3\n", "unknown key 'validate.speed'"),
        ("[validate\n", "not valid TOML"),
    ],
)
def test_a_bad_config_is_named_with_its_key_and_file(tmp_path, config, fragment):
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    result = wrqa("validate", "--config", str(path), str(ZIYANG_2018))
    assert (2, True) == (result.returncode, fragment in result.stderr), result.stderr
    assert [f"wrqa: {path}"] == [line.split(":")[0] + ":" + line.split(":")[1] for line in result.stderr.splitlines()]


def test_no_paths_is_a_usage_error_with_a_hint():
    result = wrqa("validate")
    assert (2, "wrqa: give report files or folders to validate, '-' for standard input, or --stored; "
               "see 'wrqa validate --help'\n") == (
        result.returncode, result.stderr)


def test_a_saved_html_page_is_validated_with_positions_in_the_html_file(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>人大紫阳街工委2018年度工作报告-武昌区人大</title><style>p{}</style></head>\n"
        "<body><div class=\"ewb-location\">首页 &gt; 重要发布</div>\n"
        "<h3>人大紫阳街工委2018年度工作报告</h3>\n"
        "<div id=\"infoContentM\"><p class=\"MsoNormal\">一、主要工作完成情况</p>\n"
        "<p>&nbsp;&nbsp;组织完成<span>*</span>位代表述职，满意度达105%。</p>\n"
        "<p>二、存在不足</p><p>一是学习不够。</p><p>三、2019年工作思路</p><p>继续努力。</p></div>\n"
        "<div class=\"footer\">版权所有</div></body></html>\n",
        encoding="utf-8",
    )
    result = wrqa("validate", "--format", "json", str(page))
    [document] = json.loads(result.stdout)["documents"]
    found = [(f["rule"], f["line"], f["column"], f["excerpt"]) for f in document["findings"]]
    assert ("人大紫阳街工委2018年度工作报告", "report", ["work", "shortcomings", "plans"]) == (
        document["title"], document["kind"], document["sections"])
    assert [("placeholder", 5, 26, "*"), ("stat-rate-range", 5, 44, "105%")] == found


def test_the_package_imports_from_this_repository_not_from_pypi_namesakes():
    import checks
    import crawler
    import reports
    import validators

    root = Path(__file__).resolve().parents[1]
    assert [root] * 4 == [Path(module.__file__).resolve().parents[1] for module in (checks, crawler, reports, validators)]


def test_stored_documents_are_validated_with_positions_in_their_stored_text(replica, tmp_path):
    from test_cli_crawl import write_config

    config = write_config(tmp_path, replica)
    assert 0 == wrqa("crawl", "--config", config, "--once").returncode
    result = wrqa("validate", "--stored", "--config", config, "--format", "json", "--fail-on", "never")
    report = json.loads(result.stdout)
    documents = report["documents"]
    urls = [document["path"] for document in documents]
    assert (0, True, True) == (result.returncode, all(url.startswith("http://127.0.0.1:") for url in urls),
                               {"report", "article"} <= {document["kind"] for document in documents})
    assert ["pandera", "gx"] == report["run"]["engines"]
    from crawler.normalize import page_text
    from crawler.store import Store

    with Store(tmp_path / "var" / "store.sqlite3") as store:
        stored = {page.url: page_text(page).split("\n") for page in store.pages()}
    found = [(d["path"], f) for d in documents for f in d["findings"]]
    misplaced = [(url, f["rule"], f["excerpt"]) for url, f in found
                 if not stored[url][f["line"] - 1][f["column"] - 1:].startswith(f["excerpt"])]
    assert (True, []) == (len(found) > 0, misplaced)


def test_stored_without_a_store_says_to_crawl_first(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path}/none.sqlite3"\n', encoding="utf-8")
    result = wrqa("validate", "--stored", "--config", str(config))
    assert (2, f"wrqa: {tmp_path}/none.sqlite3: no store yet; run 'wrqa crawl' first or set store.path in the config\n") == (
        result.returncode, result.stderr)


def test_one_empty_file_in_a_folder_worked_by_several_processes_costs_only_itself(tmp_path):
    report = ZIYANG_2018.read_bytes()
    for number in range(70):
        (tmp_path / f"{number:03d}.txt").write_bytes(report)
    (tmp_path / "031.txt").write_bytes(b"")
    result = wrqa("validate", "--format", "json", "--suite", "pandera", str(tmp_path))
    output = json.loads(result.stdout)
    assert (2, 69, [f"{tmp_path / '031.txt'}: the file is empty; nothing to validate"]) == (
        result.returncode, len(output["documents"]), [error["message"] for error in output["errors"]])
    assert "Traceback" not in result.stderr


def test_a_whole_of_zero_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "zero.txt"
    path.write_text("人大紫阳街道工委2022年工作报告\n共0名，其中1名占100%。\n", encoding="utf-8")
    result = wrqa("validate", "--format", "json", str(path))
    [document] = json.loads(result.stdout)["documents"]
    assert (1, [("stat-part-whole", 2, 7, "1名")]) == (result.returncode, [
        (f["rule"], f["line"], f["column"], f["excerpt"]) for f in document["findings"] if f["rule"].startswith("stat")])


def _paths_in(output_format: str, text: str) -> set[str]:
    if output_format == "json":
        return {document["path"] for document in json.loads(text)["documents"]}
    if output_format == "sarif":
        from urllib.parse import unquote

        results = json.loads(text)["runs"][0]["results"]
        return {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
    return {line.split(":")[0] for line in text.splitlines() if ":1:1:" in line}


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_a_file_name_that_is_not_utf8_is_read_and_shown_as_a_reader_would_read_it(tmp_path, output_format):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("徐家棚2022工作报告.txt".encode("gbk"), b"bad\xff.txt"):
        with open(os.fsencode(folder) + b"/" + name, "wb") as handle:
            handle.write("人大徐家棚街道工委2022年工作报告\n组织完成*位代表述职。\n".encode())
    out = tmp_path / "out"
    result = subprocess.run([*WRQA, "validate", "--format", output_format, "-o", str(out), str(folder),
                             "--html", str(tmp_path / "html")], capture_output=True, timeout=120)
    text = out.read_bytes().decode("utf-8")  # the report is valid UTF-8
    assert (1, b"", {f"{folder}/徐家棚2022工作报告.txt", f"{folder}/bad\\xff.txt"}) == (
        result.returncode, result.stdout, _paths_in(output_format, text))
    assert "Traceback" not in result.stderr.decode("utf-8")
    assert "徐家棚2022工作报告.txt" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


def test_json_on_standard_output_is_valid_utf8_whatever_the_file_names(tmp_path):
    with open(os.fsencode(tmp_path) + b"/\xd0\xec\xbc\xd2\xc5\xef.txt", "wb") as handle:  # 徐家棚 in GBK
        handle.write("人大徐家棚街道工委2022年工作报告\n组织完成*位代表述职。\n".encode())
    result = subprocess.run([*WRQA, "validate", "--format", "json", str(tmp_path)], capture_output=True, timeout=120)
    [document] = json.loads(result.stdout.decode("utf-8"))["documents"]
    assert (1, f"{tmp_path}/徐家棚.txt") == (result.returncode, document["path"])


@pytest.mark.parametrize(("files", "terminal", "drawn"), [(300, True, True), (300, False, False), (40, True, False)])
def test_a_progress_bar_is_drawn_on_a_terminal_for_hundreds_of_files_only(tmp_path, files, terminal, drawn):
    """Standard error on a terminal gets a progress bar ending at N/N for a folder of 300 files; not for a few
    files, and never when standard error is not a terminal; standard output is the same JSON either way."""
    import pty

    text = ZIYANG_2018.read_text(encoding="utf-8")
    for number in range(files):
        (tmp_path / f"report-{number:03d}.txt").write_text(text.replace("2018", str(1900 + number % 120)),
                                                           encoding="utf-8")
    if terminal:
        import threading

        leader, follower = pty.openpty()
        chunks: list[bytes] = []

        def read() -> None:  # read as it is written, so that the terminal's buffer never fills
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal's other end is closed: everything written has been read
                    return
                if not chunk:
                    return
                chunks.append(chunk)

        reader = threading.Thread(target=read)
        reader.start()
        result = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--suite", "pandera", "--format", "json",
                                 str(tmp_path)], stdout=subprocess.PIPE, stderr=follower, timeout=600)
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
        error = b"".join(chunks).decode("utf-8", "replace")
    else:
        result = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--suite", "pandera", "--format", "json",
                                 str(tmp_path)], capture_output=True, timeout=600)
        error = result.stderr.decode("utf-8", "replace")
    documents = len(json.loads(result.stdout)["documents"])
    assert (files, drawn) == (documents, f"] {files}/{files}" in error)
