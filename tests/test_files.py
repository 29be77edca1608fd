"""Reading local inputs: encodings and line ends detected from the bytes, unreadable inputs named."""

from __future__ import annotations

import pytest

from crawler.errors import InputError
from crawler.files import decode, iter_inputs, read_source, split_lines

TEXT = "人大紫阳街工委2018年度工作报告\n一、主要工作\n组织完成*位代表述职。\n"


@pytest.mark.parametrize(
    ("encoding", "bom", "expected_codec"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
    ],
)
def test_the_encoding_is_detected_from_the_bytes(encoding, bom, expected_codec):
    text, codec = decode(bom + TEXT.encode(encoding), "r.txt")
    assert (TEXT, expected_codec) == (text, codec)


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_lines_split_on_every_line_end_and_nothing_else(line_end):
    text = "第一行\x0c含换页符" + line_end + "第二行\u2028仍是第二行" + line_end + line_end + "第四行"
    assert ("第一行\x0c含换页符", "第二行\u2028仍是第二行", "", "第四行") == split_lines(text)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        (b"\xff\xfe\x00\xd8", "byte-order mark"),
        (b"\x81\x30\xff\xff\xa0\xa0\xff", "cannot be decoded"),
    ],
)
def test_an_unreadable_file_gets_a_one_line_error_naming_it(tmp_path, content, fragment):
    path = tmp_path / "坏文件.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_source(str(path), 1000)
    message = str(raised.value)
    assert (True, True, True) == (message.startswith(str(path)), fragment in message, "\n" not in message)


def test_a_file_over_the_size_limit_is_refused_with_the_key_to_raise(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("字" * 400, encoding="utf-8")
    with pytest.raises(InputError, match="validate.max_file_bytes"):
        read_source(str(path), 1000)


def test_folders_are_walked_for_report_files_only_and_missing_paths_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.HTML").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "c.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    found = list(iter_inputs([str(tmp_path), str(tmp_path / "empty"), str(tmp_path / "nope.txt")]))
    paths = [item for item in found if isinstance(item, str)]
    errors = [str(item) for item in found if isinstance(item, InputError)]
    assert [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.HTML")] == paths
    assert [f"{tmp_path / 'empty'}: no .txt, .html, .htm, .docx, .doc, .wps, .rtf or .pdf files in this folder",
            f"{tmp_path / 'nope.txt'}: no such file or folder"] == errors
