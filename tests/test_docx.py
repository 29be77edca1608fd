"""Word files (.docx) read as they print: paragraphs and cells in order, Word's numbering, changes as accepted.

Every file is made here with python-docx (``office_files``); findings are placed by paragraph (第 N 段).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from office_files import WordFile, pdf_file, word_file

from crawler.local import load_documents
from reports.json import render_json
from reports.sarif import run_to_sarif
from reports.text import render_text
from validators import validate

TITLE = "人大紫阳街道工委2022年工作报告"


def read(path) -> tuple[str, ...]:
    """The source lines of the one document in the file at ``path``."""
    documents, errors = load_documents([str(path)], 10**8)
    assert [] == [str(error) for error in errors]
    return documents[0].source.lines


def judged(*paths, max_bytes: int = 10**8):
    documents, errors = load_documents([str(path) for path in paths], max_bytes)
    assert [] == [str(error) for error in errors]
    return validate(documents)


def refusal(path, max_bytes: int = 10**8) -> str:
    """The one error reading ``path`` gives."""
    documents, errors = load_documents([str(path)], max_bytes)
    assert [] == documents
    [error] = errors
    return str(error)


def a_report(word: WordFile) -> None:
    """A short report as a clerk's template lays it out: title, numbered parts, a table, header and footer."""
    word.header("人大***街道工委 内部资料")
    word.footer("第 1 页")
    word.add(TITLE)
    word.add("2022年工作情况", level=0)
    word.add("加强学习", level=1)
    word.add("组织完成*位代表回原选区述职。")
    word.add("强化监督", level=1)
    word.table([["代表", "建议"], ["张三", "12件"]])
    word.add("存在不足", level=0)
    word.add("联系选民还需深入。")
    word.add("2023年工作思路", level=0)
    word.add("做好代表换届工作。")


def test_paragraphs_cells_and_word_numbering_read_as_a_reader_sees_them_headers_and_footers_apart(tmp_path):
    word = WordFile()
    a_report(word)
    lines = read(word.save(tmp_path / "报告.docx"))
    assert (TITLE, "一、2022年工作情况", "（一）加强学习", "组织完成*位代表回原选区述职。", "（二）强化监督",
            "代表", "建议", "张三", "12件", "二、存在不足", "联系选民还需深入。", "三、2023年工作思路",
            "做好代表换届工作。") == lines


def test_a_placeholder_is_found_at_its_paragraph_and_column_and_the_reports_say_paragraph(tmp_path):
    word = WordFile()
    a_report(word)
    run = judged(word.save(tmp_path / "报告.docx"))
    [finding] = [f for f in run.findings if f.rule == "placeholder"]
    [entry] = [f for f in json.loads(render_json(run))["documents"][0]["findings"] if f["rule"] == "placeholder"]
    [line] = [line for line in render_text(run) if " placeholder " in line]
    [sarif] = [r for r in run_to_sarif(run)["runs"][0]["results"] if r["ruleId"] == "placeholder"]
    assert (4, 5, "*", None) == (finding.line, finding.column, finding.excerpt, finding.page)
    assert all(run.documents[0].source_line(f.line)[f.column - 1:].startswith(f.excerpt) for f in run.findings)
    assert (4, 5, False) == (entry["line"], entry["column"], "page" in entry)
    assert line.startswith(f"{tmp_path / '报告.docx'}:4:5: error placeholder ") and line.endswith(" [第 4 段]")
    assert ("第 4 段", {"name": "第 4 段", "fullyQualifiedName": "paragraph=4", "kind": "paragraph"}, 4) == (
        sarif["locations"][0]["message"]["text"], sarif["locations"][0]["logicalLocations"][0],
        sarif["locations"][0]["physicalLocation"]["region"]["startLine"])


def test_a_missing_numbered_section_is_found_through_the_labels_word_draws(tmp_path):
    path = word_file(tmp_path / "缺思路.docx", [TITLE, (0, "2022年工作情况"), "组织代表述职。", (0, "存在不足"),
                                                "联系选民还需深入。"])
    run = judged(path)
    assert [("section-missing", "plans")] == [(f.rule, f.data.get("section")) for f in run.findings]


def test_numbering_gaps_are_judged_on_the_labels_word_draws(tmp_path):
    word = WordFile()
    word.add(TITLE)
    word.add("2022年工作情况", level=0)
    word.restart_at(91, level=0, start=3)
    word.add("存在不足", level=0, num_id=91)
    word.add("2023年工作思路", level=0, num_id=91)
    run = judged(word.save(tmp_path / "跳号.docx"))
    assert ("一、2022年工作情况", "三、存在不足", "四、2023年工作思路") == run.documents[0].lines[1:]
    assert [("section-numbering", 3)] == [(f.rule, f.line) for f in run.findings if f.rule == "section-numbering"]


@pytest.mark.parametrize(("number_format", "value", "label"), [
    ("chineseCounting", 1, "一"), ("chineseCounting", 10, "十"), ("chineseCounting", 11, "十一"),
    ("chineseCountingThousand", 20, "二十"), ("chineseCountingThousand", 101, "一百零一"),
    ("taiwaneseCountingThousand", 1010, "一千零一十"), ("chineseLegalSimplified", 12, "壹拾贰"),
    ("ideographTraditional", 3, "丙"), ("ideographZodiac", 2, "丑"), ("decimalEnclosedCircle", 2, "②"),
    ("decimalEnclosedParen", 3, "⑶"), ("decimalFullWidth", 12, "１２"), ("decimalZero", 7, "07"),
    ("upperRoman", 14, "XIV"), ("lowerRoman", 4, "iv"), ("upperLetter", 28, "BB"), ("lowerLetter", 3, "c"),
    ("decimal", 12, "12"), ("ordinal", 3, "3"), ("none", 3, ""),
])
def test_a_counter_is_written_in_its_word_number_format(number_format, value, label):
    from crawler.docx import format_number

    assert label == format_number(value, number_format)


def test_a_style_that_numbers_its_paragraphs_numbers_them_and_bullets_add_nothing(tmp_path):
    word = WordFile()
    style = word.document.styles.add_style("报告标题一", 1)
    style.element.get_or_add_pPr().append(WordFile.numbering_xml(num_id=90, level=0))
    word.document.add_paragraph("2022年工作情况", style="报告标题一")
    word.document.add_paragraph("存在不足", style="报告标题一")
    word.document.add_paragraph("一项", style="List Bullet")
    assert ("一、2022年工作情况", "二、存在不足", "一项") == read(word.save(tmp_path / "样式.docx"))


def test_tracked_changes_read_as_accepted_and_an_artifact_warns_where_they_stand(tmp_path):
    word = WordFile()
    word.add(TITLE)
    changed = word.add("全年共收到代表建议")
    word.changed(changed, "ins", "19件")
    word.changed(changed, "del", "**件")
    word.run(changed, "，均已办结。")
    run = judged(word.save(tmp_path / "修订.docx"))
    [finding] = [f for f in run.findings if f.rule == "artifact"]
    assert "全年共收到代表建议19件，均已办结。" == run.documents[0].lines[1]
    assert (2, 10, 2, 13, "19件", "revision") == (
        finding.line, finding.column, finding.end_line, finding.end_column, finding.excerpt, finding.data["kind"])
    assert [] == [f for f in run.findings if f.rule == "placeholder"]  # the deleted ** is not printed
    assert "插入：19件；删除：**件" in finding.message


def test_a_comment_left_in_is_an_artifact_on_the_words_it_is_anchored_to(tmp_path):
    word = WordFile()
    word.add(TITLE)
    word.add("组织代表开展视察。")
    commented = word.add("")
    word.run(commented, "参与率达95%。")
    word.comment(commented, "请核实数字")
    run = judged(word.save(tmp_path / "批注.docx"))
    [finding] = [f for f in run.findings if f.rule == "artifact"]
    assert (3, 1, 3, 9, "参与率达95%。", "comment") == (
        finding.line, finding.column, finding.end_line, finding.end_column, finding.excerpt, finding.data["kind"])
    assert "（批注）：“请核实数字”" in finding.message


def test_the_fingerprint_stays_when_the_same_text_is_saved_again_elsewhere_in_the_file(tmp_path):
    first = WordFile()
    a_report(first)
    second = WordFile()
    second.add("")  # an empty paragraph above the title moves every line down by one
    a_report(second)
    findings = [[(f.rule, f.line, f.fingerprint) for f in judged(word.save(tmp_path / f"{number}.docx")).findings]
                for number, word in enumerate((first, second))]
    assert [(rule, line + 1, fingerprint) for rule, line, fingerprint in findings[0]] == findings[1]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _whole(tmp_path) -> bytes:
    word = WordFile()
    a_report(word)
    return word.save(tmp_path / "whole.docx").read_bytes()


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda whole: whole[: len(whole) // 2], "is damaged or cut short"),
    (lambda whole: b"PK\x03\x04" + b"\x00" * 64, "is damaged or cut short"),
    (lambda whole: _zip({"hello.txt": b"hi"}), "is a ZIP archive but not a Word document"),
    (lambda whole: _zip({"word/document.xml": b"\x00" * 3_000_000}), "would inflate to 3,000,000 bytes"),
    (lambda whole: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"),
     "is protected by a password"),
    (lambda whole: b"<html><body>404</body></html>", "is not a Word document (.docx)"),
])
def test_a_damaged_truncated_encrypted_or_hostile_docx_gets_one_line_naming_it(tmp_path, make, fragment):
    path = tmp_path / "坏.docx"
    path.write_bytes(make(_whole(tmp_path)))
    message = refusal(path, 500_000)
    assert (True, True, False) == (message.startswith(f"{path}: "), fragment in message, "\n" in message), message


def test_a_txt_that_is_really_a_docx_is_read_as_the_docx_it_is(tmp_path):
    word = WordFile()
    a_report(word)
    path = tmp_path / "报告.txt"
    path.write_bytes(word.save(tmp_path / "报告.docx").read_bytes())
    [document], _ = load_documents([str(path)], 10**8)
    assert ("docx", "一、2022年工作情况") == (document.source.encoding, document.source.lines[1])


def test_a_folder_of_word_and_pdf_files_is_validated_and_other_files_are_counted_once(tmp_path):
    word = WordFile()
    a_report(word)
    word.save(tmp_path / "徐家棚2022工作报告.docx")
    pdf_file(tmp_path / "汇编.pdf", [[TITLE, "组织完成*位代表述职。"]])
    (tmp_path / "表.xlsx").write_bytes(_zip({"xl/workbook.xml": b"<workbook/>"}))
    (tmp_path / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "照片2.jpg").write_bytes(b"\xff\xd8\xff")
    result = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--suite", "pandera", "--format", "json",
                             str(tmp_path)], capture_output=True, text=True, encoding="utf-8", timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    report = json.loads(result.stdout)
    assert ({str(tmp_path / "徐家棚2022工作报告.docx"), str(tmp_path / "汇编.pdf")}, [], 1) == (
        {d["path"] for d in report["documents"]}, report["errors"], result.returncode)
    assert "wrqa: 3 files skipped: .jpg ×2, .xlsx ×1 (not of a kind wrqa reads)\n" == result.stderr


def test_the_html_report_of_saved_results_reads_a_word_file_again_for_its_text(tmp_path):
    from selectolax.lexbor import LexborHTMLParser

    word = WordFile()
    a_report(word)
    path = word.save(tmp_path / "报告.docx")
    env = {**os.environ, "NO_COLOR": "1"}
    wrqa = [sys.executable, "-m", "wrqa"]
    subprocess.run([*wrqa, "validate", "--format", "json", "-o", str(tmp_path / "run.json"), str(path)], env=env,
                   capture_output=True, timeout=120, check=False)
    result = subprocess.run([*wrqa, "report", "--input", str(tmp_path / "run.json"), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    page = LexborHTMLParser((tmp_path / "out" / "documents" / "00001.html").read_text(encoding="utf-8"))
    assert (0, "") == (result.returncode, result.stderr.replace(f"HTML report: {tmp_path / 'out' / 'index.html'}\n", ""))
    assert "组织完成*位代表回原选区述职。" in page.body.text()


def test_the_word_example_is_made_from_the_seeds_and_shows_its_defects_by_paragraph(tmp_path):
    from office_files import example_word

    path = Path(__file__).parent.parent / "examples" / "reports" / "word-changes-left-in.docx"
    assert read(example_word(tmp_path / "again.docx")) == read(path)
    assert [("placeholder", 5, 21, "**"), ("artifact", 14, 124, "98%"), ("artifact", 20, 1, "今年以来")] == [
        (f.rule, f.line, f.column, f.excerpt[:4] if f.column == 1 else f.excerpt) for f in judged(path).findings]


@pytest.mark.parametrize(("suffix", "words"), [(".docx", "第 1 段"), (".pdf", "第 1 页第 1 行")])
def test_a_near_copy_names_the_word_or_pdf_file_it_copies_by_paragraph_or_page_and_line(tmp_path, suffix, words):
    """A text copied from a Word or PDF report is told a near-copy of it at the place a reader of that file
    counts by, not at a line of the file's insides."""
    from office_files import paginate, seed_report, wrap

    paragraphs = seed_report(17, 51)
    original = tmp_path / f"a{suffix}"
    if suffix == ".docx":
        word_file(original, paragraphs)
    else:
        pdf_file(original, paginate(wrap(paragraphs)), footer=None)
    (tmp_path / "b.txt").write_text("\n".join(paragraphs), encoding="utf-8")

    documents, _ = load_documents([str(original), str(tmp_path / "b.txt")], 10_000_000)
    run = validate(documents)
    copy = next(result for result in run.documents if result.path.endswith("b.txt"))
    messages = [f.message for f in copy.findings if f.rule == "duplicate-report"]
    assert [f"{original} {words}"] == [message.split("（", 1)[1].split("）", 1)[0] for message in messages]
