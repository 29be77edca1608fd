"""URLs as keys: every spelling of a link to one page gives one key, and links to no page are told apart."""

from __future__ import annotations

import pytest

from crawler import urls

PAGE = "http://wcrd.example/zyfb/003005/1.html"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://wcrd.example/zyfb/003005/a0.html#top", "http://wcrd.example/zyfb/003005/a0.html"),
    ("http://wcrd.example/zyfb/003005/%61%30.html", "http://wcrd.example/zyfb/003005/a0.html"),
    ("HTTP://WCRD.Example:80/zyfb/003005/a0.html", "http://wcrd.example/zyfb/003005/a0.html"),
    ("https://wcrd.example:443/a.html", "https://wcrd.example/a.html"),
    ("http://wcrd.example:8001/a.html", "http://wcrd.example:8001/a.html"),
    ("https://wcrd.example:80/a.html", "https://wcrd.example:80/a.html"),
    ("http://wcrd.example:/a.html", "http://wcrd.example/a.html"),
    ("http://wcrd.example", "http://wcrd.example/"),
    ("http://wcrd.example/zyfb/003004//1818808.html", "http://wcrd.example/zyfb/003004//1818808.html"),
    ("http://wcrd.example/a%2fb%7E%2D%5f%2E.html", "http://wcrd.example/a%2Fb~-_..html"),
    ("http://wcrd.example/list.php?catid=8&page=2#x", "http://wcrd.example/list.php?catid=8&page=2"),
    ("http://wcrd.example/list.php?q=%e6%96%87&b=%41", "http://wcrd.example/list.php?q=%E6%96%87&b=A"),
    ("http://wcrd.example/文件 1.html", "http://wcrd.example/%E6%96%87%E4%BB%B6%201.html"),
    ("http://wcrd.example/100%.html", "http://wcrd.example/100%.html"),
    ("http://User@WCRD.example/a.html", "http://User@wcrd.example/a.html"),
    ("http://[::1]:80/a.html", "http://[::1]/a.html"),
    ("  http://wcrd.example/a.html\n", "http://wcrd.example/a.html"),
    ("http://[broken/a.html", "http://[broken/a.html"),
])
def test_normal_form_of_a_url(url, expected):
    """Fragment dropped, scheme and host lower-cased, default port dropped, unreserved escapes decoded and
    others upper-cased, unsafe characters escaped; the path's // and the query kept as written."""
    assert expected == urls.normal(url)


@pytest.mark.parametrize(("href", "expected"), [
    ("a0.html", True),
    ("/zyfb/003004//1818808.html", True),
    ("HTTP://127.0.0.1:8001/a0.html", True),
    ("https://wcrd.example/a.html", True),
    ("javascript:alert(1)", False),
    ("JAVASCRIPT:alert(1)", False),
    ("  javascript:void(0)", False),
    ("java\tscript:void(0)", False),
    ("mailto:rd@wuchang.gov.cn", False),
    ("tel:02788888888", False),
    ("data:text/html,x", False),
    ("ftp://wcrd.example/a.html", False),
    ("#top", False),
    (" #", False),
    ("", False),
    (None, False),
    ("http://[broken/a.html", False),
])
def test_links_to_pages_are_told_from_links_to_nothing(href, expected):
    """Relative, http and https links lead to pages; script, mail, phone, data and in-page links do not."""
    assert expected == urls.is_page_link(href)


@pytest.mark.parametrize("href", [
    "a0.html", "a0.html#top", "%61%30.html", "./a0.html", "/zyfb/003005/a0.html",
    "HTTP://WCRD.EXAMPLE:80/zyfb/003005/a0.html", " a0.html ",
])
def test_every_spelling_of_one_link_joins_to_one_key(href):
    """Each way a list page may write the link to a0.html gives the same absolute key."""
    assert "http://wcrd.example/zyfb/003005/a0.html" == urls.join(PAGE, href)


def test_a_key_is_its_own_normal_form():
    """Normalising twice changes nothing."""
    key = urls.normal("HTTP://Wcrd.example:80/x/%7e%20%e6.html?a=%2f#f")

    assert key == urls.normal(key)
