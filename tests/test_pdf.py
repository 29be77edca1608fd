"""PDF files read from their text layer: lines per page, page chrome kept out, findings placed by page and line.

Every PDF is drawn here with reportlab in its built-in STSong-Light CID font (``office_files``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from office_files import pdf_file, scanned_pdf

from crawler.local import load_documents
from reports.json import render_json
from reports.sarif import run_to_sarif
from reports.text import render_text
from validators import validate

HEADER = "武昌区街道人大工委2022年工作报告汇编"
TITLE = "人大紫阳街道工委2022年工作报告"
# Two pages of a report; the paragraph on the last lines of page 1 goes on at the top of page 2.
PAGE_ONE = [TITLE, "一、2022年工作情况", "组织代表深入社区开展视察调研，围绕老旧小区改造和背街小巷整治等",
            "群众关心的问题提出建议，推动解决了一批民生难题，并组织完成"]
PAGE_TWO = ["*位代表回原选区述职，接受选民评议。", "二、存在不足", "联系选民还需深入，参与率达105%。",
            "三、2023年工作思路", "做好代表换届选举工作。"]


def loaded(*paths, max_bytes: int = 10**8, max_pages: int | None = None):
    documents, errors = load_documents([str(path) for path in paths], max_bytes, max_pages)
    return documents, [str(error) for error in errors]


def judged(*paths):
    documents, errors = loaded(*paths)
    assert [] == errors
    return validate(documents)


def test_a_page_reads_as_its_lines_cjk_text_exactly_and_the_header_and_page_number_are_set_apart(tmp_path):
    path = pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO], header=HEADER)
    [document], errors = loaded(path)
    source = document.source
    assert ([], (1, 7)) == (errors, source.pages)
    assert (HEADER, *PAGE_ONE, "- 1 -", HEADER, *PAGE_TWO, "- 2 -") == source.lines
    assert (TITLE, 2) == (document.title, document.line)
    assert HEADER not in document.text and "- 1 -" not in document.text


def test_a_paragraph_cut_by_the_page_end_is_joined_and_its_placeholder_found_at_page_line_and_column(tmp_path):
    path = pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO], header=HEADER)
    run = judged(path)
    [document] = run.documents
    placed = {(f.rule, f.page, f.line, f.column, f.excerpt) for f in run.findings}
    assert {("placeholder", 2, 2, 1, "*"), ("stat-rate-range", 2, 4, 14, "105%")} == placed
    joined = "整治等群众关心的问题提出建议,推动解决了一批民生难题,并组织完成*位代表回原选区述职,接受选民评议。\n"
    assert joined in loaded(path)[0][0].text  # normalized: full-width commas folded
    assert all(document.source_line(f.line, f.page)[f.column - 1:].startswith(f.excerpt) for f in run.findings)


def test_json_text_and_sarif_say_page_and_line(tmp_path):
    run = judged(pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO], header=HEADER))
    [entry] = [f for f in json.loads(render_json(run))["documents"][0]["findings"] if f["rule"] == "placeholder"]
    [line] = [line for line in render_text(run) if " placeholder " in line]
    [sarif] = [r for r in run_to_sarif(run)["runs"][0]["results"] if r["ruleId"] == "placeholder"]
    location = sarif["locations"][0]
    assert (2, 2, 1) == (entry["page"], entry["line"], entry["column"])
    assert line.startswith(f"{tmp_path / '报告.pdf'}:2:1: error placeholder ") and line.endswith(" [第 2 页第 2 行]")
    assert ("第 2 页第 2 行", "page=2", 2, {"page": 2}, 2) == (
        location["message"]["text"], location["logicalLocations"][0]["fullyQualifiedName"],
        location["physicalLocation"]["region"]["startLine"], location["physicalLocation"]["region"]["properties"],
        sarif["properties"]["page"])


def test_a_page_number_a_reader_sees_in_the_body_is_an_artifact_where_it_stands(tmp_path):
    body = [TITLE, "一、2022年工作情况", "组织代表述职。", "- 7 -", "二、存在不足", "联系选民还需深入。",
            "三、2023年工作思路", "做好换届工作。"]
    run = judged(pdf_file(tmp_path / "页码.pdf", [body], footer="- {page} -"))
    assert [("artifact", "footer", 1, 4, 1, "- 7 -")] == [
        (f.rule, f.data["kind"], f.page, f.line, f.column, f.excerpt) for f in run.findings]


def test_a_compiled_volume_is_split_into_its_reports_each_placed_on_its_page(tmp_path):
    toc = ["目录", "人大紫阳街道工委2022年工作报告 1", "人大粮道街道工委2022年工作报告 2"]
    ziyang = [TITLE, "一、2022年工作情况", "组织完成*位代表述职。", "二、存在不足", "联系选民还需深入。",
              "三、2023年工作思路", "做好换届工作。"]
    liangdao = [line.replace("紫阳", "粮道").replace("*位", "7位") for line in ziyang]
    path = pdf_file(tmp_path / "汇编.pdf", [toc, ziyang, liangdao], header=HEADER)
    documents, errors = loaded(path)
    run = validate(documents)
    assert [] == errors
    assert [("紫阳", 2, 2), ("粮道街", 3, 2)] == [
        (d.committee, *d.source.page_line(d.line)) for d in documents]
    assert [(TITLE, "placeholder", 2, 4, 5)] == [
        (r.title, f.rule, f.page, f.line, f.column) for r in run.documents for f in r.findings]


def test_the_fingerprint_stays_when_the_same_text_is_laid_out_again(tmp_path):
    first = judged(pdf_file(tmp_path / "一.pdf", [PAGE_ONE, PAGE_TWO], header=HEADER))
    second = judged(pdf_file(tmp_path / "二.pdf", [PAGE_ONE + PAGE_TWO[:1], PAGE_TWO[1:]], footer="第 {page} 页"))
    placed = [sorted((f.rule, f.fingerprint, f.page, f.line) for f in run.findings) for run in (first, second)]
    assert [("placeholder", 2, 2), ("stat-rate-range", 2, 4)] == [(rule, page, line) for rule, _, page, line in placed[0]]
    assert [("placeholder", 1, 5), ("stat-rate-range", 2, 2)] == [(rule, page, line) for rule, _, page, line in placed[1]]
    assert [fingerprint for _, fingerprint, _, _ in placed[0]] == [fingerprint for _, fingerprint, _, _ in placed[1]]


def _bomb(size: int) -> bytes:
    stream = zlib.compress(b" " * size, 9)
    return (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


@pytest.mark.parametrize(("make", "limits", "fragment"), [
    (lambda tmp_path: scanned_pdf(tmp_path / "x.pdf").read_bytes(), {},
     "has no text layer (it is a scan or a picture of text); wrqa does not do OCR"),
    (lambda tmp_path: pdf_file(tmp_path / "x.pdf", [PAGE_ONE], password="secret").read_bytes(), {},
     "is protected by a password"),
    (lambda tmp_path: pdf_file(tmp_path / "x.pdf", [PAGE_ONE]).read_bytes()[:1500], {},
     "is cut short (its end, %%EOF, is missing)"),
    (lambda tmp_path: b"%PDF-1.7\n" + b"\x93" * 3000 + b"\n%%EOF\n", {}, "is damaged"),
    (lambda tmp_path: b"<html><body>404 Not Found</body></html>", {}, "is not a PDF (it does not start with %PDF-)"),
    (lambda tmp_path: pdf_file(tmp_path / "x.pdf", [PAGE_ONE] * 3).read_bytes(), {"max_pages": 2},
     "has 3 pages, over the limit of 2; split it or raise validate.max_pages"),
    (lambda tmp_path: _bomb(2_000_000), {"max_bytes": 100_000},
     "its streams inflate past 1,600,000 bytes (16 times validate.max_file_bytes)"),
])
def test_a_scanned_encrypted_cut_damaged_or_hostile_pdf_gets_one_line_naming_it(tmp_path, make, limits, fragment):
    path = tmp_path / "坏.pdf"
    path.write_bytes(make(tmp_path))
    documents, errors = loaded(path, **limits)
    [message] = errors
    assert ([], True, True, False) == (documents, message.startswith(f"{path}: "), fragment in message,
                                       "\n" in message), message


def test_a_txt_that_is_really_a_pdf_is_read_as_the_pdf_it_is(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO]).read_bytes())
    run = judged(path)
    assert [("placeholder", 2, 1)] == [(f.rule, f.page, f.line) for f in run.findings if f.rule == "placeholder"]


def test_the_page_limit_of_the_config_file_reaches_wrqa_validate(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[validate]\nmax_pages = 1\n", encoding="utf-8")
    path = pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO])
    result = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--config", str(config), str(path)],
                            capture_output=True, text=True, encoding="utf-8", timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    assert (2, f"wrqa: {path}: has 2 pages, over the limit of 1; split it or raise validate.max_pages\n") == (
        result.returncode, result.stderr)


def test_a_pdf_piped_to_standard_input_is_read_as_the_pdf_it_is(tmp_path):
    data = pdf_file(tmp_path / "报告.pdf", [PAGE_ONE, PAGE_TWO], header=HEADER).read_bytes()
    result = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--format", "json", "--stdin-filename",
                             "报告.pdf", "-"], input=data, capture_output=True, timeout=120)
    report = json.loads(result.stdout.decode("utf-8"))
    assert (1, [("placeholder", 2, 2, 1)]) == (result.returncode, [
        (f["rule"], f["page"], f["line"], f["column"]) for f in report["documents"][0]["findings"]
        if f["rule"] == "placeholder"])


def test_a_page_without_a_text_layer_among_pages_with_one_is_a_warning_of_its_document(tmp_path):
    [document], errors = loaded(pdf_file(tmp_path / "合订.pdf", [PAGE_ONE, None, PAGE_TWO]))
    assert ([], ("page 2 has no text layer (a scanned page?); its words are not judged",), (1, 6, 6)) == (
        errors, document.warnings, document.source.pages)


def test_the_pdf_example_is_made_from_the_seeds_and_shows_its_defects_by_page_and_line(tmp_path):
    from office_files import example_pdf

    path = Path(__file__).parent.parent / "examples" / "reports" / "volume-pages.pdf"
    assert example_pdf(tmp_path / "again.pdf").read_bytes() == path.read_bytes()
    assert [("artifact", 2, 10, 1, "- 12 -"), ("placeholder", 5, 13, 27, "XX")] == [
        (f.rule, f.page, f.line, f.column, f.excerpt) for f in judged(path).findings]
