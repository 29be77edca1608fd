"""Word 97–2003 and WPS files read through LibreOffice, and one line naming the file and the fix where they cannot be.

The .doc is made here: a python-docx file converted by LibreOffice itself (``make office`` installs it,
and ``make test`` runs ``make office`` first). A WPS file is the same binary format under another name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from office_files import WordFile

from crawler.local import load_documents
from validators import validate

SOFFICE = next((Path(folder) / name for folder in os.environ.get("PATH", "").split(os.pathsep)
                for name in ("soffice", "libreoffice") if (Path(folder) / name).is_file()), None)
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed; 'make office' installs "
                                                                "it (Debian's libreoffice-writer-nogui, as root)")
TITLE = "人大紫阳街道工委2022年工作报告"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def word_97(tmp_path_factory) -> bytes:
    """A Word 97–2003 report with numbered parts, a placeholder and a tracked insertion, saved by LibreOffice."""
    folder = tmp_path_factory.mktemp("doc")
    word = WordFile()
    word.add(TITLE)
    word.add("2022年工作情况", level=0)
    word.add("组织完成*位代表回原选区述职。")
    word.add("存在不足", level=0)
    changed = word.add("联系选民还需")
    word.changed(changed, "ins", "深入")
    word.add("2023年工作思路", level=0)
    word.add("做好换届工作。")
    word.save(folder / "报告.docx")
    subprocess.run([str(SOFFICE), "--headless", "--norestore", f"-env:UserInstallation={(folder / 'p').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(folder), str(folder / "报告.docx")],
                   capture_output=True, timeout=180, check=True, env={**os.environ, "HOME": str(folder)})
    return (folder / "报告.doc").read_bytes()


@needs_libreoffice
@pytest.mark.parametrize("name", ["徐家棚2022工作报告.doc", "徐家棚2022工作报告.wps", "另存为.txt"])
def test_a_doc_or_wps_file_is_read_through_libreoffice_with_findings_by_paragraph(tmp_path, word_97, name):
    path = tmp_path / name
    path.write_bytes(word_97)
    documents, errors = load_documents([str(path)], 10**8)
    run = validate(documents)
    assert ([], (TITLE, "一、2022年工作情况", "组织完成*位代表回原选区述职。", "二、存在不足", "联系选民还需深入",
                 "三、2023年工作思路", "做好换届工作。")) == (errors, documents[0].source.lines[:7])
    assert [("artifact", 5, 7, "深入"), ("placeholder", 3, 5, "*")] == sorted(
        (f.rule, f.line, f.column, f.excerpt) for f in run.findings)


@needs_libreoffice
def test_a_doc_libreoffice_cannot_convert_gets_one_line_naming_it_and_the_fix(tmp_path):
    path = tmp_path / "坏.doc"
    path.write_bytes(OLE + b"\x00" * 2000)
    documents, errors = load_documents([str(path)], 10**8)
    assert ([], [f"{path}: LibreOffice could not convert it (it is damaged, protected, or not a Word 97–2003 "
                 "(.doc) file); save it as .docx (Word or WPS: 文件 > 另存为 > Word 文档 .docx)"]) == (
        documents, [str(error) for error in errors])


@needs_libreoffice
def test_a_pdf_whose_owner_forbids_copying_is_read_as_any_reader_opens_it(tmp_path):
    word = WordFile()
    word.add(TITLE)
    word.add("2022年工作情况", level=0)
    word.add("组织完成*位代表回原选区述职。")
    word.save(tmp_path / "限制.docx")
    options = ('{"EncryptFile":{"type":"boolean","value":"true"},"PermissionPassword":{"type":"string","value":"x"},'
               '"RestrictPermissions":{"type":"boolean","value":"true"},'
               '"EnableCopyingOfContent":{"type":"boolean","value":"false"}}')
    subprocess.run([str(SOFFICE), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", f"pdf:writer_pdf_Export:{options}", "--outdir", str(tmp_path),
                    str(tmp_path / "限制.docx")], capture_output=True, timeout=180, check=True,
                   env={**os.environ, "HOME": str(tmp_path)})
    assert b"/Encrypt" in (tmp_path / "限制.pdf").read_bytes()
    documents, errors = load_documents([str(tmp_path / "限制.pdf")], 10**8)
    run = validate(documents)
    assert ([], [("placeholder", 1, 3, 5)]) == (errors, [(f.rule, f.page, f.line, f.column) for f in run.findings
                                                       if f.rule == "placeholder"])


def test_a_doc_without_libreoffice_gets_one_line_naming_it_and_the_fix(tmp_path):
    path = tmp_path / "报告.doc"
    path.write_bytes(OLE + b"\x00" * 2000)
    bare = tmp_path / "bin"
    bare.mkdir()
    result = subprocess.run([sys.executable, "-m", "wrqa", "validate", str(path)], capture_output=True, text=True,
                            encoding="utf-8", timeout=120, env={**os.environ, "PATH": str(bare), "NO_COLOR": "1"})
    assert (2, f"wrqa: {path}: a Word 97–2003 (.doc) file, which wrqa reads through LibreOffice, not installed "
               "here; save it as .docx (Word or WPS: 文件 > 另存为 > Word 文档 .docx), or install LibreOffice "
               "(make office)\n") == (result.returncode, result.stderr)


def test_a_password_protected_office_file_gets_one_line_naming_it(tmp_path):
    path = tmp_path / "加密.doc"
    path.write_bytes(OLE + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"))
    documents, errors = load_documents([str(path)], 10**8)
    assert ([], [f"{path}: is protected by a password; open it, remove the password and save it as .docx "
                 "(Word or WPS: 文件 > 另存为 > Word 文档 .docx)"]) == (documents, [str(error) for error in errors])
