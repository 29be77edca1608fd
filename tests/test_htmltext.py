"""The reader of saved pages: malformed markup reads as a browser shows it, and in linear time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.htmltext import html_lines

TEXT = "正文。"
COUNT = 20_000


def texts(markup: str) -> list[str]:
    return ["".join(piece.text for piece in line) for line in html_lines(markup)[0]]


@pytest.mark.parametrize(("markup", "expected"), [
    ("<p>前文</p><!-- 注释 <p>后文</p>", ["前文"]),
    ("<p>前文</p><script>var a = 1;<p>后文</p>", ["前文"]),
    ('<p>前文</p><p class="x>后文</p>', ["前文"]),
    ("<p>前文</p><p>后文<a href=x.html 未完", ["前文", "后文"]),
])
def test_what_is_left_open_runs_to_the_end_as_in_a_browser(markup, expected):
    """A comment, a script, a quoted attribute or a tag never closed hides the rest of the file, as a browser does."""
    assert expected == texts(markup)


@pytest.mark.parametrize("markup", [
    ("<!--" + TEXT) * COUNT,
    ("<script>" + TEXT) * COUNT,
    ("<head>" + TEXT) * COUNT,
    ("<a " + TEXT) * COUNT,
    ("<p " + TEXT) * COUNT,
    ('<a href="x' + TEXT) * COUNT,
], ids=["comments", "scripts", "heads", "a-without-end", "p-without-end", "quotes"])
def test_a_malformed_page_is_read_in_linear_time(markup, tmp_path):
    """20,000 comments, scripts, heads, tags or quotes left open are read in seconds, not minutes."""
    page = tmp_path / "page.html"
    page.write_text(markup, encoding="utf-8")
    child = "import sys; from crawler.htmltext import html_lines; html_lines(open(sys.argv[1], encoding='utf-8').read())"

    finished = subprocess.run([sys.executable, "-c", child, str(page)], timeout=10, check=False)

    assert 0 == finished.returncode
