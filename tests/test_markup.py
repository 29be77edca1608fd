"""Markup bounded before the parser: real pages pass untouched, hostile ones nest no deeper than the limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from crawler.markup import MAX_ATTRIBUTES, MAX_DEPTH, bound
from crawler.replica import site

SAVED_PAGE = Path(__file__).parent.parent / "examples" / "reports" / "district-page-2018.html"
TEXT = "正文。"
COUNT = 2_000  # far past the limit, still quick for the bare parser the results are compared with


def replica_pages() -> list[str]:
    district = {a.path: a for a in site.epoint_articles()}
    provincial = {a.path: a for a in site.hppc_articles()}
    return [
        SAVED_PAGE.read_text(encoding="utf-8"),
        *(site.epoint_page(a) for a in district.values()),
        *(site.epoint_list(category, 1, district)[0] for category in ("003005", "004002")),
        *(site.hppc_page(a, part) for a in provincial.values() for part in range(1, a.parts + 1)),
        site.hppc_list("8", 1, provincial),
    ]


def depth(tree: LexborHTMLParser) -> int:
    """How deep the tree's elements nest, the document node counted."""
    levels = {}
    for node in tree.root.traverse(include_text=False):
        levels[node.mem_id] = levels.get(node.parent.mem_id, 0) + 1 if node.parent is not None else 1
    return max(levels.values())


def test_real_and_replica_pages_are_handed_on_as_they_are():
    """The saved district page and every replica page come back as the very same string, nothing counted."""
    pages = replica_pages()

    assert [(True, 0, 0)] * len(pages) == [
        (bounded.text is page, bounded.flattened, bounded.trimmed) for page in pages for bounded in [bound(page)]
    ]


@pytest.mark.parametrize("markup", [
    "<div>" * COUNT,
    ("<div>" + TEXT) * COUNT,
    ("<ul><li>" + TEXT) * COUNT,
    ("<font>" + TEXT) * COUNT + ("<div>" + TEXT + "</div>") * COUNT,
    "<span>" * COUNT + TEXT + "</x>" * COUNT,
    "<div>" * COUNT + TEXT + "</div>" * COUNT,
    ("<table><tr><td>" + TEXT) * COUNT,
    ("<dl><dt>" + TEXT + "<dd>" + TEXT) * COUNT,
    ("<b><i><u>" + TEXT) * COUNT,
    ("<a href=x.html><div>" + TEXT) * COUNT,
    "<svg>" + "<g>" * COUNT + TEXT,
], ids=["div", "div-text", "ul-li", "font-then-divs", "span-stray-ends", "balanced-divs", "table", "dl", "b-i-u",
        "a-div", "svg"])
def test_hostile_nesting_is_flattened_to_the_limit_and_its_text_kept(markup):
    """Unclosed, misnested or merely deep elements parse no deeper than the limit, with the same text."""
    bounded = bound(markup)
    tree = LexborHTMLParser(bounded.text)

    assert (True, True, LexborHTMLParser(markup).root.text()) == (
        bounded.flattened > 0, depth(tree) <= MAX_DEPTH + 4, tree.root.text())


@pytest.mark.parametrize("markup", [
    ("<p>" + TEXT) * COUNT,
    ("<li>" + TEXT) * COUNT,
    ("<tr><td>" + TEXT + "<td>" + TEXT) * COUNT,
    ("<option>" + TEXT) * COUNT,
    ("<a href=x.html>" + TEXT) * COUNT,
    ("<p><b>" + TEXT + "</p>") * COUNT,
    ("<h2><span>" + TEXT + "</h3>") * COUNT,
    "<script>" + "<div>" * COUNT,
    "<!--" + "<div>" * COUNT,
    "<textarea>" + "<div>" * COUNT,
], ids=["p", "li", "td", "option", "a", "b-in-p", "headings", "script", "comment", "textarea"])
def test_elements_the_parser_closes_itself_are_not_flattened(markup):
    """Thousands of <p>, <li>, cells, options or links left open nest no deeper in a parser: nothing changes."""
    assert markup is bound(markup).text


def test_a_tag_keeps_its_first_attributes_up_to_the_limit():
    """A <div> with 1,000 attributes reaches the parser with its first 256, the text after it untouched."""
    markup = "<div " + " ".join(f'a{n}="{n}"' for n in range(1000)) + ">" + TEXT

    bounded = bound(markup)
    div = LexborHTMLParser(bounded.text).css_first("div")

    assert (1, [f"a{n}" for n in range(MAX_ATTRIBUTES)], TEXT) == (bounded.trimmed, list(div.attributes), div.text())
